import { createHash } from 'node:crypto';
import type { RedisConnection } from './redis.ts';

/**
 * A Lua script sent by its SHA (EVALSHA): the text crosses the wire once per server, not with
 * every call; a server that does not know it yet (first call, a restart, a failover) gets it
 * once through EVAL.
 */
export class LuaScript {
  private readonly sha: string;
  constructor(private readonly source: string) {
    this.sha = createHash('sha1').update(source).digest('hex');
  }

  async run(redis: RedisConnection, keys: string[], args: (string | number)[]): Promise<unknown> {
    try {
      return await redis.evalsha(this.sha, keys.length, ...keys, ...args);
    } catch (err) {
      if (!String((err as Error).message).startsWith('NOSCRIPT')) throw err;
      return redis.eval(this.source, keys.length, ...keys, ...args);
    }
  }
}
