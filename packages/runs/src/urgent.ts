import type { StageName } from '@podpreview/shared';
import type { StageQueues } from './queues.ts';
import { urgentChannel } from './redis.keys.ts';
import { subscribe } from './subscriber.ts';

/**
 * Says that `stage`'s queue just took a priority job, so a worker's priority lane for it takes
 * the job now instead of after the normal jobs in hand. Best effort: unheard, the job still
 * goes first in the queue.
 */
export async function announceUrgent(queues: Pick<StageQueues, 'redis' | 'prefix'>, stage: StageName): Promise<void> {
  await queues.redis.publish(urgentChannel(queues.prefix), stage);
}

/** Hears announceUrgent: `onStage` with each stage named. */
export function listenUrgent(queues: Pick<StageQueues, 'redis' | 'prefix'>, onStage: (stage: string) => void): Promise<{ close(): void }> {
  return subscribe(queues.redis, urgentChannel(queues.prefix), onStage);
}
