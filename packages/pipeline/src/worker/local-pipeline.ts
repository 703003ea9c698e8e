import { STAGE_NAMES, type Config, type Logger } from '@podpreview/shared';
import { type PrivateRedis, startPrivateRedis } from '../client/redis.server.ts';
import { type Fleet, startFleet } from './fleet.ts';

export interface LocalPipeline {
  redisUrl: string;
  fleet: Fleet;
  stop(): Promise<void>;
}

/**
 * The whole pipeline in this process: the configured Redis, or a private one when none is
 * configured, plus a worker for every stage. `npm run demo`, `podpreview enqueue --wait` on a
 * bare machine and the integration tests all run through here.
 */
export async function startLocalPipeline(config: Config, log: Logger): Promise<LocalPipeline> {
  // A private Redis starts while the models load.
  const starting = config.redisUrl ? undefined : startPrivateRedis();
  let privateRedis: PrivateRedis | undefined;
  const redisUrl = config.redisUrl
    ? config.redisUrl
    : starting!.then((r) => {
        privateRedis = r;
        log.info({ redisUrl: r.url }, 'started a private redis-server (REDIS_URL not set)');
        return r.url;
      });
  try {
    const fleet = await startFleet(config, redisUrl, [...STAGE_NAMES], log);
    return {
      redisUrl: await redisUrl,
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
