import { STAGES, type StageName } from '@podpreview/shared';
import { type StageQueues, stageWorkerCount } from './queues.ts';

export interface StageBacklog {
  stage: StageName;
  /** Jobs not yet started: BullMQ's waiting list plus the prioritized set (all our jobs have a priority). */
  waiting: number;
  active: number;
  /** Waiting out a retry backoff. */
  delayed: number;
  failed: number;
  completed: number;
  /** Worker connections consuming this queue. */
  workers: number;
}

/** Backlog per stage queue, for `podpreview status` and the dashboard. */
export async function queueBacklog(queues: StageQueues): Promise<StageBacklog[]> {
  return Promise.all(
    STAGES.map(async ({ name }) => {
      const q = queues[name];
      const c = await q.getJobCounts('wait', 'prioritized', 'active', 'delayed', 'failed', 'completed');
      return {
        stage: name,
        waiting: (c.wait ?? 0) + (c.prioritized ?? 0),
        active: c.active ?? 0,
        delayed: c.delayed ?? 0,
        failed: c.failed ?? 0,
        completed: c.completed ?? 0,
        workers: await stageWorkerCount(q),
      };
    }),
  );
}
