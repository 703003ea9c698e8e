import { type ChildProcess, execFile, spawn, spawnSync } from 'node:child_process';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { Redis } from 'ioredis';
import { closeQueues, createQueues, createRedis, freePort, privateRedisArgs, redisAnswers, type StageQueues } from '@podpreview/runs';
import { type LocalPipeline, startLocalPipeline } from '@podpreview/pipeline/worker';
import { redisTargetOf } from '@podpreview/shared';
import { startTestEnv, type TestEnv } from './harness.ts';

/**
 * Real Redis topologies for the scale-out tests: a primary with a replica watched by three
 * sentinels, and a three-primary cluster. Every process runs on a free loopback port in its own
 * temp dir and is killed by the test that started it.
 */

/** The Debian binaries `names` that are not installed (a test skips, naming them). */
export function missingBinaries(names: string[]): string[] {
  return names.filter((n) => spawnSync('sh', ['-c', `command -v ${n}`]).status !== 0);
}

export interface RedisProcess {
  port: number;
  child: ChildProcess;
  /** SIGKILL: no shutdown, no last write; what a lost machine looks like. */
  kill9(): Promise<void>;
  stop(): Promise<void>;
}

const answers = (port: number, password?: string) => redisAnswers({ host: '127.0.0.1', port, ...(password ? { password } : {}) });

async function spawnRedis(binary: string, args: string[], port: number, password?: string): Promise<RedisProcess> {
  const child = spawn(binary, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  const stderr: string[] = [];
  child.stderr!.on('data', (b: Buffer) => stderr.push(b.toString()));
  child.stdout!.on('data', (b: Buffer) => stderr.push(b.toString()));
  const deadline = Date.now() + 10_000;
  while (!(await answers(port, password))) {
    if (child.exitCode !== null) throw new Error(`${binary} on ${port} exited with ${child.exitCode}: ${stderr.join('').slice(-500)}`);
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`${binary} did not answer on ${port} within 10 s`);
    }
    await new Promise((r) => setTimeout(r, 50));
  }
  const end = async (signal: NodeJS.Signals) => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise((r) => child.once('exit', r));
    child.kill(signal);
    await exited;
  };
  return { port, child, kill9: () => end('SIGKILL'), stop: () => end('SIGTERM') };
}

/** A data server; with a password, replicas authenticate to their primary with the same one. */
const serverArgs = (port: number, dir: string, password?: string) => [
  ...(password ? ['--requirepass', password, '--masterauth', password] : []),
  ...privateRedisArgs(port, dir),
];

async function until(what: string, probe: () => Promise<boolean>, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await probe().catch(() => false))) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

async function withClient<T>(port: number, f: (r: Redis) => Promise<T>, password?: string): Promise<T> {
  const r = new Redis({ port, host: '127.0.0.1', password, maxRetriesPerRequest: 0, retryStrategy: () => null });
  r.on('error', () => {});
  try {
    return await f(r);
  } finally {
    r.disconnect();
  }
}

export interface SentinelSet {
  name: string;
  primary: RedisProcess;
  replica: RedisProcess;
  sentinels: RedisProcess[];
  /** `host:port,…` for PODPREVIEW_REDIS_SENTINELS. */
  sentinelList: string;
  /** The port the sentinels currently name as the primary. */
  primaryPort(): Promise<number>;
  stop(): Promise<void>;
}

/**
 * A primary, one replica in sync with it, and three sentinels (quorum 2) that already know each
 * other and the replica, so a failover can start as soon as the primary is seen down (1 s).
 * `password` guards the data servers, `sentinelPassword` the sentinels.
 */
export async function startSentinelSet(o: { name?: string; password?: string; sentinelPassword?: string } = {}): Promise<SentinelSet> {
  const name = o.name ?? 'podpreview';
  const { password, sentinelPassword } = o;
  const dir = await mkdtemp(path.join(tmpdir(), 'podpreview-sentinel-'));
  const started: RedisProcess[] = [];
  try {
    const [pPort, rPort] = [await freePort(), await freePort()];
    const primary = await spawnRedis('redis-server', serverArgs(pPort, dir, password), pPort, password);
    started.push(primary);
    const replicaDir = path.join(dir, 'replica');
    await mkdir(replicaDir);
    const replica = await spawnRedis('redis-server', [...serverArgs(rPort, replicaDir, password), '--replicaof', '127.0.0.1', String(pPort)], rPort, password);
    started.push(replica);
    await until('the replica to sync', () => withClient(rPort, async (r) => (await r.info('replication')).includes('master_link_status:up'), password), 15_000);
    const sentinels: RedisProcess[] = [];
    for (let i = 0; i < 3; i++) {
      const port = await freePort();
      const conf = path.join(dir, `sentinel-${i}.conf`);
      // Sentinel rewrites its configuration file, so each gets its own, in the temp dir.
      await writeFile(
        conf,
        [
          `port ${port}`,
          'bind 127.0.0.1',
          `dir ${dir}`,
          `sentinel monitor ${name} 127.0.0.1 ${pPort} 2`,
          `sentinel down-after-milliseconds ${name} 1000`,
          `sentinel failover-timeout ${name} 5000`,
          `sentinel parallel-syncs ${name} 1`,
          ...(password ? [`sentinel auth-pass ${name} ${password}`] : []),
          // Sentinels use their own password with each other too.
          ...(sentinelPassword ? [`requirepass ${sentinelPassword}`] : []),
          '',
        ].join('\n'),
      );
      const s = await spawnRedis('redis-sentinel', [conf], port, sentinelPassword);
      sentinels.push(s);
      started.push(s);
    }
    // Sentinels find each other and the replica through the primary (hello messages, INFO):
    // until they have, a failover could not reach its quorum or would have no one to promote.
    await until(
      'the sentinels to know each other and the replica',
      async () => {
        for (const s of sentinels) {
          const ok = await withClient(
            s.port,
            async (r) => {
              const peers = (await r.call('SENTINEL', 'SENTINELS', name)) as unknown[];
              const replicas = (await r.call('SENTINEL', 'REPLICAS', name)) as unknown[];
              return peers.length === 2 && replicas.length === 1;
            },
            sentinelPassword,
          );
          if (!ok) return false;
        }
        return true;
      },
      20_000,
    );
    return {
      name,
      primary,
      replica,
      sentinels,
      sentinelList: sentinels.map((s) => `127.0.0.1:${s.port}`).join(','),
      primaryPort: () =>
        withClient(sentinels[0]!.port, async (r) => Number(((await r.call('SENTINEL', 'GET-MASTER-ADDR-BY-NAME', name)) as string[])[1]), sentinelPassword),
      stop: async () => {
        await Promise.all(started.map((p) => p.kill9()));
        await rm(dir, { recursive: true, force: true });
      },
    };
  } catch (err) {
    await Promise.all(started.map((p) => p.kill9()));
    await rm(dir, { recursive: true, force: true });
    throw err;
  }
}

export interface LocalCluster {
  nodes: RedisProcess[];
  /** `host:port,…` for PODPREVIEW_REDIS_CLUSTER_NODES. */
  nodeList: string;
  /** The port of the primary that serves `key`'s slot. */
  nodeOf(key: string): Promise<number>;
  stop(): Promise<void>;
}

/** Three primaries (no replicas) with the slots split by `redis-cli --cluster create`. */
export async function startRedisCluster(size = 3, password?: string): Promise<LocalCluster> {
  const dir = await mkdtemp(path.join(tmpdir(), 'podpreview-cluster-'));
  const nodes: RedisProcess[] = [];
  try {
    for (let i = 0; i < size; i++) {
      // The cluster bus gets its own free port (by default it is port + 10000, which may be taken).
      const [port, busPort] = [await freePort(), await freePort()];
      const nodeDir = path.join(dir, String(port));
      await mkdir(nodeDir);
      nodes.push(
        await spawnRedis(
          'redis-server',
          [
            ...serverArgs(port, nodeDir, password),
            '--cluster-enabled',
            'yes',
            '--cluster-config-file',
            'nodes.conf',
            '--cluster-node-timeout',
            '2000',
            '--cluster-port',
            String(busPort),
          ],
          port,
          password,
        ),
      );
    }
    const addrs = nodes.map((n) => `127.0.0.1:${n.port}`);
    const auth = password ? ['-a', password, '--no-auth-warning'] : [];
    await promisify(execFile)('redis-cli', [...auth, '--cluster', 'create', ...addrs, '--cluster-replicas', '0', '--cluster-yes'], { timeout: 30_000 });
    await until(
      'every node to see the cluster ok',
      async () => {
        for (const n of nodes) {
          if (!(await withClient(n.port, async (r) => (await r.call('CLUSTER', 'INFO')) as string, password)).includes('cluster_state:ok')) return false;
        }
        return true;
      },
      20_000,
    );
    const slots = await withClient(nodes[0]!.port, async (r) => (await r.call('CLUSTER', 'SLOTS')) as [number, number, [string, number]][], password);
    return {
      nodes,
      nodeList: addrs.join(','),
      nodeOf: async (key) => {
        const slot = await withClient(nodes[0]!.port, async (r) => Number(await r.call('CLUSTER', 'KEYSLOT', key)), password);
        const range = slots.find(([from, to]) => slot >= from && slot <= to);
        if (!range) throw new Error(`no node serves slot ${slot}`);
        return Number(range[2][1]);
      },
      stop: async () => {
        await Promise.all(nodes.map((n) => n.kill9()));
        await rm(dir, { recursive: true, force: true });
      },
    };
  } catch (err) {
    await Promise.all(nodes.map((n) => n.kill9()));
    await rm(dir, { recursive: true, force: true });
    throw err;
  }
}

export interface TopologyPipeline {
  env: TestEnv;
  pipeline: LocalPipeline;
  /** A client's queues, connected the way the configuration says (Sentinel or Cluster). */
  queues: StageQueues;
  stop(): Promise<void>;
}

/** Every stage in this process, reaching Redis only through `vars` (REDIS_URL unset). */
export async function startPipelineThrough(vars: Record<string, string>): Promise<TopologyPipeline> {
  const env = await startTestEnv({ REDIS_URL: '', ...vars });
  const pipeline = await startLocalPipeline(env.config, env.log);
  const queues = createQueues(createRedis(redisTargetOf(env.config)!, 'client'), env.config);
  return {
    env,
    pipeline,
    queues,
    stop: async () => {
      await pipeline.stop();
      await closeQueues(queues);
      await env.cleanup();
    },
  };
}
