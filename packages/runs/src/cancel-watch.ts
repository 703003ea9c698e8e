import type { RedisConnection } from './redis.ts';
import { cancelChannel, cancelledRunsKey } from './redis.keys.ts';
import { subscribe } from './subscriber.ts';

/**
 * A message missed while the subscription was down (a Redis restart) is learnt from the set
 * within this long; messages themselves arrive in about a millisecond.
 */
export const CANCEL_REREAD_MS = 5_000;

/**
 * Which runs clients asked to cancel, known in this process without a Redis round trip per job
 * (that round trip was a fifth of a trivial hop's cost). A cancel request adds the run to a
 * bounded sorted set and publishes its id; the watch hears the channel and rereads the set
 * every CANCEL_REREAD_MS. Started by the first question, so only workers open the subscription.
 */
export class CancelWatch {
  private known = new Set<string>();
  private sub: { close(): void } | undefined;
  private timer: NodeJS.Timeout | undefined;
  private opening: Promise<void> | undefined;

  constructor(
    private readonly redis: RedisConnection,
    private readonly prefix: string,
    /** The set's bound (PODPREVIEW_RUN_INDEX_MAX): past twice this, the local copy is rebuilt from it. */
    private readonly max: number,
  ) {}

  async has(runId: string): Promise<boolean> {
    this.opening ??= this.open().catch((err: unknown) => {
      this.opening = undefined;
      throw err;
    });
    await this.opening;
    return this.known.has(runId);
  }

  private async open(): Promise<void> {
    // Reconnects are ioredis's; the reread covers what is said meanwhile.
    const sub = await subscribe(this.redis, cancelChannel(this.prefix), (runId) => this.known.add(runId));
    try {
      await this.reread();
    } catch (err) {
      sub.close();
      throw err;
    }
    this.sub = sub;
    this.timer = setInterval(() => {
      this.reread().catch(() => {});
    }, CANCEL_REREAD_MS);
    this.timer.unref();
  }

  /** Adds what the set holds; never drops an id heard on the channel after the read was sent. */
  private async reread(): Promise<void> {
    const ids = await this.redis.zrange(cancelledRunsKey(this.prefix), '0', '-1');
    if (this.known.size > 2 * this.max) this.known = new Set(ids);
    else for (const id of ids) this.known.add(id);
  }

  close(): void {
    if (this.timer) clearInterval(this.timer);
    this.sub?.close();
    this.sub = undefined;
    this.opening = undefined;
  }
}
