import { readFileSync } from 'node:fs';
import { Command, InvalidArgumentError, Option } from 'commander';

// Nothing but commander at the top of any CLI module: `--help` must not wait for zod, pino or any SDK.
export const shared = () => import('@podpreview/shared');

const VERSION = (JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string }).version;

/** Documented in the README ("Commands"); scripts tell "retry later" (3) from "fix the call" (1). */
const EXIT_CODES = `
Exit codes:
  0  everything asked for succeeded
  1  an error: bad arguments or configuration, a timeout, something not found
  2  an episode failed (the others still ran; the reasons are in the output)
  3  a dependency (Redis, the results table) is unreachable: retry later`;

export const examples = (...lines: string[]) => `\nExamples:\n${lines.map((l) => `  $ ${l}`).join('\n')}`;

export const positiveNumber = (v: string) => {
  const n = Number(v);
  if (!Number.isFinite(n) || n <= 0) throw new InvalidArgumentError('a positive number');
  return n;
};

export const port = (v: string) => {
  const n = Number(v);
  if (!Number.isInteger(n) || n < 0 || n > 65535) throw new InvalidArgumentError('a port number (0: any free port)');
  return n;
};

/**
 * Configuration as @podpreview/shared reads it, with what the command line said on top (flags beat
 * their environment variables, which commander already folded into the options).
 */
export async function configWith(overrides: Record<string, string | number | undefined>) {
  const { childEnv, loadConfig } = await shared();
  return loadConfig(childEnv(Object.fromEntries(Object.entries(overrides).map(([k, v]) => [k, v === undefined ? undefined : String(v)]))));
}

/** What a command needs of the program: its global options. */
export interface CliContext {
  /** Configuration with the global flags (`--redis-url`) on top. */
  config(more?: Record<string, string | number | undefined>): ReturnType<typeof configWith>;
}

/**
 * `podpreview`: each command (one file each in this folder) loads its own code when it runs, so
 * `--help` and `status` start without the storage SDKs, and nothing ever loads models or stage
 * code up front.
 */
export function createProgram(): { program: Command; ctx: CliContext } {
  const program = new Command('podpreview')
    .description('60-second previews of podcast episodes')
    .version(VERSION, '-V, --version', 'print the version and exit')
    .addOption(new Option('-r, --redis-url <url>', 'Redis of the queues (unset: enqueue --wait starts a private one)').env('REDIS_URL'))
    .showHelpAfterError()
    .addHelpText('after', `${EXIT_CODES}\n\nEvery setting is an environment variable too: see docs/configuration.md.`);
  const ctx: CliContext = {
    config: (more = {}) => configWith({ REDIS_URL: program.opts<{ redisUrl?: string }>().redisUrl, ...more }),
  };
  return { program, ctx };
}

/** Error codes that mean a dependency is down, not that the call was wrong (exit 3). */
export const DEPENDENCY_CODES = new Set(['redis_unavailable', 'results_db_locked']);

/** The log level of a command whose output is for people or scripts: quiet unless asked. */
export const quietLevel = (json: boolean, level: string) => (json ? 'warn' : level === 'info' ? 'warn' : level);

/** The Redis a command must reach, or an error naming the settings that point at it. */
export async function requireRedis(config: Awaited<ReturnType<typeof configWith>>, why: string) {
  const redis = (await shared()).redisTargetOf(config);
  if (!redis) throw new Error(`REDIS_URL is not set (nor PODPREVIEW_REDIS_SENTINELS or PODPREVIEW_REDIS_CLUSTER_NODES): ${why}`);
  return redis;
}
