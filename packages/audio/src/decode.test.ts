import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AudioTooLongError, UnsupportedAudioError } from '@podpreview/shared';
import { renderClip } from './clip.render.ts';
import { decodeAudio, decodeAudioToFile } from './decode.ts';

// ffmpeg picks its demuxer from the bytes: a file named ep.mp3 inside the input root may be an
// HLS playlist or a concat list naming media files anywhere on the machine.

let dir: string;
let secret: string;
let real: string;
const ENCODING = { bitrateKbps: 96, encoderQuality: 5 };
const ffmpeg = (...args: string[]) => execFileSync('ffmpeg', ['-nostdin', '-loglevel', 'error', '-y', ...args]);
const rejection = (p: Promise<unknown>) =>
  p.then(
    () => undefined,
    (e: unknown) => e,
  );

beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'podpreview-decode-'));
  secret = path.join(dir, 'outside', 'secret.mp3');
  real = path.join(dir, 'root', 'real.mp3');
  execFileSync('mkdir', ['-p', path.dirname(secret), path.dirname(real)]);
  ffmpeg('-f', 'lavfi', '-i', 'sine=frequency=440:sample_rate=16000', '-t', '5', secret);
  ffmpeg('-f', 'lavfi', '-i', 'sine=frequency=330:sample_rate=16000', '-t', '3', real);
});

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('decodeAudio reads audio containers only', () => {
  it('refuses an HLS playlist named .mp3 that lists a file outside its folder, as unsupported_audio', async () => {
    const playlist = path.join(dir, 'root', 'ep.mp3');
    await writeFile(playlist, `#EXTM3U\n#EXT-X-VERSION:3\n#EXT-X-TARGETDURATION:10\n#EXTINF:5.0,\n${secret}\n#EXT-X-ENDLIST\n`);
    const err = await rejection(decodeAudio(playlist, 'file:///root/ep.mp3'));
    expect(err).toBeInstanceOf(UnsupportedAudioError);
    expect((err as Error).message).toMatch(/hls is not an audio container/);
    // The clip renderer reads the same way.
    expect(await rejection(renderClip(playlist, path.join(dir, 'clip.mp3'), { startSec: 0, durationSec: 2, ...ENCODING }))).toBeInstanceOf(
      UnsupportedAudioError,
    );
  });

  it('refuses an ffconcat list and an image', async () => {
    const list = path.join(dir, 'root', 'list.mp3');
    await writeFile(list, `ffconcat version 1.0\nfile ../outside/secret.mp3\n`);
    expect(await rejection(decodeAudio(list))).toBeInstanceOf(UnsupportedAudioError);
    const image = path.join(dir, 'root', 'image.mp3');
    ffmpeg('-f', 'lavfi', '-i', 'color=c=red:s=16x16', '-frames:v', '1', '-f', 'image2', '-c:v', 'png', image);
    expect(await rejection(decodeAudio(image))).toBeInstanceOf(UnsupportedAudioError);
  });

  it.each(['mp3', 'm4a', 'ogg', 'opus', 'flac', 'wav', 'webm', 'wma'])('still decodes a real .%s', async (ext) => {
    const file = path.join(dir, 'root', `tone.${ext}`);
    ffmpeg('-f', 'lavfi', '-i', 'sine=frequency=330:sample_rate=16000', '-t', '2', file);
    const audio = await decodeAudio(file);
    expect(audio.durationSec).toBeGreaterThan(1.5);
    expect(audio.durationSec).toBeLessThan(2.5);
  });

  it('renders a clip from a real mp3', async () => {
    const out = path.join(dir, 'clip-real.mp3');
    await renderClip(real, out, { startSec: 0.5, durationSec: 2, ...ENCODING });
    expect((await readFile(out)).length).toBeGreaterThan(1000);
  });

  it('encodes the clip at the bitrate and encoder quality asked for', async () => {
    const bitrate = async (kbps: number, quality: number) => {
      const out = path.join(dir, `clip-${kbps}-${quality}.mp3`);
      await renderClip(real, out, { startSec: 0, durationSec: 2.5, bitrateKbps: kbps, encoderQuality: quality });
      return Number(execFileSync('ffprobe', ['-v', 'error', '-show_entries', 'stream=bit_rate', '-of', 'csv=p=0', out]).toString().trim()) / 1000;
    };
    expect(await bitrate(48, 9)).toBe(48);
    expect(await bitrate(128, 0)).toBe(128);
  });
});

describe('decoding to a file (ffmpeg writes and hashes the PCM)', () => {
  it('writes the same bytes and hash as decoding into memory', async () => {
    const out = path.join(dir, 'real.pcm');
    const inFile = await decodeAudioToFile(real, out);
    const inMemory = await decodeAudio(real);
    const bytes = await readFile(out);
    expect(bytes.equals(Buffer.from(inMemory.samples.buffer, inMemory.samples.byteOffset, inMemory.samples.byteLength))).toBe(true);
    expect(inFile).toEqual({ sampleRateHz: 16_000, durationSec: inMemory.durationSec, contentHash: createHash('sha256').update(bytes).digest('hex') });
  });

  it('hashes a long decode (several reads, taken as ffmpeg writes) to the sha256 of the bytes written, and hands each read on in order', async () => {
    // 200 s of noise: 6.4 MB of PCM, more than one of the hash's 4 MB reads.
    const long = path.join(dir, 'root', 'long.wav');
    ffmpeg('-f', 'lavfi', '-i', 'anoisesrc=sample_rate=16000:seed=7', '-t', '200', long);
    const out = path.join(dir, 'long.pcm');
    const handed: Buffer[] = [];
    // Copied: a stretch is valid during the call only.
    const decoded = await decodeAudioToFile(long, out, long, { onPcm: (b) => handed.push(Buffer.from(b)) });
    const bytes = await readFile(out);
    expect(bytes.length).toBe(200 * 16_000 * 2);
    expect(handed.length).toBeGreaterThan(1);
    expect(Buffer.concat(handed).equals(bytes)).toBe(true);
    expect(decoded).toEqual({ sampleRateHz: 16_000, durationSec: 200, contentHash: createHash('sha256').update(bytes).digest('hex') });
  });

  it('refuses audio longer than the limit as audio_too_long: probed before decoding into memory, found while decoding to a file', async () => {
    const probed = await rejection(decodeAudio(secret, 'secret.mp3', { maxDurationSec: 3 }));
    expect(probed).toBeInstanceOf(AudioTooLongError);
    expect((probed as Error).message).toMatch(/secret\.mp3 lasts 5 s, more than 3 s/);
    const out = path.join(dir, 'long.pcm');
    const decoded = await rejection(decodeAudioToFile(secret, out, 'secret.mp3', { maxDurationSec: 3 }));
    expect(decoded).toBeInstanceOf(AudioTooLongError);
    expect((decoded as Error).message).toMatch(/secret\.mp3 lasts more than 3 s/);
    // ffmpeg stopped a hair past the limit: it did not decode the whole file.
    expect((await readFile(out)).length).toBeLessThan(3.1 * 16_000 * 2);
  });

  it('decodes audio as long as the limit', async () => {
    await expect(decodeAudioToFile(real, path.join(dir, 'exact.pcm'), 'real.mp3', { maxDurationSec: 3 })).resolves.toMatchObject({ sampleRateHz: 16_000 });
  });

  it('classifies a file that is not audio as corrupt, without a hash', async () => {
    const junk = path.join(dir, 'root', 'junk.mp3');
    await writeFile(junk, Buffer.alloc(4096, 7));
    const err = await rejection(decodeAudioToFile(junk, path.join(dir, 'junk.pcm'), 'junk.mp3'));
    expect((err as { code?: string }).code).toMatch(/corrupt_audio|unsupported_audio/);
  });
});
