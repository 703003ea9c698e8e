/**
 * An episode's 16-bit PCM while it is being decoded, in one growable block of shared memory:
 * model threads read what has arrived in place, and once decoding ends the same memory is the
 * whole episode, so the stage that decoded it and the models that read it share one copy (no
 * second read of the stored file). Growing reserves address space up to `maxSamples` once and
 * commits pages as the audio arrives: nothing is copied when it grows.
 */
export class PcmStream {
  private readonly buffer: SharedArrayBuffer;
  private bytes = 0;
  private state: 'open' | 'ended' | 'failed' = 'open';
  private error: unknown;
  private waiters: { samples: number; wake: () => void }[] = [];

  constructor(readonly maxSamples: number) {
    if (!Number.isSafeInteger(maxSamples) || maxSamples < 1) throw new RangeError(`a PCM stream holds at least one sample, not ${maxSamples}`);
    this.buffer = new SharedArrayBuffer(0, { maxByteLength: maxSamples * 2 });
  }

  /** Samples arrived so far (whole samples: a chunk may end inside one). */
  get samples(): number {
    return this.bytes >> 1;
  }

  get ended(): boolean {
    return this.state === 'ended';
  }

  /** Appends the next bytes of little-endian 16-bit PCM, in decoding order. Past `maxSamples` the stream fails. */
  append(chunk: Uint8Array): void {
    if (this.state !== 'open') return;
    const need = this.bytes + chunk.length;
    if (need > this.buffer.maxByteLength) {
      this.fail(new RangeError(`the PCM stream holds at most ${this.maxSamples} samples`));
      return;
    }
    if (need > this.buffer.byteLength) this.buffer.grow(need);
    new Uint8Array(this.buffer, this.bytes, chunk.length).set(chunk);
    this.bytes = need;
    this.wake();
  }

  /** Decoding finished: every sample is here. */
  end(): void {
    if (this.state !== 'open') return;
    this.state = 'ended';
    this.wake();
  }

  /** Decoding failed: readers waiting for more are rejected with `err`. */
  fail(err: unknown): void {
    if (this.state !== 'open') return;
    this.state = 'failed';
    this.error = err;
    this.wake();
  }

  /**
   * Resolves with the samples arrived once there are at least `samples`, or once decoding
   * ended with fewer (the caller compares); rejects if decoding failed first.
   */
  until(samples: number): Promise<number> {
    return new Promise<number>((resolve, reject) => {
      const check = () => {
        if (this.state === 'failed') reject(this.error);
        else if (this.samples >= samples || this.state === 'ended') resolve(this.samples);
        else return false;
        return true;
      };
      if (!check()) this.waiters.push({ samples, wake: () => void check() });
    });
  }

  /** The first `samples` samples (those arrived so far by default), in place in shared memory. */
  view(samples = this.samples): Int16Array {
    if (samples > this.samples) throw new RangeError(`only ${this.samples} samples have arrived, not ${samples}`);
    return new Int16Array(this.buffer, 0, samples);
  }

  private wake(): void {
    const ready = this.waiters.filter((w) => this.state !== 'open' || this.samples >= w.samples);
    if (ready.length === 0) return;
    this.waiters = this.waiters.filter((w) => !ready.includes(w));
    for (const w of ready) w.wake();
  }
}
