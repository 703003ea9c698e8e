import { BlobContractError, type BlobStore, bytesToFloat32, float32ToBytes, type TrackRef } from '@podpreview/shared';

/** A per-frame feature track: `channels` values per frame, interleaved. */
export interface Track {
  frameSec: number;
  /** Audio one frame describes, when frames overlap (a 1 s window every 0.5 s). */
  spanSec?: number;
  channels: string[];
  frames: number;
  data: Float32Array;
}

export async function putTrack(blobs: BlobStore, key: string, track: Omit<Track, 'frames'>): Promise<TrackRef> {
  await blobs.put(key, float32ToBytes(track.data));
  return { key, frameSec: track.frameSec, ...(track.spanSec ? { spanSec: track.spanSec } : {}), channels: track.channels };
}

/** Reads a track back; its bytes must hold whole frames of the channels its ref names. */
export async function getTrack(blobs: BlobStore, ref: TrackRef): Promise<Track> {
  const bytes = await blobs.get(ref.key);
  if (bytes.byteLength % (4 * ref.channels.length) !== 0) {
    throw new BlobContractError(ref.key, `${bytes.byteLength} bytes is not a whole number of float32 frames of ${ref.channels.length} channel(s)`);
  }
  const data = bytesToFloat32(bytes);
  return {
    frameSec: ref.frameSec,
    ...(ref.spanSec ? { spanSec: ref.spanSec } : {}),
    channels: ref.channels,
    frames: Math.floor(data.length / ref.channels.length),
    data,
  };
}

/** One channel as its own array. */
export function channel(track: Track, name: string): Float32Array {
  const c = track.channels.indexOf(name);
  if (c < 0) throw new Error(`track has no channel ${name} (has ${track.channels.join(', ')})`);
  const n = track.channels.length;
  if (n === 1) return track.data;
  const out = new Float32Array(track.frames);
  for (let i = 0; i < track.frames; i++) out[i] = track.data[i * n + c]!;
  return out;
}

/**
 * Resamples a channel onto a grid of `steps` steps of `stepSec` (mean of the frames whose span
 * overlaps each step), so tracks with different hops line up on one timeline.
 */
export function resample(values: Float32Array, frameSec: number, steps: number, stepSec: number, frameSpanSec = frameSec): Float32Array {
  const sum = new Float64Array(steps);
  const count = new Float64Array(steps);
  for (let i = 0; i < values.length; i++) {
    const from = (i * frameSec) / stepSec;
    const to = (i * frameSec + frameSpanSec) / stepSec;
    for (let t = Math.floor(from + 1e-9); t < Math.min(steps, Math.ceil(to - 1e-9)); t++) {
      sum[t]! += values[i]!;
      count[t]!++;
    }
  }
  return Float32Array.from(sum, (v, t) => (count[t]! > 0 ? v / count[t]! : 0));
}
