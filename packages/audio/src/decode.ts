import { createHash } from 'node:crypto';
import { closeSync, openSync, writeSync } from 'node:fs';
import { AudioTooLongError, CorruptAudioError, EmptyAudioError, InputNotFoundError, runCommand, UnsupportedAudioError } from '@podpreview/shared';
import { FFMPEG_INPUT_FLAGS, refusedDemuxer } from './ffmpeg.input.ts';

export const SAMPLE_RATE_HZ = 16_000;
/** Shorter than this cannot hold a meaningful preview; treated as empty input. */
export const MIN_DURATION_SEC = 1;
const BYTES_PER_SAMPLE = 2;

export interface DecodedAudio {
  /** 16-bit signed PCM (full scale ±32768): half the bytes of float32 to pipe, hash, store and hold. */
  samples: Int16Array;
  sampleRateHz: number;
  durationSec: number;
  /** sha256 of the decoded PCM: a re-encode of the same audio differs, the same bytes do not. */
  contentHash: string;
}

export interface DecodeOptions {
  signal?: AbortSignal;
  /** Longer audio fails with AudioTooLongError: found by probing first, and enforced while decoding. */
  maxDurationSec?: number;
  /** ffmpeg at a lower CPU priority (a normal-priority run's decode gives way to a priority run's). */
  yieldCpu?: boolean;
}

/**
 * Decodes any container/codec ffmpeg knows (mp3, m4a/aac, ogg/opus, wav, flac…) to 16 kHz mono
 * 16-bit PCM. ffmpeg runs as a child process, so decoding never blocks this process's event loop.
 * The PCM streams into one buffer sized from a probe of the duration and is hashed as it
 * arrives, so the process holds it once (not as chunks, a concatenation and a copy).
 * `label` names the input in error messages (the URI the user gave, not a temp path).
 */
export async function decodeAudio(localPath: string, label = localPath, o: DecodeOptions = {}): Promise<DecodedAudio> {
  let pcm: PcmBuffer | undefined;
  const decoded = await decodePcm(localPath, label, o, {
    start: (expectedSamples) => {
      pcm = new PcmBuffer(expectedSamples);
    },
    write: (chunk) => pcm!.append(chunk),
  });
  return { ...decoded, samples: pcm!.samples() };
}

/**
 * As decodeAudio, the PCM written to `outPath` as it arrives instead of held: a worker that
 * only stores it never has the episode's audio in its memory.
 */
export async function decodeAudioToFile(localPath: string, outPath: string, label = localPath, o: DecodeOptions = {}): Promise<Omit<DecodedAudio, 'samples'>> {
  const fd = openSync(outPath, 'w');
  try {
    // Synchronous writes of ffmpeg's pipe chunks: small, to the page cache, in order.
    return await decodePcm(localPath, label, o, { start: () => {}, write: (chunk) => writeFullySync(fd, chunk) });
  } finally {
    closeSync(fd);
  }
}

function writeFullySync(fd: number, chunk: Buffer): void {
  for (let at = 0; at < chunk.length; ) at += writeSync(fd, chunk, at, chunk.length - at);
}

interface PcmSink {
  /** Before the first chunk, with the samples the probe expects. */
  start(expectedSamples: number): void;
  write(chunk: Buffer): void;
}

async function decodePcm(localPath: string, label: string, o: DecodeOptions, sink: PcmSink): Promise<Omit<DecodedAudio, 'samples'>> {
  const maxSec = o.maxDurationSec ?? Number.POSITIVE_INFINITY;
  const probed = await probeDurationSec(localPath, o.signal);
  if (probed !== undefined && probed > maxSec) throw new AudioTooLongError(label, probed, maxSec);
  sink.start(probed === undefined ? 60 * SAMPLE_RATE_HZ : Math.ceil((probed + 1) * SAMPLE_RATE_HZ));
  const hash = createHash('sha256');
  const maxBytes = maxSec * SAMPLE_RATE_HZ * BYTES_PER_SAMPLE;
  let byteLength = 0;
  let tooLong = false;
  const controller = new AbortController();
  const signal = o.signal ? AbortSignal.any([o.signal, controller.signal]) : controller.signal;
  const args = [
    '-nostdin',
    '-hide_banner',
    '-loglevel',
    'error',
    ...FFMPEG_INPUT_FLAGS,
    '-i',
    localPath,
    '-map',
    '0:a:0',
    '-vn',
    '-ac',
    '1',
    '-ar',
    String(SAMPLE_RATE_HZ),
  ];
  const result = await runCommand('ffmpeg', [...args, '-f', 's16le', '-acodec', 'pcm_s16le', 'pipe:1'], {
    signal,
    ...(o.yieldCpu ? { yieldCpu: true } : {}),
    onStdout: (chunk) => {
      if (tooLong) return;
      sink.write(chunk);
      hash.update(chunk);
      byteLength += chunk.length;
      // The probe can be missing or wrong (a lying header): the cap holds while decoding too.
      if (byteLength > maxBytes) {
        tooLong = true;
        controller.abort();
      }
    },
  }).catch((err: unknown) => {
    if (tooLong) return undefined;
    throw err;
  });
  if (tooLong) throw new AudioTooLongError(label, byteLength / BYTES_PER_SAMPLE / SAMPLE_RATE_HZ, maxSec);
  if (result!.code !== 0) throw classifyFfmpegFailure(label, result!.stderr, result!.code, result!.signal);
  const durationSec = Math.floor(byteLength / BYTES_PER_SAMPLE) / SAMPLE_RATE_HZ;
  if (durationSec < MIN_DURATION_SEC) throw new EmptyAudioError(label, durationSec);
  return { sampleRateHz: SAMPLE_RATE_HZ, durationSec, contentHash: hash.digest('hex') };
}

/** The container's duration in seconds, or undefined when it does not say (or ffprobe cannot read it: decoding will tell why). */
async function probeDurationSec(localPath: string, signal?: AbortSignal): Promise<number | undefined> {
  const r = await runCommand(
    'ffprobe',
    ['-v', 'error', ...FFMPEG_INPUT_FLAGS, '-show_entries', 'format=duration', '-of', 'default=noprint_wrappers=1:nokey=1', localPath],
    signal ? { signal } : {},
  );
  const sec = Number.parseFloat(r.stdout.toString('utf8').trim());
  return r.code === 0 && Number.isFinite(sec) && sec > 0 ? sec : undefined;
}

/** A growable byte buffer whose contents end up as one aligned Int16Array, without a final copy. */
class PcmBuffer {
  private bytes: Uint8Array;
  byteLength = 0;
  constructor(expectedSamples: number) {
    this.bytes = new Uint8Array(expectedSamples * BYTES_PER_SAMPLE);
  }
  append(chunk: Buffer): void {
    if (this.byteLength + chunk.length > this.bytes.length) {
      const grown = new Uint8Array(Math.max(this.bytes.length * 2, this.byteLength + chunk.length));
      grown.set(this.bytes.subarray(0, this.byteLength));
      this.bytes = grown;
    }
    this.bytes.set(chunk, this.byteLength);
    this.byteLength += chunk.length;
  }
  samples(): Int16Array {
    return new Int16Array(this.bytes.buffer, 0, Math.floor(this.byteLength / BYTES_PER_SAMPLE));
  }
}

/**
 * ffmpeg failing on a local file is deterministic (the bytes are bad), so these are
 * non-retryable; a signal (OOM killer, shutdown) is not about the input and stays retryable.
 */
export function classifyFfmpegFailure(label: string, stderr: string, code: number | null, signal: NodeJS.Signals | null): Error {
  const detail = stderr.trim().split('\n').slice(-3).join(' | ') || `ffmpeg exited with ${code ?? signal}`;
  if (signal) return new Error(`ffmpeg was killed by ${signal} while decoding ${label}`);
  if (/No such file or directory/i.test(stderr)) return new InputNotFoundError(label);
  const refused = refusedDemuxer(stderr);
  // A playlist, a concat list, an image: not an audio container (and never opened as one).
  if (refused) return new UnsupportedAudioError(label, `${refused} is not an audio container`);
  if (/matches no streams|does not contain any stream|Stream map .* matches no/i.test(stderr)) {
    return new UnsupportedAudioError(label, 'no audio stream');
  }
  if (/Decoder .* not found|Unknown decoder|unsupported codec/i.test(stderr)) return new UnsupportedAudioError(label, detail);
  return new CorruptAudioError(label, detail);
}
