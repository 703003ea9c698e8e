import type { StageQueues } from './queues.ts';
import { runEndedChannel } from './redis.keys.ts';
import { subscribe } from './subscriber.ts';
import { isTerminal, type RunStatus, runStatus } from './status.ts';

export interface WaitOptions {
  pollMs?: number;
  /** How often every pending run's stage jobs are read too, not only its record (see waitForRuns). */
  fullPollMs?: number;
  timeoutMs?: number;
  onProgress?: (done: number, statuses: RunStatus[]) => void;
}

/**
 * Polls the runs until every one has ended; `onProgress` gets the count of finished runs.
 * Polling (not queue events) so a run that ended before we started waiting is still seen; the
 * news of a run's end (runEndedChannel) cuts the wait for the next poll short, so a run is seen
 * as it ends rather than up to `pollMs` later (a message missed, as pub/sub may, costs only that). A
 * failed poll (Redis restarting) is retried on the next tick: the runs go on meanwhile, and
 * only the deadline ends the wait.
 *
 * Each tick reads the pending runs' records in one round trip, and the full status (a dozen
 * calls per run: its record and every stage's job) only of those whose record ended, is gone or
 * was handed over. A run can look failed from its jobs a moment before its record says so, so
 * the full status of every pending run is read every `fullPollMs` too. Waiting on many runs at
 * a short interval (the bench, `enqueue --wait` over a batch) then costs Redis and this process
 * one pipelined read per tick instead of a dozen calls per run.
 */
export async function waitForRuns(queues: StageQueues, runIds: string[], o: WaitOptions = {}): Promise<RunStatus[]> {
  const pollMs = o.pollMs ?? 100;
  const fullPollMs = Math.max(pollMs, o.fullPollMs ?? 1000);
  const deadline = Date.now() + (o.timeoutMs ?? 30 * 60_000);
  const done = new Map<string, RunStatus>();
  let lastError: unknown;
  let fullPollAtMs = 0;
  const waited = new Set(runIds);
  /** A waited-for run ended since the last poll began: the next one starts at once. */
  let heard = false;
  let wake: (() => void) | undefined;
  const unsubscribe = new AbortController();
  // Not awaited: with Redis away the subscription waits for it, and the polls must go on.
  subscribe(
    queues.redis,
    runEndedChannel(queues.prefix),
    (runId) => {
      if (!waited.has(runId) || done.has(runId)) return;
      heard = true;
      wake?.();
    },
    { signal: unsubscribe.signal },
  ).catch(() => undefined);
  try {
    return await poll();
  } finally {
    unsubscribe.abort();
  }

  async function poll(): Promise<RunStatus[]> {
    for (;;) {
      heard = false;
      try {
        let pending = runIds.filter((id) => !done.has(id));
        if (Date.now() - fullPollAtMs >= fullPollMs) {
          fullPollAtMs = Date.now();
        } else {
          const records = await queues.runs.states(pending);
          pending = pending.filter((_, i) => records[i]!.state !== 'queued' || records[i]!.fallbackRunId !== null);
        }
        for (const id of pending) {
          const s = await runStatus(queues, id);
          if (isTerminal(s.state)) done.set(id, s);
        }
        lastError = undefined;
      } catch (err) {
        lastError = err;
      }
      o.onProgress?.(done.size, [...done.values()]);
      if (done.size === runIds.length) return runIds.map((id) => done.get(id)!);
      if (Date.now() > deadline) {
        const why = lastError instanceof Error ? ` (last poll: ${lastError.message})` : '';
        throw new Error(`timed out waiting for ${runIds.length - done.size} run(s)${why}`);
      }
      if (heard) continue;
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, pollMs);
        wake = () => {
          clearTimeout(timer);
          resolve();
        };
      });
      wake = undefined;
    }
  }
}
