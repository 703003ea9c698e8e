import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type { RedisConnection } from '../redis.ts';

/** Every Lua script, named by its file here (`<name>.lua`), as BullMQ keeps its commands. */
export const LUA_SCRIPTS = [
  'add-reader',
  'delete-if',
  'mark-handed-over',
  'replace-if',
  'request-cancel',
  'reserve-in-flight',
  'run-ended',
  'series-add-once',
  'set-handed-over',
] as const;
export type LuaScriptName = (typeof LUA_SCRIPTS)[number];

// scripts/build.mjs defines this in the bundles, with every script's text: the images ship the
// bundles, not the .lua files beside the sources.
declare const __PODPREVIEW_LUA__: Record<string, string> | undefined;

function luaSource(name: LuaScriptName): string {
  if (typeof __PODPREVIEW_LUA__ !== 'undefined') {
    const embedded = __PODPREVIEW_LUA__[name];
    if (embedded === undefined) throw new Error(`Lua script ${name} is not in this bundle (rebuild: npm run build)`);
    return embedded;
  }
  return readFileSync(new URL(`./${name}.lua`, import.meta.url), 'utf8');
}

/**
 * A Lua script sent by its SHA (EVALSHA): the text crosses the wire once per server, not with
 * every call; a server that does not know it yet (first call, a restart, a failover) gets it
 * once through EVAL.
 */
export class LuaScript {
  private readonly sha: string;
  constructor(readonly source: string) {
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

const loaded = new Map<LuaScriptName, LuaScript>();

/** The one way to a Lua script: read (or taken from the bundle) once, then sent by its SHA. */
export function luaScript(name: LuaScriptName): LuaScript {
  let script = loaded.get(name);
  if (!script) {
    script = new LuaScript(luaSource(name));
    loaded.set(name, script);
  }
  return script;
}
