// `npm run bench`: every speed and memory figure of the performance targets, measured side by
// side in one run on this machine (its own inputs, its own Redis), ≥ 3 repeats each, every ratio
// within one run with the side that goes first alternating. Prints a table (min / median / max,
// target, met?), writes bench/results/summary.json and docs/speed.md from it.
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { cpus, loadavg, tmpdir } from 'node:os';
import path from 'node:path';
import { startPrivateRedis } from '@podpreview/runs';
import { childEnv, loadConfig } from '@podpreview/shared';
import Table from 'cli-table3';
import {
  type Figure,
  makeEpisode,
  makeTranscriptEpisode,
  median,
  met,
  REPO_ROOT,
  runChild,
  SAMPLES_DIR,
  timeBareDecode,
  timeCommand,
  timeNodeWithTreeRss,
} from './figures/common.ts';
import { speedDoc, type Summary } from './figures/speed-doc.ts';
import { twoCoreRatio } from './figures/host-check.ts';

const REPEATS = 3;
/** Episodes per pass of the concurrency figure (a pass runs them one after another, then at once). */
const CONCURRENT = 8;
/** Normal episodes queued ahead of the priority one. */
const BACKLOG = 200;
/** Processes writing result rows at once, each at the sink stage's production concurrency. */
const SINK_WRITERS = 4;
const SINK_ROWS = 1000;
const work = await mkdtemp(path.join(tmpdir(), 'podpreview-bench-'));
const say = (s: string) => process.stderr.write(`[${((performance.now() - started) / 1000).toFixed(0)} s] ${s}\n`);
const started = performance.now();
const loadAvg1m = loadavg()[0];
const figures: Figure[] = [];
const raw: Record<string, unknown> = {};
/** Runs both, `a` first on even repeats and `b` first on odd ones. */
const alternate = (i: number, a: () => Promise<unknown>, b: () => Promise<unknown>) => (i % 2 === 0 ? a().then(b) : b().then(a));

try {
  say(`inputs: 30-minute episodes (one with a transcript), ${CONCURRENT} distinct 5-minute ones, a 1-minute one…`);
  const long = makeEpisode(path.join(SAMPLES_DIR, 'tech-talk.mp3'), path.join(work, 'long-30min.mp3'), 1800);
  const withText = makeTranscriptEpisode(
    path.join(SAMPLES_DIR, 'interview.mp3'),
    path.join(SAMPLES_DIR, 'interview.srt'),
    path.join(work, 'text-30min.mp3'),
    path.join(work, 'text-30min.srt'),
    1800,
  );
  const shorts = Array.from({ length: CONCURRENT }, (_, i) => makeEpisode(long, path.join(work, `short-${i}.mp3`), 300, (i * 167) % 1500));
  const minute = makeEpisode(long, path.join(work, 'minute.mp3'), 60, 600);

  say('host check: two bare decodes at once against one…');
  const twoCoreAtStart = await twoCoreRatio(long);
  if (twoCoreAtStart > 1.15) say(`two decodes at once took ${twoCoreAtStart.toFixed(2)}× one: the second core is partly taken; two-core figures will read low`);

  say('podpreview --help…');
  const cli = path.join(REPO_ROOT, 'apps', 'producer', 'bin', 'podpreview.mjs');
  await timeCommand(process.execPath, [cli, '--help']);
  const help = [];
  for (let i = 0; i < 5; i++) help.push(await timeCommand(process.execPath, [cli, '--help']));
  figures.push({ key: 'cli_help_s', label: '`podpreview --help` wall', unit: 's', values: help, target: 0.4, goal: 'max' });

  say('30-minute episode: bare ffmpeg decode vs the CLI end to end…');
  const decode: number[] = [];
  const e2e: number[] = [];
  const rss: number[] = [];
  // No REDIS_URL: the CLI starts its own Redis, as a user's first run does.
  const env = childEnv({ PODPREVIEW_DATA_DIR: path.join(work, 'data-cli'), PODPREVIEW_INPUT_ROOTS: work, LOG_LEVEL: 'warn', REDIS_URL: undefined });
  for (let i = 0; i < REPEATS; i++) {
    await alternate(
      i,
      async () => decode.push(await timeBareDecode(long)),
      async () => {
        const run = await timeNodeWithTreeRss([cli, 'enqueue', long, '--wait', '--force', '--json'], env);
        e2e.push(run.seconds);
        rss.push(run.maxRssMib);
      },
    );
  }
  raw.decodeSec = decode;
  raw.cliE2eSec = e2e;
  figures.push({
    key: 'e2e_over_decode',
    label: '30-min episode: CLI wall / bare ffmpeg decode',
    unit: '×',
    values: e2e.map((e, i) => e / (decode[i] ?? Number.NaN)),
    target: 4.5,
    goal: 'max',
    notes: `CLI ${median(e2e).toFixed(1)} s, decode ${median(decode).toFixed(2)} s`,
  });

  say('30-minute episodes: stages called in-process vs through the queues (warm workers), without and with a transcript…');
  type EpisodeTimes = { directSec: number[]; queuedSec: number[] };
  const ep = await runChild<EpisodeTimes>('episode.child.ts', [long, String(REPEATS), work]);
  raw.episode = ep;
  const textEp = await runChild<EpisodeTimes>('episode.child.ts', [withText.audio, String(REPEATS), work, withText.transcript]);
  raw.transcriptEpisode = textEp;
  const overhead = (e: EpisodeTimes) => e.queuedSec.map((q, i) => (q - (e.directSec[i] ?? Number.NaN)) / q);
  figures.push({
    key: 'overhead_fraction',
    label: 'orchestration overhead, 30-min episodes with and without a transcript: (queued − in-process) / queued',
    unit: '',
    values: [...overhead(ep), ...overhead(textEp)],
    target: 0.1,
    goal: 'max',
    notes: `audio only: queued ${median(ep.queuedSec).toFixed(2)} s, in-process ${median(ep.directSec).toFixed(2)} s; with a transcript: queued ${median(textEp.queuedSec).toFixed(2)} s, in-process ${median(textEp.directSec).toFixed(2)} s`,
  });
  figures.push({
    key: 'peak_rss_mib',
    label: 'peak RSS of the CLI process tree (node, redis-server, ffmpeg), 30-min episode',
    unit: 'MiB',
    values: rss,
    target: 500,
    goal: 'max',
  });

  say('orchestration only: 2,000 episodes, five hops, trivial bodies, ours vs raw BullMQ (four timed pairs a process, alternating which goes first)…');
  const chain: { rawEps: number; oursEps: number }[] = [];
  for (let i = 0; i < REPEATS; i++) chain.push(await runChild('chain.child.ts', ['2000', '50', path.join(work, `chain-${i}`), i % 2 === 0 ? 'raw' : 'ours']));
  raw.chain = chain;
  figures.push({
    key: 'chain_ratio',
    label: 'chain throughput, trivial bodies / raw BullMQ 5-hop chain (each value: the medians of 4 timed pairs in one process)',
    unit: '',
    values: chain.map((c) => c.oursEps / c.rawEps),
    target: 0.8,
    goal: 'min',
    notes: `ours ${median(chain.map((c) => c.oursEps)).toFixed(0)}/s, raw ${median(chain.map((c) => c.rawEps)).toFixed(0)}/s`,
  });

  say(`${CONCURRENT} distinct 5-minute episodes, concurrent vs sequential…`);
  const conc: { sequentialSec: number; concurrentSec: number }[] = [];
  for (let i = 0; i < REPEATS; i++) {
    conc.push(await runChild('concurrency.child.ts', [i % 2 === 0 ? 'sequential' : 'concurrent', path.join(work, `conc-${i}`), ...shorts]));
  }
  raw.concurrency = conc;
  figures.push({
    key: 'concurrent_over_sequential',
    label: `${CONCURRENT} concurrent 5-min episodes wall / sequential`,
    unit: '×',
    values: conc.map((c) => c.concurrentSec / c.sequentialSec),
    target: 1.0,
    goal: 'max',
    notes: `concurrent ${median(conc.map((c) => c.concurrentSec)).toFixed(1)} s, sequential ${median(conc.map((c) => c.sequentialSec)).toFixed(1)} s`,
  });
  // Throughput of a warm fleet kept busy: the concurrent pass's audio over its wall, per core.
  const audioHours = (CONCURRENT * 300) / 3600;
  figures.push({
    key: 'audio_hours_per_core_hour',
    label: `throughput: audio hours per core-hour, warm fleet (${CONCURRENT} 5-min episodes at once, ${cpus().length} cores)`,
    unit: 'h/core-h',
    values: conc.map((c) => audioHours / ((c.concurrentSec / 3600) * cpus().length)),
    target: 250,
    goal: 'min',
    notes: `one 30-min episode alone: ${(0.5 / ((median(ep.queuedSec) / 3600) * cpus().length)).toFixed(0)}`,
  });

  const inFlight = loadConfig({}).concurrency.sink;
  say(`local results sink: ${SINK_WRITERS} worker processes, ${inFlight} writes in flight each (the sink stage's concurrency)…`);
  const sink: number[] = [];
  const sinkRedis = await startPrivateRedis();
  const sinkLateMs: number[] = [];
  for (let i = 0; i < REPEATS; i++) {
    const db = path.join(work, `sink-${i}.duckdb`);
    // The writers start together once all are up (process start-up is not the sink's speed);
    // one that came up late moves the start to when the last one began.
    const startAtMs = Date.now() + 8000;
    const perWriter = SINK_ROWS / SINK_WRITERS;
    const runs = await Promise.all(
      Array.from({ length: SINK_WRITERS }, (_, w) =>
        runChild<{ startedAtMs: number; endedAtMs: number }>('sink-writer.ts', [
          db,
          sinkRedis.url,
          String(perWriter),
          String(inFlight),
          `w${w}`,
          String(startAtMs),
        ]),
      ),
    );
    const from = Math.max(...runs.map((r) => r.startedAtMs));
    sinkLateMs.push(from - startAtMs);
    sink.push(SINK_ROWS / ((Math.max(...runs.map((r) => r.endedAtMs)) - from) / 1000));
  }
  await sinkRedis.stop();
  raw.sink = { rowsPerSec: sink, lastWriterLateMs: sinkLateMs };
  figures.push({
    key: 'sink_rows_per_s',
    label: `local results sink, rows/s from ${SINK_WRITERS} worker processes, ${inFlight} writes in flight each`,
    unit: 'rows/s',
    values: sink,
    target: 500,
    goal: 'min',
  });

  say(`priority under load: a 1-minute priority episode through the HTTP API, idle fleet vs ${BACKLOG} normal ones queued…`);
  const prio = await runChild<{ idleSec: number[]; loadedSec: number[]; aheadAtSubmit: number[] }>('priority.child.ts', [
    minute,
    String(BACKLOG),
    String(REPEATS),
    work,
  ]);
  raw.priority = prio;
  figures.push({
    key: 'priority_under_backlog_ratio',
    label: `priority episode latency (POST to clip) with ${BACKLOG} normal episodes queued / on an idle fleet`,
    unit: '×',
    values: prio.loadedSec.map((l, i) => l / (prio.idleSec[i] ?? Number.NaN)),
    target: 2.0,
    goal: 'max',
    notes: `loaded ${median(prio.loadedSec).toFixed(2)} s, idle ${median(prio.idleSec).toFixed(2)} s, ${median(prio.aheadAtSubmit)} waiting in preprocess at submit`,
  });

  const fmt = (v: number, f: Figure) => (['rows/s', 'MiB', 'h/core-h'].includes(f.unit) ? v.toFixed(0) : v.toFixed(f.unit === 's' ? 2 : 3));
  const table = new Table({ head: ['figure', 'min', 'median', 'max', 'target', 'met', 'notes'], style: { head: [], border: [] } });
  for (const f of figures) {
    table.push([
      f.label,
      fmt(Math.min(...f.values), f),
      fmt(median(f.values), f),
      fmt(Math.max(...f.values), f),
      `${f.goal === 'max' ? '≤' : '≥'} ${f.target}${f.unit && f.unit !== '×' ? ` ${f.unit}` : ''}`,
      met(f) ? 'yes' : 'NO',
      f.notes ?? '',
    ]);
  }
  process.stdout.write(`${table.toString()}\n`);
  const twoCoreAtEnd = await twoCoreRatio(long);
  say(`host check: two decodes at once took ${twoCoreAtStart.toFixed(2)}× one at the start, ${twoCoreAtEnd.toFixed(2)}× at the end (1.00: both cores free)`);
  const summary: Summary & Record<string, unknown> = {
    measuredAt: new Date().toISOString(),
    machine: { cpus: cpus().length, model: cpus()[0]?.model, node: process.version, loadAvg1m, twoCoreRatio: { start: twoCoreAtStart, end: twoCoreAtEnd } },
    ...Object.fromEntries(figures.map((f) => [f.key, median(f.values)])),
    figures: figures.map((f) => ({ ...f, median: median(f.values), met: met(f) })),
    raw,
    wallSec: (performance.now() - started) / 1000,
  };
  await mkdir(path.join(REPO_ROOT, 'bench', 'results'), { recursive: true });
  await writeFile(path.join(REPO_ROOT, 'bench', 'results', 'summary.json'), `${JSON.stringify(summary, null, 2)}\n`);
  await mkdir(path.join(REPO_ROOT, 'docs'), { recursive: true });
  await writeFile(path.join(REPO_ROOT, 'docs', 'speed.md'), speedDoc(summary));
  say(`wrote bench/results/summary.json and docs/speed.md (${(summary.wallSec / 60).toFixed(1)} min)`);
} catch (err) {
  say(`bench failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`);
  process.exitCode = 1;
} finally {
  await rm(work, { recursive: true, force: true, maxRetries: 5 });
}
