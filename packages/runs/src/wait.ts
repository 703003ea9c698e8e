import type { StageQueues } from './queues.ts';
import { isTerminal, type RunStatus, runStatus } from './status.ts';

export interface WaitOptions {
  pollMs?: number;
  timeoutMs?: number;
  onProgress?: (done: number, statuses: RunStatus[]) => void;
}

/**
 * Polls the runs until every one has ended; `onProgress` gets the count of finished runs.
 * Polling (not queue events) so a run that ended before we started waiting is still seen. A
 * failed poll (Redis restarting) is retried on the next tick: the runs go on meanwhile, and
 * only the deadline ends the wait.
 */
export async function waitForRuns(queues: StageQueues, runIds: string[], o: WaitOptions = {}): Promise<RunStatus[]> {
  const pollMs = o.pollMs ?? 200;
  const deadline = Date.now() + (o.timeoutMs ?? 30 * 60_000);
  const done = new Map<string, RunStatus>();
  let lastError: unknown;
  for (;;) {
    try {
      for (const id of runIds) {
        if (done.has(id)) continue;
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
    await new Promise((r) => setTimeout(r, pollMs));
  }
}
