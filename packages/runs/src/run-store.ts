import type { Config, ResultRow } from '@podpreview/shared';
import { CancelWatch } from './cancel-watch.ts';
import { luaScript } from './lua/index.ts';
import type { RedisConnection } from './redis.ts';
import {
  cancelChannel,
  cancelledRunsKey,
  episodeRunsKey,
  inflightKey,
  latestRunKey,
  runCallbacksKey,
  runEndedChannel,
  runIndexKey,
  runStateKey,
} from './redis.keys.ts';
import { type CallbackTarget, outcomeOf, parseRunRecord, parseTargets, type RunRecord } from './run-record.ts';

/** How long run state lives in Redis, and how many runs its indexes keep. */
export type RunLimits = Pick<Config, 'runStateTtlMs' | 'runIndexMax' | 'runsPerEpisodeMax'>;

export type Claim = { won: true } | { won: false; holder: string };

/**
 * One run per episode at a time: a claim taken with SET NX, so simultaneous requests race inside
 * Redis and exactly one wins; the worker that ends the run releases it. A claim whose release was
 * lost (a crash between the result row and the release) is taken over by the next enqueue as
 * soon as its run is seen to be over (enqueue.ts); this TTL only bounds the key itself.
 */
const CLAIM_TTL_MS = 6 * 3600_000;
/** Requests joining one run each add their callback; more than this many are not kept. */
const MAX_CALLBACKS_PER_RUN = 100;
/** Readers a run keeps besides its owner; more joining credentials are not added. */
const MAX_READERS_PER_RUN = 100;

/**
 * What Redis keeps of runs beside their jobs, for one variant (one key prefix): each run's
 * record, the indexes the listings read, the episode's claim, the callbacks a run owes and its
 * cancel and hand-over flags. Nothing else writes these keys.
 */
export class RunStore {
  private readonly cancels: CancelWatch;

  constructor(
    private readonly redis: RedisConnection,
    readonly prefix: string,
    private readonly limits: RunLimits,
  ) {
    this.cancels = new CancelWatch(redis, prefix, limits.runIndexMax);
  }

  /** Stops watching for cancel requests (the subscription has a connection of its own). */
  close(): void {
    this.cancels.close();
  }

  /**
   * Written at enqueue before the run claims its episode, so a claim holder without a record is
   * known to be gone (expired, or its enqueue died), never merely a moment too young.
   */
  async recordQueued(run: Pick<RunRecord, 'runId' | 'episodeId' | 'enqueuedAtMs' | 'request' | 'variant' | 'owner'>): Promise<void> {
    const key = runStateKey(this.prefix, run.runId);
    await this.redis
      .multi()
      .hset(key, {
        episodeId: run.episodeId,
        state: 'queued',
        enqueuedAtMs: String(run.enqueuedAtMs),
        ...(run.request ? { request: JSON.stringify(run.request) } : {}),
        ...(run.variant ? { variant: run.variant } : {}),
        ...(run.owner ? { owner: run.owner } : {}),
      })
      .pexpire(key, this.limits.runStateTtlMs)
      .exec();
  }

  /** A request that joined another run drops the record it wrote for its own, never-started one. */
  async forget(runId: string): Promise<void> {
    await this.redis.del(runStateKey(this.prefix, runId));
  }

  /** A run's record; undefined when it never existed, has expired, or was written by an incompatible version. */
  async read(runId: string): Promise<RunRecord | undefined> {
    return parseRunRecord(runId, await this.redis.hgetall(runStateKey(this.prefix, runId)));
  }

  /** The credential that started the run (null: from the command line, or the record expired). */
  async ownerOf(runId: string): Promise<string | null> {
    return this.redis.hget(runStateKey(this.prefix, runId), 'owner');
  }

  /** The state and hand-over mark of many runs at once (null: no record), for the sweeps. */
  async states(runIds: readonly string[]): Promise<{ state: string | null; fallbackRunId: string | null }[]> {
    if (runIds.length === 0) return [];
    const read = this.redis.pipeline();
    for (const id of runIds) read.hmget(runStateKey(this.prefix, id), 'state', 'fallbackRunId');
    return ((await read.exec()) ?? []).map(([, v]) => {
      const [state = null, fallbackRunId = null] = (v ?? []) as (string | null)[];
      return { state, fallbackRunId };
    });
  }

  /**
   * The run's end, once its result row is safe: its outcome, the release of its episode's claim
   * (only if the run still holds it) and the callbacks it owes, taken (a second end owes none).
   */
  async recordEnded(row: ResultRow): Promise<CallbackTarget[]> {
    const callbacks = await luaScript('run-ended').run(
      this.redis,
      [runStateKey(this.prefix, row.runId), inflightKey(this.prefix, row.episodeId), runCallbacksKey(this.prefix, row.runId)],
      [row.episodeId, row.status, String(row.enqueuedAtMs), JSON.stringify(outcomeOf(row)), this.limits.runStateTtlMs, row.runId, runEndedChannel(this.prefix)],
    );
    return parseTargets(Array.isArray(callbacks) ? (callbacks as string[]) : []);
  }

  /** Adds a credential whose request joined the run to those who may read it (not its owner, not twice, at most MAX_READERS_PER_RUN). */
  async addReader(runId: string, credential: string): Promise<void> {
    await luaScript('add-reader').run(this.redis, [runStateKey(this.prefix, runId)], [credential, String(MAX_READERS_PER_RUN)]);
  }

  /**
   * The claim is won: this run is the episode's newest, and joins the indexes the listings read.
   * Both indexes are trimmed here, by age (the run state's TTL: older runs are the results
   * table's) and by count, so they stay bounded however many runs arrive.
   */
  async recordLatest(episodeId: string, runId: string, enqueuedAtMs: number): Promise<void> {
    const { runStateTtlMs, runIndexMax, runsPerEpisodeMax } = this.limits;
    const perEpisode = episodeRunsKey(this.prefix, episodeId);
    const index = runIndexKey(this.prefix);
    await this.redis
      .multi()
      .set(latestRunKey(this.prefix, episodeId), runId, 'PX', runStateTtlMs)
      .zadd(perEpisode, enqueuedAtMs, runId)
      .zremrangebyrank(perEpisode, 0, -(runsPerEpisodeMax + 1))
      .pexpire(perEpisode, runStateTtlMs)
      .zadd(index, enqueuedAtMs, runId)
      .zremrangebyscore(index, '-inf', `(${enqueuedAtMs - runStateTtlMs}`)
      .zremrangebyrank(index, 0, -(runIndexMax + 1))
      // Every entry is younger than this, so once no run arrives for that long the index is empty anyway.
      .pexpire(index, runStateTtlMs)
      .exec();
  }

  /** The episode's newest run in this variant. */
  async latestRunOf(episodeId: string): Promise<string | undefined> {
    return (await this.redis.get(latestRunKey(this.prefix, episodeId))) ?? undefined;
  }

  /** Run ids of an episode with their enqueue times, newest first (at most PODPREVIEW_RUNS_PER_EPISODE_MAX, within the run-state TTL). */
  async episodeRuns(episodeId: string): Promise<{ runId: string; enqueuedAtMs: number }[]> {
    const raw = await this.redis.zrevrange(episodeRunsKey(this.prefix, episodeId), 0, -1, 'WITHSCORES');
    return Array.from({ length: raw.length / 2 }, (_, i) => ({ runId: raw[2 * i] ?? '', enqueuedAtMs: Number(raw[2 * i + 1]) }));
  }

  /**
   * One page of the run index, newest first: runs enqueued before `before` (a score, or a score and
   * run id to break ties), at or after `sinceMs`.
   */
  async indexed(o: { sinceMs: number; before?: { atMs: number; runId: string }; count: number }): Promise<{ runId: string; enqueuedAtMs: number }[]> {
    const max = o.before ? String(o.before.atMs) : '+inf';
    const out: { runId: string; enqueuedAtMs: number }[] = [];
    // Ties at `before.atMs` come in descending run-id order (as ZREVRANGEBYSCORE returns them):
    // those down to the cursor's run were on earlier pages, however many share its millisecond.
    for (let offset = 0; out.length < o.count; ) {
      const raw = await this.redis.zrevrangebyscore(runIndexKey(this.prefix), max, String(o.sinceMs), 'WITHSCORES', 'LIMIT', offset, o.count + 64);
      if (raw.length === 0) break;
      offset += raw.length / 2;
      for (let i = 0; i + 1 < raw.length && out.length < o.count; i += 2) {
        const runId = raw[i] ?? '';
        const enqueuedAtMs = Number(raw[i + 1]);
        if (o.before && enqueuedAtMs === o.before.atMs && runId >= o.before.runId) continue;
        out.push({ runId, enqueuedAtMs });
      }
    }
    return out;
  }

  /** Runs enqueued in (`afterMs`, `untilMs`], oldest first, a batch at a time (the fallback's deadline sweep). */
  async indexedBetween(afterMs: number, untilMs: number, offset: number, count: number): Promise<string[]> {
    return this.redis.zrangebyscore(runIndexKey(this.prefix), `(${afterMs}`, String(untilMs), 'LIMIT', offset, count);
  }

  async claimEpisode(episodeId: string, runId: string): Promise<Claim> {
    const key = inflightKey(this.prefix, episodeId);
    if ((await this.redis.set(key, runId, 'PX', CLAIM_TTL_MS, 'NX')) === 'OK') return { won: true };
    const holder = await this.redis.get(key);
    if (holder === null) return this.claimEpisode(episodeId, runId); // released meanwhile
    return { won: false, holder };
  }

  /** Takes the claim from `holder` (a run that turned out to be over), unless someone else did first. */
  async replaceClaim(episodeId: string, holder: string, runId: string): Promise<boolean> {
    return (await luaScript('replace-if').run(this.redis, [inflightKey(this.prefix, episodeId)], [holder, runId, String(CLAIM_TTL_MS)])) === 1;
  }

  /** `force`: the new run takes the claim whoever holds it. */
  async takeClaim(episodeId: string, runId: string): Promise<void> {
    await this.redis.set(inflightKey(this.prefix, episodeId), runId, 'PX', CLAIM_TTL_MS);
  }

  async releaseClaim(episodeId: string, runId: string): Promise<void> {
    await luaScript('delete-if').run(this.redis, [inflightKey(this.prefix, episodeId)], [runId]);
  }

  async addCallback(runId: string, target: CallbackTarget): Promise<void> {
    const key = runCallbacksKey(this.prefix, runId);
    await this.redis
      .multi()
      .rpush(key, JSON.stringify(target))
      .ltrim(key, 0, MAX_CALLBACKS_PER_RUN - 1)
      .pexpire(key, this.limits.runStateTtlMs)
      .exec();
  }

  /** Takes (reads and removes) the callbacks a run owes: for a run that ended before a joining request added its own. */
  async takeCallbacks(runId: string): Promise<CallbackTarget[]> {
    const key = runCallbacksKey(this.prefix, runId);
    const [[, list] = [null, []]] = (await this.redis.multi().lrange(key, 0, -1).del(key).exec()) ?? [];
    return parseTargets(list as string[]);
  }

  /** 'requested': workers stop the run at the next stage boundary; 'ended': it had already ended; 'unknown': no such run (or it expired). */
  async requestCancel(runId: string): Promise<'requested' | 'ended' | 'unknown'> {
    const outcome = (await luaScript('request-cancel').run(this.redis, [runStateKey(this.prefix, runId)], [])) as 'requested' | 'ended' | 'unknown';
    if (outcome === 'requested') {
      const key = cancelledRunsKey(this.prefix);
      const now = Date.now();
      // Added before it is published, so a worker that hears of it and rereads finds it too.
      await this.redis
        .multi()
        .zadd(key, now, runId)
        .zremrangebyscore(key, '-inf', now - this.limits.runStateTtlMs)
        .zremrangebyrank(key, 0, -this.limits.runIndexMax - 1)
        .pexpire(key, this.limits.runStateTtlMs)
        .publish(cancelChannel(this.prefix), runId)
        .exec();
    }
    return outcome;
  }

  /**
   * Whether a client asked to cancel the run (checked by workers at each stage boundary), from
   * this process's CancelWatch: normally known within a millisecond of the request, at worst
   * within CANCEL_REREAD_MS.
   */
  async isCancelRequested(runId: string): Promise<boolean> {
    return this.cancels.has(runId);
  }

  /**
   * Marks a run as handed to the fallback variant, unless it already was (one fallback per run).
   * `requiredState` (the deadline sweep's `queued`): only a run still in that state is marked.
   * True when this call marked it.
   */
  async markHandedOver(runId: string, fallbackRunId: string, requiredState?: 'queued'): Promise<boolean> {
    return (await luaScript('mark-handed-over').run(this.redis, [runStateKey(this.prefix, runId)], [fallbackRunId, requiredState ?? ''])) === 1;
  }

  /** Names the fallback run a handed-over run went to (the one it joined, if another was in flight), or clears the mark (the hand-over failed). */
  async setHandedOver(runId: string, fallbackRunId: string | undefined): Promise<void> {
    await luaScript('set-handed-over').run(this.redis, [runStateKey(this.prefix, runId)], [fallbackRunId ?? '']);
  }
}
