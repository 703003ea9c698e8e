import { createHash } from 'node:crypto';
import { closeSync, fstat as fstatCb, openSync, read as readCb } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';
import { promisify } from 'node:util';
import {
  AudioTooLongError,
  type CommandResult,
  CorruptAudioError,
  EmptyAudioError,
  InputNotFoundError,
  runCommand,
  UnsupportedAudioError,
} from '@podpreview/shared';
import { FFMPEG_INPUT_FLAGS, refusedDemuxer } from './ffmpeg.input.ts';

export const SAMPLE_RATE_HZ = 16_000;
/** Shorter than this cannot hold a meaningful preview; treated as empty input. */
export const MIN_DURATION_SEC = 1;
const BYTES_PER_SAMPLE = 2;
/** Reads of the decoded file while hashing it: few and large, so the hash is nearly all the work. */
const HASH_READ_BYTES = 4 << 20;
/** How often the hash looks for more of the file while ffmpeg writes it (4 MB take ~50 ms to decode). */
const HASH_POLL_MS = 25;
const fstat = promisify(fstatCb);
const read = promisify(readCb);

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
  /** A normal-priority run's decode: its ffmpeg gives the CPU way to priority work in this process (runCommand's yieldCpu). */
  yieldCpu?: boolean;
  /**
   * Each stretch of the decoded PCM, in order, as decoding goes on: for a consumer that starts
   * on the audio before it has all arrived. The bytes are valid during the call only.
   */
  onPcm?: (bytes: Uint8Array) => void;
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
 * As decodeAudio, the PCM written to `outPath` by ffmpeg itself and hashed from the file: it
 * never passes through this process in pipe chunks, which cost the event loop a write and a
 * hash update each (a worker that only stores the PCM does not need it in memory).
 */
export async function decodeAudioToFile(localPath: string, outPath: string, label = localPath, o: DecodeOptions = {}): Promise<Omit<DecodedAudio, 'samples'>> {
  const fd = openSync(outPath, 'w+');
  try {
    return await decodePcm(localPath, label, o, { fd });
  } finally {
    closeSync(fd);
  }
}

/** Where the PCM goes: streamed through this process, or written by ffmpeg to an open file. */
type PcmSink =
  | {
      /** Before the first chunk, with the samples the probe expects. */
      start(expectedSamples: number): void;
      write(chunk: Buffer): void;
    }
  | { fd: number };

async function decodePcm(localPath: string, label: string, o: DecodeOptions, sink: PcmSink): Promise<Omit<DecodedAudio, 'samples'>> {
  const sec = o.maxDurationSec ?? Number.POSITIVE_INFINITY;
  const limit: Limit = { sec, bytes: sec * SAMPLE_RATE_HZ * BYTES_PER_SAMPLE };
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
    '-acodec',
    'pcm_s16le',
  ];
  const decoded = 'fd' in sink ? await decodeToFd(args, sink.fd, limit, o) : await decodeStreamed(args, sink, { localPath, label }, limit, o);
  if (decoded.byteLength > limit.bytes) throw new AudioTooLongError(label, undefined, limit.sec);
  const { result } = decoded;
  if (result.code !== 0) throw classifyFfmpegFailure(label, result.stderr, result.code, result.signal);
  const durationSec = Math.floor(decoded.byteLength / BYTES_PER_SAMPLE) / SAMPLE_RATE_HZ;
  if (durationSec < MIN_DURATION_SEC) throw new EmptyAudioError(label, durationSec);
  return { sampleRateHz: SAMPLE_RATE_HZ, durationSec, contentHash: decoded.contentHash };
}

/** The longest audio accepted, in seconds and in bytes of PCM. */
interface Limit {
  sec: number;
  bytes: number;
}

interface Decoded {
  result: CommandResult;
  byteLength: number;
  contentHash: string;
}

/** The PCM through this process in pipe chunks, hashed as they arrive; ffmpeg is stopped once it passes the cap. */
async function decodeStreamed(
  args: string[],
  sink: Exclude<PcmSink, { fd: number }>,
  input: { localPath: string; label: string },
  limit: Limit,
  o: DecodeOptions,
): Promise<Decoded> {
  // The probe sizes the buffer (and refuses a long file before decoding it).
  const probed = await probeDurationSec(input.localPath, o.signal);
  if (probed !== undefined && probed > limit.sec) throw new AudioTooLongError(input.label, probed, limit.sec);
  sink.start(probed === undefined ? 60 * SAMPLE_RATE_HZ : Math.ceil((probed + 1) * SAMPLE_RATE_HZ));
  const hash = createHash('sha256');
  let byteLength = 0;
  const controller = new AbortController();
  const signal = o.signal ? AbortSignal.any([o.signal, controller.signal]) : controller.signal;
  const result = await runCommand('ffmpeg', [...args, '-f', 's16le', 'pipe:1'], {
    signal,
    ...(o.yieldCpu ? { yieldCpu: true } : {}),
    onStdout: (chunk) => {
      if (byteLength > limit.bytes) return;
      sink.write(chunk);
      hash.update(chunk);
      o.onPcm?.(chunk);
      byteLength += chunk.length;
      // The probe can be missing or wrong (a lying header): the cap holds while decoding too.
      if (byteLength > limit.bytes) controller.abort();
    },
  }).catch((err: unknown) => {
    if (byteLength > limit.bytes) return { stdout: Buffer.alloc(0), stderr: '', code: 0, signal: null };
    throw err;
  });
  return { result, byteLength, contentHash: hash.digest('hex') };
}

/**
 * ffmpeg writes the PCM to `fd`; this process hashes the file in large reads as it grows
 * (OpenSSL's sha256, several times faster than ffmpeg's own `hash` muxer, which added 0.3-0.7 s
 * to a 30-minute episode's decode), so only the last few megabytes are left once ffmpeg ends
 * (hashed afterwards, it was 0.1 s of a 30-minute episode's latency). No probe first: an
 * ffprobe start costs about 0.15 s (Debian's ffmpeg loads some 200 libraries), a tenth of a
 * 5-minute episode's whole cost. The limit is an output duration a little past it instead, so
 * longer audio (or a lying header) leaves more bytes than the limit allows and is refused once
 * that much is decoded.
 */
async function decodeToFd(args: string[], fd: number, limit: Limit, o: DecodeOptions): Promise<Decoded> {
  const cap = Number.isFinite(limit.sec) ? ['-t', String(limit.sec + 0.01)] : [];
  const decoding = runCommand('ffmpeg', [...args, ...cap, '-f', 's16le', 'pipe:3'], {
    fd3: fd,
    ...(o.signal ? { signal: o.signal } : {}),
    ...(o.yieldCpu ? { yieldCpu: true } : {}),
  });
  // Both settle before the caller closes `fd`.
  const [decoded, hashed] = await Promise.allSettled([decoding, hashAsWritten(fd, decoding, o.onPcm)]);
  if (decoded.status === 'rejected') throw decoded.reason;
  if (hashed.status === 'rejected') throw hashed.reason;
  return { result: decoded.value, ...hashed.value };
}

/**
 * sha256 of the file behind `fd` while `writing` appends to it, in reads of HASH_READ_BYTES as
 * that much more is there, and the rest once `writing` settles; each read goes to `onPcm` too. A
 * failed write leaves the rest unread (its hash is not used).
 */
async function hashAsWritten(
  fd: number,
  writing: Promise<CommandResult>,
  onPcm?: (bytes: Uint8Array) => void,
): Promise<{ byteLength: number; contentHash: string }> {
  const hash = createHash('sha256');
  const buf = Buffer.allocUnsafe(HASH_READ_BYTES);
  let hashed = 0;
  // Set by the callbacks below; typed wide so the checks in the loop are not narrowed away.
  let ended = undefined as 'ok' | 'failed' | undefined;
  const settled = writing.then(
    (r) => {
      ended = r.code === 0 ? 'ok' : 'failed';
    },
    () => {
      ended = 'failed';
    },
  );
  for (;;) {
    // Read before the size: a write that ended after this point is seen on the next turn.
    const last = ended;
    const { size } = await fstat(fd);
    if (last === 'failed') return { byteLength: size, contentHash: '' };
    while (size - hashed >= HASH_READ_BYTES || (last && hashed < size)) {
      const { bytesRead } = await read(fd, buf, 0, Math.min(HASH_READ_BYTES, size - hashed), hashed);
      if (bytesRead === 0) break;
      hash.update(buf.subarray(0, bytesRead));
      onPcm?.(buf.subarray(0, bytesRead));
      hashed += bytesRead;
    }
    if (last) return { byteLength: size, contentHash: hash.digest('hex') };
    await Promise.race([settled, sleep(HASH_POLL_MS)]);
  }
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
