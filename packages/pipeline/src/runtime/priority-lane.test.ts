import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getPriority } from 'node:os';
import { createLogger, EnqueueRequest, runCommand } from '@podpreview/shared';
import { enqueueEpisode } from '@podpreview/runs';
import { type RuntimeFixture, startRuntimeFixture } from '../testing/runtime.fixture.ts';
import type { StageHandlers } from './outcome.ts';
import { type StageWorkers, startStageWorkers } from './stage-workers.ts';

// Priority lanes on a real private Redis: one preprocess slot kept busy by normal jobs that
// wait for the test to let them go.

let f: RuntimeFixture;
let workers: StageWorkers | undefined;
const started: string[] = [];
const gates = new Map<string, () => void>();
/** The niceness each `yield-` job's ffmpeg stand-in read of itself after a second. */
const niceness = new Map<string, number>();

beforeAll(async () => {
  f = await startRuntimeFixture('priority-lane', { PODPREVIEW_ATTEMPTS: '1', PODPREVIEW_CONCURRENCY_PREPROCESS: '1' });
  workers = await startStageWorkers({ config: f.config, redis: f.redis.url, stages: ['preprocess'], handlers, results: f.sink, log: createLogger('silent') });
});

afterAll(async () => {
  for (const open of gates.values()) open();
  await workers?.stop(1000);
  await f?.close();
});

const handlers: Partial<StageHandlers> = {
  preprocess: async (input) => {
    started.push(input.episodeId);
    if (input.episodeId.startsWith('yield-')) {
      const r = await runCommand('sh', ['-c', 'sleep 1; cut -d" " -f19 /proc/$$/stat'], { yieldCpu: !input.priority });
      niceness.set(input.episodeId, Number(r.stdout.toString().trim()));
      throw new Error(`${input.episodeId} done`);
    }
    await new Promise<void>((resolve) => gates.set(input.episodeId, resolve));
    throw new Error(`${input.episodeId} let go`);
  },
};

const submit = (id: string, priority = false) => enqueueEpisode(f.queues, f.config, EnqueueRequest.parse({ id, audioUri: '/tmp/any.mp3', priority }));

async function until(what: string, ok: () => boolean, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!ok()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what} (started: ${started.join(', ')})`);
    await sleep(20);
  }
}

describe('priority lanes', () => {
  it('a priority job starts beside a busy slot, and normal jobs wait until it is done', async () => {
    await submit('normal-1');
    await until('normal-1 to start', () => started.includes('normal-1'));
    await submit('normal-2');
    await submit('urgent-1', true);
    // The only slot is busy with normal-1: the lane takes the priority job anyway.
    await until('urgent-1 to start', () => started.includes('urgent-1'));
    expect(started).toEqual(['normal-1', 'urgent-1']);

    // normal-1 ends while urgent-1 runs: its slot starts nothing new meanwhile.
    gates.get('normal-1')!();
    await sleep(500);
    expect(started).toEqual(['normal-1', 'urgent-1']);

    // urgent-1 ends: normal jobs start again, and the lane is asleep (takes no normal job).
    gates.get('urgent-1')!();
    await until('normal-2 to start', () => started.includes('normal-2'));
    await submit('normal-3');
    gates.get('normal-2')!();
    await until('normal-3 to start', () => started.includes('normal-3'));
    expect(started).toEqual(['normal-1', 'urgent-1', 'normal-2', 'normal-3']);
    gates.get('normal-3')!();
  });

  it('a priority job lowers the CPU priority of the normal runs’ children already running, not its own', async () => {
    await submit('yield-normal');
    await until('yield-normal to start', () => started.includes('yield-normal'));
    await submit('yield-urgent', true);
    await until('both to read their niceness', () => niceness.size === 2);
    expect(niceness.get('yield-normal')).toBe(Math.max(10, getPriority()));
    expect(niceness.get('yield-urgent')).toBe(getPriority());
  });
});
