import type { Queue, Worker } from 'bullmq';
import { listenUrgent, PRIORITY_URGENT, type StageQueues } from '@podpreview/runs';
import type { Logger } from '@podpreview/shared';
import { pipelineMetrics } from './metrics.ts';

/**
 * Priority jobs in one worker process. BullMQ already hands a free slot the priority job first;
 * behind a backlog the slots are all busy, so that job would wait for a normal one to end at
 * every stage, then share the CPU with it. Here each stage also has a lane: one more worker,
 * asleep until a priority job is announced for its queue (announceUrgent), which takes that
 * job at once and sleeps again when no other waits. While a priority job runs, the process's
 * normal workers start nothing new (those running finish), for at most `holdMs` at a stretch.
 *
 * The hold outlasts each priority job by `holdBetweenMs` where the run's next stage runs in this
 * process too: that stage's job is queued as the last one ends and taken by its lane a few
 * milliseconds later. Released in between, every free slot started a normal job at each hop,
 * and the run shared the CPU with them at every stage (behind a 200-episode backlog on 2 cores,
 * a 1-minute priority episode took 0.70-0.81 s, against 0.44-0.58 s held across its hops and
 * 0.32-0.40 s on an idle fleet).
 */
export class PriorityLanes {
  private urgentInFlight = 0;
  private readonly normal: Worker[] = [];
  private readonly lanes = new Map<string, { start: () => Worker; worker?: Worker; queue: Queue }>();
  /** Bounds a stretch of holding (holdMs). */
  private hold: NodeJS.Timeout | undefined;
  /** Ends the hold once no priority job has started for holdBetweenMs. */
  private between: NodeJS.Timeout | undefined;
  /** When the current stretch began (performance.now()), for the hold's metric. */
  private heldSinceMs: number | undefined;
  private listening: { close(): void } | undefined;
  private closed = false;

  constructor(private readonly o: { holdMs: number; holdBetweenMs: number; log: Logger }) {}

  /** Hears which queues take priority jobs (the queues' own variant only). */
  async listen(queues: Pick<StageQueues, 'redis' | 'prefix'>): Promise<void> {
    this.listening = await listenUrgent(queues, (stage) => this.wake(stage));
  }

  addNormal(worker: Worker): void {
    this.normal.push(worker);
  }

  /**
   * `start` makes the lane's worker, running, at its first wake: until then it holds no Redis
   * connection (and shows in no worker count).
   */
  addLane(stage: string, start: () => Worker, queue: Queue): void {
    this.lanes.set(stage, { start, queue });
  }

  /** The lanes' workers started so far (closed with the others). */
  laneWorkers(): Worker[] {
    return [...this.lanes.values()].flatMap((l) => (l.worker ? [l.worker] : []));
  }

  /** A priority job was queued for `stage`: its lane takes it now. */
  wake(stage: string): void {
    const lane = this.lanes.get(stage);
    if (this.closed || !lane) return;
    if (!lane.worker) {
      lane.worker = lane.start();
      return;
    }
    if (!lane.worker.isPaused()) return;
    lane.worker.resume().catch((err: unknown) => this.o.log.warn({ stage, err: String(err) }, 'could not wake the priority lane'));
  }

  /**
   * Runs one priority job's work, holding back normal starts meanwhile; `nextStage` says where
   * the job sent its run (none: the run ended). Held on for the next stage only where this
   * process has that stage's lane.
   */
  async track<T>(work: () => Promise<T>, nextStage: (result: T) => string | undefined): Promise<T> {
    if (this.urgentInFlight++ === 0) this.holdNormal();
    let next: string | undefined;
    try {
      const result = await work();
      next = nextStage(result);
      return result;
    } finally {
      if (--this.urgentInFlight === 0) {
        if (next !== undefined && this.lanes.has(next)) this.releaseSoon();
        else this.releaseNormal();
      }
    }
  }

  /** Called by a lane as its job ends: asleep again (taking no next job) unless another priority job waits. */
  async laneDone(stage: string): Promise<void> {
    const lane = this.lanes.get(stage);
    if (!lane?.worker || this.closed) return;
    const waiting = await lane.queue.getCountsPerPriority([PRIORITY_URGENT]).catch(() => ({}) as Record<string, number>);
    if ((waiting[PRIORITY_URGENT] ?? 0) > 0) return;
    await lane.worker.pause(true);
  }

  /** Before the workers close: nothing held back, nothing woken from now on. */
  close(): void {
    this.listening?.close();
    this.releaseNormal();
    this.closed = true;
  }

  private holdNormal(): void {
    if (this.closed) return;
    if (this.between) {
      // The same stretch goes on (the run's next stage): its bound keeps counting.
      clearTimeout(this.between);
      this.between = undefined;
      return;
    }
    if (this.hold) return;
    this.heldSinceMs = performance.now();
    for (const w of this.normal) void w.pause(true);
    // A stream of priority jobs must not starve the rest for ever.
    this.hold = setTimeout(() => this.releaseNormal(), this.o.holdMs);
    this.hold.unref();
  }

  private releaseSoon(): void {
    if (!this.hold) return;
    if (this.o.holdBetweenMs <= 0) {
      this.releaseNormal();
      return;
    }
    this.between = setTimeout(() => this.releaseNormal(), this.o.holdBetweenMs);
    this.between.unref();
  }

  private releaseNormal(): void {
    if (this.hold) clearTimeout(this.hold);
    if (this.between) clearTimeout(this.between);
    this.hold = undefined;
    this.between = undefined;
    if (this.heldSinceMs !== undefined) pipelineMetrics.priorityHold.inc((performance.now() - this.heldSinceMs) / 1000);
    this.heldSinceMs = undefined;
    if (this.closed) return;
    for (const w of this.normal) if (w.isPaused()) void w.resume();
  }
}
