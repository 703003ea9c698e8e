import { spawn, type ChildProcess } from 'node:child_process';
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

/**
 * Starts a throwaway `redis-server` on a free loopback port in a temp dir, for the demo, the
 * CLI on a bare machine and the tests: it never touches a Redis someone else runs.
 */
export async function startPrivateRedis(opts: { port?: number; dir?: string; appendOnly?: boolean } = {}): Promise<PrivateRedis> {
  const dir = opts.dir ?? (await mkdtemp(path.join(tmpdir(), 'podpreview-redis-')));
  const port = opts.port ?? (await freePort());
  const child = spawn('redis-server', privateRedisArgs(port, dir, opts.appendOnly ?? false), { stdio: ['ignore', 'ignore', 'pipe'] });
  let spawnError: Error | undefined;
  child.once('error', (e: NodeJS.ErrnoException) => {
    spawnError = e.code === 'ENOENT' ? new Error('redis-server is not installed: run `apt-get install -y redis-server` or set REDIS_URL') : e;
  });
  const url = `redis://127.0.0.1:${port}`;
  const deadline = Date.now() + 10_000;
  for (;;) {
    if (spawnError) throw spawnError;
    if (child.exitCode !== null) throw new Error(`redis-server exited with ${child.exitCode} before accepting connections`);
    if (await redisAnswers(url)) break;
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`redis-server did not answer on ${url} within 10 s`);
    }
    await new Promise((r) => setTimeout(r, 50));
  }
  return {
    url,
    port,
    process: child,
    stop: async () => {
      if (child.exitCode === null && child.signalCode === null) {
        const exited = new Promise((r) => child.once('exit', r));
        child.kill('SIGTERM');
        await exited;
      }
      if (!opts.dir) await rm(dir, { recursive: true, force: true });
    },
  };
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
