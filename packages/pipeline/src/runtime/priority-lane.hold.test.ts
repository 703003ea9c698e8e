import type { Queue, Worker } from 'bullmq';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createLogger } from '@podpreview/shared';
import { pipelineMetrics } from './metrics.ts';
import { PriorityLanes } from './priority-lane.ts';

// The hold of normal starts across a priority run's stages, without Redis: a normal worker is
// only paused and resumed here.

function fakeWorker() {
  let paused = false;
  const w = {
    pause: vi.fn(async () => {
      paused = true;
    }),
    resume: vi.fn(() => {
      paused = false;
    }),
    isPaused: () => paused,
  };
  return w;
}

/** A priority job that runs until its returned function is called, then sends its run to `next` (none: the run ended). */
function job(lanes: PriorityLanes, next?: string) {
  let end!: () => void;
  const done = lanes.track(
    () => new Promise<void>((r) => (end = r)),
    () => next,
  );
  return async () => {
    end();
    await done;
  };
}

let normal: ReturnType<typeof fakeWorker>;
beforeEach(() => {
  vi.useFakeTimers();
  normal = fakeWorker();
  pipelineMetrics.priorityHold.reset();
});
afterEach(() => vi.useRealTimers());

const heldSeconds = async () => (await pipelineMetrics.priorityHold.get()).values[0]?.value ?? 0;

/** Lanes for preprocess and stage A in this process: stage B runs elsewhere. */
const lanesWith = (holdBetweenMs: number, holdMs = 30_000) => {
  const lanes = new PriorityLanes({ holdMs, holdBetweenMs, log: createLogger('silent') });
  lanes.addNormal(normal as unknown as Worker);
  for (const stage of ['preprocess', 'ensemble-a']) lanes.addLane(stage, () => fakeWorker() as unknown as Worker, {} as Queue);
  return lanes;
};

describe('priority lanes: holding normal starts', () => {
  it('holds across the gap between one stage of a priority run and the next', async () => {
    const lanes = lanesWith(100);
    const endPreprocess = job(lanes, 'ensemble-a');
    expect(normal.isPaused()).toBe(true);
    await endPreprocess();
    // The next stage's lane has not taken its job yet: still held.
    await vi.advanceTimersByTimeAsync(60);
    expect(normal.isPaused()).toBe(true);
    const endStageA = job(lanes, 'ensemble-a');
    await vi.advanceTimersByTimeAsync(200);
    expect(normal.isPaused()).toBe(true);
    await endStageA();
    await vi.advanceTimersByTimeAsync(99);
    expect(normal.isPaused()).toBe(true);
    // No next stage came: released, once.
    await vi.advanceTimersByTimeAsync(1);
    expect(normal.isPaused()).toBe(false);
    expect(normal.pause).toHaveBeenCalledTimes(1);
    expect(normal.resume).toHaveBeenCalledTimes(1);
    // One stretch of 60 + 200 + 100 ms, as operators see it.
    expect(await heldSeconds()).toBeCloseTo(0.36, 2);
    lanes.close();
  });

  it('with no time between, releases as each priority job ends', async () => {
    const lanes = lanesWith(0);
    const end = job(lanes, 'ensemble-a');
    expect(normal.isPaused()).toBe(true);
    await end();
    expect(normal.isPaused()).toBe(false);
    lanes.close();
  });

  it('releases at once where the run ended, or went on to a stage this process does not run', async () => {
    const lanes = lanesWith(100);
    const endStageA = job(lanes, 'ensemble-b');
    await endStageA();
    expect(normal.isPaused()).toBe(false);
    const endSink = job(lanes);
    expect(normal.isPaused()).toBe(true);
    await endSink();
    expect(normal.isPaused()).toBe(false);
    lanes.close();
  });

  it('a stretch of stages is still bounded by holdMs from its first job', async () => {
    const lanes = lanesWith(100, 1000);
    for (let i = 0; i < 4; i++) {
      const end = job(lanes, 'preprocess');
      await vi.advanceTimersByTimeAsync(200);
      await end();
      await vi.advanceTimersByTimeAsync(50);
    }
    // 1,000 ms after the first job began, with priority jobs still coming.
    expect(normal.isPaused()).toBe(false);
    lanes.close();
  });
});
