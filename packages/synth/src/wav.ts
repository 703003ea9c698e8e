import { readFileSync, writeFileSync } from 'node:fs';
import { SAMPLE_RATE } from './pcm.ts';

/**
 * Reads a 16-bit PCM WAV and downmixes to mono; rejects other rates so timing stays exact
 * (resample first, e.g. with sox).
 */
export function readWav(path: string): Float32Array {
  const buf = readFileSync(path);
  if (buf.toString('ascii', 0, 4) !== 'RIFF' || buf.toString('ascii', 8, 12) !== 'WAVE') {
    throw new Error(`${path} is not a RIFF/WAVE file`);
  }
  let channels = 0;
  let rate = 0;
  let bits = 0;
  let offset = 12;
  while (offset + 8 <= buf.length) {
    const id = buf.toString('ascii', offset, offset + 4);
    const size = buf.readUInt32LE(offset + 4);
    const body = offset + 8;
    if (id === 'fmt ') {
      channels = buf.readUInt16LE(body + 2);
      rate = buf.readUInt32LE(body + 4);
      bits = buf.readUInt16LE(body + 14);
    } else if (id === 'data') {
      if (bits !== 16 || channels < 1) throw new Error(`${path}: expected 16-bit PCM, got ${bits}-bit`);
      if (rate !== SAMPLE_RATE) throw new Error(`${path}: expected ${SAMPLE_RATE} Hz, got ${rate} Hz`);
      // Streaming writers may leave a placeholder size; never read past the end of the file.
      const bytes = Math.min(size, buf.length - body);
      const frames = Math.floor(bytes / (2 * channels));
      const out = new Float32Array(frames);
      for (let i = 0; i < frames; i++) {
        let sum = 0;
        for (let c = 0; c < channels; c++) sum += buf.readInt16LE(body + 2 * (i * channels + c));
        out[i] = sum / channels / 32768;
      }
      return out;
    }
    offset = body + size + (size % 2); // chunks are word-aligned
  }
  throw new Error(`${path}: no data chunk`);
}

/** Writes mono 16-bit PCM; plain rounding (no dither) keeps the output deterministic. */
export function writeWav(path: string, pcm: Float32Array): void {
  const buf = Buffer.alloc(44 + pcm.length * 2);
  buf.write('RIFF', 0, 'ascii');
  buf.writeUInt32LE(36 + pcm.length * 2, 4);
  buf.write('WAVEfmt ', 8, 'ascii');
  buf.writeUInt32LE(16, 16);
  buf.writeUInt16LE(1, 20); // PCM
  buf.writeUInt16LE(1, 22); // mono
  buf.writeUInt32LE(SAMPLE_RATE, 24);
  buf.writeUInt32LE(SAMPLE_RATE * 2, 28);
  buf.writeUInt16LE(2, 32);
  buf.writeUInt16LE(16, 34);
  buf.write('data', 36, 'ascii');
  buf.writeUInt32LE(pcm.length * 2, 40);
  for (let i = 0; i < pcm.length; i++) {
    const s = Math.max(-1, Math.min(1, pcm[i] ?? 0));
    buf.writeInt16LE(Math.round(s * 32767), 44 + i * 2);
  }
  writeFileSync(path, buf);
}
