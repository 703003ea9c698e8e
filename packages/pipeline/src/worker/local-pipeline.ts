import { describeRedisTarget, type RedisTarget, redisTargetOf, STAGE_NAMES, type Config, type Logger } from '@podpreview/shared';
import { type PrivateRedis, startPrivateRedis } from '@podpreview/runs';
import { type Fleet, type FleetOptions, startFleet } from './fleet.ts';

export interface LocalPipeline {
  /** The Redis it runs on: the configured one, or the private server's URL. */
  redis: RedisTarget;
  /** The same, as one line for people (passwords masked). */
  redisUrl: string;
  fleet: Fleet;
  stop(): Promise<void>;
}

export interface LocalPipelineOptions extends FleetOptions {
  /** A private Redis the caller already started (before loading this code), used when none is configured; stopped with the pipeline. */
  privateRedis?: Promise<PrivateRedis>;
}

/**
 * The whole pipeline in this process: the configured Redis, or a private one when none is
 * configured, plus a worker for every stage. `npm run demo`, `podpreview enqueue --wait` on a
 * bare machine and the integration tests all run through here.
 */
export async function startLocalPipeline(config: Config, log: Logger, o: LocalPipelineOptions = {}): Promise<LocalPipeline> {
  // A private Redis starts while the models load.
  const configured = redisTargetOf(config);
  const starting = configured ? undefined : (o.privateRedis ?? startPrivateRedis());
  let privateRedis: PrivateRedis | undefined;
  const redis: RedisTarget | Promise<RedisTarget> = configured
    ? configured
    : starting!.then((r) => {
        privateRedis = r;
        log.info({ redisUrl: r.url }, 'started a private redis-server (REDIS_URL not set)');
        return r.url;
      });
  try {
    const fleet = await startFleet(config, redis, [...STAGE_NAMES], log, { modelsInBackground: o.modelsInBackground === true, soleConsumer: !configured });
    const target = await redis;
    return {
      redis: target,
      redisUrl: describeRedisTarget(target),
      fleet,
      stop: async () => {
        await fleet.stop();
        await privateRedis?.stop();
      },
    };
  } catch (err) {
    await (privateRedis ?? (await starting?.catch(() => undefined)))?.stop();
    throw err;
  }
}
