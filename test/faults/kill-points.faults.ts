import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { closeQueues, createQueues, createRedis, enqueueEpisode, type StageQueues } from '@podpreview/runs';
import { EnqueueRequest, type ResultsSink } from '@podpreview/shared';
import { createResultsSink } from '@podpreview/storage';
import { SAMPLES_DIR, startTestEnv, type TestEnv } from '../src/harness.ts';
import { record } from './report.ts';
import { kill9, startFaultWorker, stop, tally, until, type WorkerProcess } from './world.ts';

// Workers that SIGKILL themselves at random points of a run's writes: mid blob write, before,
// during and after a result row (the last: between the row and the run record), and right after
// BullMQ failed a job for good (between the final job state and the run record). The parent
// restarts each dead worker until the kills run out, then lets clean workers finish. Good
// episodes, bad input (rejected at once) and a host that answers 503 on every attempt (a failure
// after retries) go through it; every accepted run must end with exactly one row in the table.

const KILLS = Number(process.env.PODPREVIEW_FAULTS_KILLS ?? 8);
const WORKERS = 2;
let env: TestEnv;
let queues: StageQueues;
let results: ResultsSink;
let work: string;
let host: http.Server;
const workers: WorkerProcess[] = [];
const killedAt: string[] = [];
let started = 0;

beforeAll(async () => {
  work = await mkdtemp(path.join(tmpdir(), 'podpreview-kill-points-'));
  host = http.createServer((_req, res) => res.writeHead(503).end());
  await new Promise<void>((r) => host.listen(0, '127.0.0.1', r));
  env = await startTestEnv({
    PODPREVIEW_LOCK_DURATION_MS: '2000',
    PODPREVIEW_STALLED_INTERVAL_MS: '1000',
    // Above the kills: near the end the kills left fall on the few runs still going (the bad and
    // the 503 ones), and six on one run made it `worker_lost` instead of its own failure (seen
    // once). Losing a job to stalls is the kill suite's scenario, not this one's.
    PODPREVIEW_MAX_STALLED_COUNT: String(KILLS + 2),
    PODPREVIEW_ATTEMPTS: '3',
    // The 503 host's failures stay retryable to the job's last attempt (PODPREVIEW_ATTEMPTS).
    PODPREVIEW_FETCH_ATTEMPTS: '9',
    PODPREVIEW_INPUT_ALLOW_PRIVATE_URLS: 'true',
    PODPREVIEW_FAILED_JOB_SWEEP_MS: '1000',
    PODPREVIEW_CONCURRENCY_PREPROCESS: '3',
    LOG_LEVEL: 'warn',
  });
  queues = createQueues(createRedis(env.redis.url, 'client'), env.config);
  results = createResultsSink(env.config);
});

afterAll(async () => {
  await Promise.all(workers.map(stop));
  host?.closeAllConnections();
  await new Promise((r) => host?.close(r));
  await closeQueues(queues);
  await results?.close();
  await env?.cleanup();
  if (work) await rm(work, { recursive: true, force: true });
});

/** A worker for every stage; while kills are left, one that kills itself at the points above. */
function spawnWorker(): WorkerProcess {
  started++;
  const killing = killedAt.length < KILLS;
  const w = startFaultWorker(
    {
      ...env.env,
      // Blob writes are many per run, rows one, final failures few: odds to match.
      ...(killing ? { FAULT_KILL_POINTS: 'blob-write:0.03,results-write:0.35,job-failed:0.6', FAULT_SEED: String(started) } : {}),
    },
    'all',
  );
  w.child.stderr!.on('data', (b: Buffer) => {
    for (const m of b.toString().matchAll(/fault-kill: ([^\n]+)/g)) killedAt.push(m[1]!);
  });
  return w;
}

describe('kills at random points of the writes', () => {
  it('every accepted run ends with one row in the results table: none lost, none doubled', async () => {
    const t0 = Date.now();
    await writeFile(path.join(work, 'corrupt.mp3'), Buffer.from('not audio at all '.repeat(400)));
    const down = `http://127.0.0.1:${(host.address() as AddressInfo).port}/ep.mp3`;
    const inputs = [
      ...['short-note.ogg', 'news-brief.mp3', 'tech-talk.mp3'].flatMap((f, i) => [
        { id: `good-${i}`, audioUri: path.join(SAMPLES_DIR, f) },
        { id: `good-${i}-again`, audioUri: path.join(SAMPLES_DIR, f), force: true },
      ]),
      { id: 'good-vtt', audioUri: path.join(SAMPLES_DIR, 'short-note.ogg'), transcriptUri: path.join(SAMPLES_DIR, 'short-note.vtt') },
      { id: 'bad-0', audioUri: path.join(work, 'corrupt.mp3') },
      { id: 'down-0', audioUri: down },
      { id: 'down-1', audioUri: down },
    ];
    const submitted: { episodeId: string; runId: string }[] = [];
    for (const req of inputs) {
      const r = await enqueueEpisode(queues, env.config, EnqueueRequest.parse(req));
      submitted.push({ episodeId: r.episodeId, runId: r.runId });
    }
    for (let i = 0; i < WORKERS; i++) workers.push(spawnWorker());
    let lastLog = 0;
    const settled = async () => {
      // A dead worker is replaced; once the kills have run out, by one that does not kill.
      for (const [i, w] of workers.entries()) if (w.child.exitCode !== null || w.child.signalCode !== null) workers[i] = spawnWorker();
      const rows = await Promise.all(submitted.map((s) => results.forRun(s.runId)));
      if (process.env.DEBUG_FAULTS && Date.now() - lastLog > 5000) {
        lastLog = Date.now();
        console.log(
          `t=${((Date.now() - t0) / 1000).toFixed(0)} rows=${rows.filter(Boolean).length}/${rows.length} kills=${killedAt.length} starts=${started} ${killedAt.slice(-3).join(' | ')}`,
        );
      }
      return rows.every((r) => r !== undefined);
    };
    await until('every run’s row', settled, 200_000, 250).catch(() => undefined);
    const result = await tally('kill -9 at random points (blob, row, final job state)', queues, results, submitted, {
      notes: `${killedAt.length} kills: ${summarize(killedAt)}; ${started} worker starts; ${((Date.now() - t0) / 1000).toFixed(0)} s`,
    });
    record(result);
    await Promise.all(workers.map(kill9));
    expect(killedAt.length, 'kills that landed').toBeGreaterThan(0);
    expect(result).toMatchObject({ lost: 0, duplicated: 0, deadLettered: 0, rowsWritten: submitted.length });
    // Bad input fails as such, and the 503 host fails after its retries, whatever was killed on the way.
    for (const s of submitted.filter((x) => x.episodeId.startsWith('bad-'))) expect((await results.forRun(s.runId))?.errorCode).toBe('corrupt_audio');
    for (const s of submitted.filter((x) => x.episodeId.startsWith('down-'))) expect((await results.forRun(s.runId))?.status).toBe('failed');
  });
});

function summarize(points: string[]): string {
  const counts = new Map<string, number>();
  for (const p of points) {
    const kind = p
      .replace(/ \(.*\)$/, '')
      .replace(/^blob-write .*/, 'blob-write')
      .replace(/^job-failed .*/, 'job-failed');
    counts.set(kind, (counts.get(kind) ?? 0) + 1);
  }
  return [...counts].map(([k, v]) => `${k} ×${v}`).join(', ');
}
