import { describe, expect, it } from 'vitest';
import { PcmStream } from './pcm-stream.ts';

const bytesOf = (...samples: number[]) => new Uint8Array(Int16Array.from(samples).buffer);

describe('PcmStream', () => {
  it('holds the samples as they arrive, a sample split across chunks included, in shared memory', async () => {
    const s = new PcmStream(10);
    const waiting = s.until(3);
    const all = bytesOf(1, -2, 3, 32_767, -32_768);
    s.append(all.subarray(0, 3));
    expect(s.samples).toBe(1);
    s.append(all.subarray(3, 7));
    expect(await waiting).toBe(3);
    s.append(all.subarray(7));
    expect(Array.from(s.view())).toEqual([1, -2, 3, 32_767, -32_768]);
    expect(s.view().buffer).toBeInstanceOf(SharedArrayBuffer);
    expect(() => s.view(6)).toThrow(/only 5 samples/);
  });

  it('answers a reader waiting for more than the audio holds once decoding ends', async () => {
    const s = new PcmStream(100);
    const waiting = s.until(50);
    s.append(bytesOf(1, 2, 3));
    s.end();
    expect(await waiting).toBe(3);
    expect(s.ended).toBe(true);
    // Appends after the end are ignored: the audio is what it was when decoding ended.
    s.append(bytesOf(4));
    expect(s.samples).toBe(3);
  });

  it('rejects readers when decoding fails, and fails once past its capacity', async () => {
    const s = new PcmStream(100);
    const waiting = s.until(10);
    s.fail(new Error('corrupt audio'));
    await expect(waiting).rejects.toThrow(/corrupt audio/);
    await expect(s.until(1)).rejects.toThrow(/corrupt audio/);
    const small = new PcmStream(2);
    small.append(bytesOf(1, 2, 3));
    await expect(small.until(1)).rejects.toThrow(/at most 2 samples/);
  });
});
