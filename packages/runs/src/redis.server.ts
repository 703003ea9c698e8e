import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import net from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Redis } from 'ioredis';

export interface PrivateRedis {
  url: string;
  port: number;
  process: ChildProcess;
  stop(): Promise<void>;
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as net.AddressInfo;
      srv.close(() => resolve(port));
    });
  });
}

/**
 * A private server dies with the process that started it, even one killed outright (SIGKILL,
 * the OOM killer, a native abort), where setpriv (util-linux, on every Debian) asks the kernel
 * for that: such a process left its server running for good. Elsewhere only stop() ends it.
 */
const SETPRIV = ['/usr/bin/setpriv', '/bin/setpriv'].find((p) => existsSync(p));

/** What a shell, and setpriv, exit with when the program to run is not installed. */
const NOT_FOUND_EXIT = 127;

const notInstalled = () => new Error('redis-server is not installed: run `apt-get install -y redis-server` or set REDIS_URL');

/**
 * Arguments of a throwaway loopback `redis-server` in `dir`: no snapshots, and `noeviction`
 * because BullMQ loses jobs if Redis evicts keys.
 */
export function privateRedisArgs(port: number, dir: string, appendOnly = false): string[] {
  return [
    '--port',
    String(port),
    '--bind',
    '127.0.0.1',
    '--dir',
    dir,
    '--save',
    '',
    '--appendonly',
    appendOnly ? 'yes' : 'no',
    '--maxmemory-policy',
    'noeviction',
    '--daemonize',
    'no',
    '--loglevel',
    'warning',
  ];
}

export interface PrivateRedisOptions {
  port?: number;
  /** Where it keeps its files; unset, a temp dir removed when it stops. */
  dir?: string;
  appendOnly?: boolean;
}

/**
 * Starts a throwaway `redis-server` on a free loopback port in a temp dir, for the demo, the
 * CLI on a bare machine and the tests: it never touches a Redis someone else runs.
 */
export async function startPrivateRedis(opts: PrivateRedisOptions = {}): Promise<PrivateRedis> {
  return (await spawnPrivateRedis(opts)).ready;
}

/**
 * As startPrivateRedis, in two steps: resolves once the server's process is started, with
 * `ready` for when it answers. A caller about to block its thread (loading code) lets the
 * server come up meanwhile.
 */
export async function spawnPrivateRedis(opts: PrivateRedisOptions = {}): Promise<{ ready: Promise<PrivateRedis> }> {
  const dir = opts.dir ?? (await mkdtemp(path.join(tmpdir(), 'podpreview-redis-')));
  const port = opts.port ?? (await freePort());
  const args = privateRedisArgs(port, dir, opts.appendOnly ?? false);
  const stdio: ['ignore', 'ignore', 'pipe'] = ['ignore', 'ignore', 'pipe'];
  const child = SETPRIV ? spawn(SETPRIV, ['--pdeathsig', 'KILL', '--', 'redis-server', ...args], { stdio }) : spawn('redis-server', args, { stdio });
  let spawnError: Error | undefined;
  child.once('error', (e: NodeJS.ErrnoException) => {
    spawnError = e.code === 'ENOENT' ? notInstalled() : e;
  });
  const url = `redis://127.0.0.1:${port}`;
  const ready = answering(child, url, () => spawnError).then(() => ({
    url,
    port,
    process: child,
    stop: async () => {
      if (child.exitCode === null && child.signalCode === null) {
        const exited = new Promise((r) => child.once('exit', r));
        // Redis acts on SIGTERM at its next cron tick, up to 100 ms later; a throwaway server
        // (its directory removed next) has nothing to save, so it is not asked.
        child.kill(opts.dir ? 'SIGTERM' : 'SIGKILL');
        await exited;
      }
      if (!opts.dir) await rm(dir, { recursive: true, force: true });
    },
  }));
  return { ready };
}

async function answering(child: ChildProcess, url: string, spawnError: () => Error | undefined): Promise<void> {
  const deadline = Date.now() + 10_000;
  for (;;) {
    const failed = spawnError();
    if (failed) throw failed;
    if (child.exitCode === NOT_FOUND_EXIT) throw notInstalled();
    if (child.exitCode !== null) throw new Error(`redis-server exited with ${child.exitCode} before accepting connections`);
    if (await redisAnswers(url)) break;
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`redis-server did not answer on ${url} within 10 s`);
    }
    // It is usually up within a few milliseconds of its start: every CLI command without a Redis waits here.
    await new Promise((r) => setTimeout(r, 10));
  }
}

/** Whether a Redis at `target` (a URL, or host, port and password) answers PING now: one try, no retries. */
export async function redisAnswers(target: string | { host: string; port: number; password?: string }): Promise<boolean> {
  // disconnectTimeout: ioredis keeps a socket that failed to connect on a 2 s timer (its close
  // already happened, so nothing clears it), which held a CLI's exit by up to 2 s.
  const once = { lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null, disconnectTimeout: 50 };
  const r = typeof target === 'string' ? new Redis(target, once) : new Redis({ ...target, ...once });
  r.on('error', () => {});
  try {
    await r.connect();
    return (await r.ping()) === 'PONG';
  } catch {
    return false;
  } finally {
    r.disconnect();
  }
}
