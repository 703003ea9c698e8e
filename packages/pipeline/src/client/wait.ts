import { isTerminal, runStatus, type RunStatus } from './status.ts';
import type { StageQueues } from './queues.ts';

/**
 * Polls the runs' jobs until every run has ended; `onProgress` gets the count of finished runs.
 * Polling (not queue events) so a run that ended before we started waiting is still seen.
 */
export async function waitForRuns(
  queues: StageQueues,
  runIds: string[],
  o: { pollMs?: number; timeoutMs?: number; onProgress?: (done: number, statuses: RunStatus[]) => void } = {},
): Promise<RunStatus[]> {
  const pollMs = o.pollMs ?? 200;
  const deadline = Date.now() + (o.timeoutMs ?? 30 * 60_000);
  const done = new Map<string, RunStatus>();
  for (;;) {
    for (const id of runIds) {
      if (done.has(id)) continue;
      const s = await runStatus(queues, id);
      if (isTerminal(s.state)) done.set(id, s);
    }
    o.onProgress?.(done.size, [...done.values()]);
    if (done.size === runIds.length) return runIds.map((id) => done.get(id)!);
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${runIds.length - done.size} run(s)`);
    await new Promise((r) => setTimeout(r, pollMs));
  }
}
