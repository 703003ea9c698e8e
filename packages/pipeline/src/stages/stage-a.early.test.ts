import { setTimeout as sleep } from 'node:timers/promises';
import { describe, expect, it } from 'vitest';
import { type ModelLease, type PcmStream, UsageMeter } from '@podpreview/models';
import { EarlyStageA, type EarlyStageAOptions } from './stage-a.early.ts';

/** Early work that reads the whole stream (as the front ends do), on a lease that counts its releases; `signals` sees each start's signal. */
function harness(o: Partial<EarlyStageAOptions> = {}) {
  const released: number[] = [];
  const signals: AbortSignal[] = [];
  let n = 0;
  const early = new EarlyStageA({
    maxEpisodes: 2,
    keepMs: 60_000,
    maxSamples: 16_000,
    start: async (stream: PcmStream, { signal }) => {
      const id = n++;
      signals.push(signal);
      await stream.until(Number.MAX_SAFE_INTEGER);
      const lease = { release: () => released.push(id) } as unknown as ModelLease;
      return { lease, meter: new UsageMeter(), tracks: [] };
    },
    ...o,
  });
  return { early, released, signals };
}

const pcm = (samples: number) => new Uint8Array(samples * 2).fill(1);

describe('stage A begun while preprocess decodes', () => {
  it('hands the decoded audio and the early work to the stage-A job once, after preprocess handed the episode on', async () => {
    const { early, released } = harness();
    const stream = early.begin('a.pcm', { urgent: false })!;
    stream.append(pcm(100));
    stream.end();
    // Not yet handed on: a job that came now (it cannot) would find nothing.
    expect(early.take('a.pcm')).toBeUndefined();
    early.settle('a.pcm', stream, true);
    const taken = early.take('a.pcm')!;
    expect(taken.stream.view().length).toBe(100);
    await expect(taken.work).resolves.toMatchObject({ tracks: [] });
    // Once: a retry of the job reads storage.
    expect(early.take('a.pcm')).toBeUndefined();
    expect(early.size).toBe(0);
    // The job releases the lease, not this.
    expect(released).toEqual([]);
  });

  it('drops an episode preprocess did not hand on (a duplicate, a failure): its work is stopped and its lease goes back', async () => {
    const { early, released, signals } = harness();
    const stream = early.begin('dup.pcm', { urgent: false })!;
    stream.append(pcm(10));
    stream.end();
    early.settle('dup.pcm', stream, false);
    expect(signals[0]!.aborted).toBe(true);
    expect(early.take('dup.pcm')).toBeUndefined();
    await sleep(5);
    expect(released).toEqual([0]);
    // A decode that failed midway (its stream not ended) is never handed on either.
    const failed = early.begin('bad.pcm', { urgent: false })!;
    failed.append(pcm(10));
    early.settle('bad.pcm', failed, true);
    expect(early.take('bad.pcm')).toBeUndefined();
    expect(signals[1]!.aborted).toBe(true);
  });

  it('holds at most maxEpisodes; past keepMs an episode whose job has not come is dropped', async () => {
    const { early, released } = harness({ keepMs: 30 });
    const a = early.begin('a.pcm', { urgent: false })!;
    expect(early.begin('b.pcm', { urgent: true })).toBeDefined();
    // A third episode goes the usual way: its stage-A job reads storage.
    expect(early.begin('c.pcm', { urgent: false })).toBeUndefined();
    a.end();
    early.settle('a.pcm', a, true);
    await sleep(80);
    expect(early.take('a.pcm')).toBeUndefined();
    expect(released).toEqual([0]);
    expect(early.size).toBe(1);
    early.clear();
    expect(early.size).toBe(0);
  });

  it('begins again for a preprocess job that runs again (a retry): the earlier attempt is dropped, and its end settles nothing', async () => {
    const { early, signals } = harness();
    const first = early.begin('a.pcm', { urgent: false })!;
    const second = early.begin('a.pcm', { urgent: false })!;
    expect(signals[0]!.aborted).toBe(true);
    // The first attempt ends (failed) after the second began: the second's stays.
    early.settle('a.pcm', first, false);
    expect(signals[1]!.aborted).toBe(false);
    second.end();
    early.settle('a.pcm', second, true);
    expect(early.take('a.pcm')?.stream).toBe(second);
  });
});
