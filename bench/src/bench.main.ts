// `npm run bench`: every speed and memory figure of the performance targets, measured side by
// side in one run on this machine (its own inputs, its own Redis), ≥ 3 repeats each. Prints a
// table (min / median / max, target, met?) and writes bench/results/summary.json.
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { cpus, tmpdir } from 'node:os';
import path from 'node:path';
import { childEnv } from '@podpreview/shared';
import Table from 'cli-table3';
import { type Figure, makeEpisode, median, met, REPO_ROOT, runChild, SAMPLES_DIR, timeCommand, timeNodeWithRss } from './figures/common.ts';

const REPEATS = 3;
/** Episodes per pass of the concurrency figure (a pass runs them one after another, then at once). */
const CONCURRENT = 8;
const work = await mkdtemp(path.join(tmpdir(), 'podpreview-bench-'));
const say = (s: string) => process.stderr.write(`[${((performance.now() - started) / 1000).toFixed(0)} s] ${s}\n`);
const started = performance.now();
const figures: Figure[] = [];
const raw: Record<string, unknown> = {};

try {
  say(`inputs: a 30-minute episode and ${CONCURRENT} distinct 5-minute ones…`);
  const long = makeEpisode(path.join(SAMPLES_DIR, 'tech-talk.mp3'), path.join(work, 'long-30min.mp3'), 1800);
  const shorts = Array.from({ length: CONCURRENT }, (_, i) => makeEpisode(long, path.join(work, `short-${i}.mp3`), 300, (i * 167) % 1500));

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
  const env = childEnv({
    PODPREVIEW_DATA_DIR: path.join(work, 'data-cli'),
    PODPREVIEW_INPUT_ROOTS: work,
    LOG_LEVEL: 'warn',
    REDIS_URL: undefined,
  });
  for (let i = 0; i < REPEATS; i++) {
    decode.push(await timeCommand('ffmpeg', ['-nostdin', '-loglevel', 'error', '-i', long, '-ac', '1', '-ar', '16000', '-f', 's16le', '-y', '/dev/null']));
    // The CLI runs every stage in its own process (no REDIS_URL): its peak RSS is the figure.
    const run = await timeNodeWithRss([cli, 'enqueue', long, '--wait', '--force', '--json'], env);
    e2e.push(run.seconds);
    rss.push(run.maxRssMib);
  }
  raw.decodeSec = decode;
  raw.cliE2eSec = e2e;
  figures.push({
    key: 'e2e_over_decode',
    label: '30-min episode: CLI wall / bare ffmpeg decode',
    unit: '×',
    values: e2e.map((e, i) => e / decode[i]!),
    target: 4.5,
    goal: 'max',
    notes: `CLI ${median(e2e).toFixed(1)} s, decode ${median(decode).toFixed(2)} s`,
  });

  say('30-minute episode: stages called in-process vs through the queues (warm workers)…');
  const ep = await runChild<{ directSec: number[]; queuedSec: number[] }>('episode.child.ts', [long, String(REPEATS), work]);
  raw.episode = ep;
  figures.push({
    key: 'overhead_fraction',
    label: 'orchestration overhead, 30-min episode: (queued − in-process) / queued',
    unit: '',
    values: ep.queuedSec.map((q, i) => (q - ep.directSec[i]!) / q),
    target: 0.1,
    goal: 'max',
    notes: `queued ${median(ep.queuedSec).toFixed(2)} s, in-process ${median(ep.directSec).toFixed(2)} s`,
  });

  figures.push({
    key: 'peak_rss_mib',
    label: 'peak RSS, all stages in one process (the CLI), 30-min episode',
    unit: 'MiB',
    values: rss,
    target: 500,
    goal: 'max',
  });

  say('orchestration only: 2,000 episodes, five hops, trivial bodies, ours vs raw BullMQ…');
  const chain: { rawEps: number; oursEps: number }[] = [];
  for (let i = 0; i < REPEATS; i++) chain.push(await runChild('chain.child.ts', ['2000', '50', path.join(work, `chain-${i}`)]));
  raw.chain = chain;
  figures.push({
    key: 'chain_ratio',
    label: 'chain throughput, trivial bodies / raw BullMQ 5-hop chain',
    unit: '',
    values: chain.map((c) => c.oursEps / c.rawEps),
    target: 0.8,
    goal: 'min',
    notes: `ours ${median(chain.map((c) => c.oursEps)).toFixed(0)}/s, raw ${median(chain.map((c) => c.rawEps)).toFixed(0)}/s`,
  });

  say(`${CONCURRENT} distinct 5-minute episodes, concurrent vs sequential…`);
  const conc: { sequentialSec: number; concurrentSec: number }[] = [];
  for (let i = 0; i < REPEATS; i++) conc.push(await runChild('concurrency.child.ts', [path.join(work, `conc-${i}`), ...shorts]));
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

  say('local results sink from four worker processes…');
  const sink: number[] = [];
  for (let i = 0; i < REPEATS; i++) {
    const db = path.join(work, `sink-${i}.duckdb`);
    // The writers start together once all are up (process start-up is not the sink's speed).
    const startAtMs = Date.now() + 3000;
    const ends = await Promise.all(
      Array.from({ length: 4 }, (_, w) => runChild<{ endedAtMs: number }>('sink-writer.ts', [db, '250', '25', `w${w}`, String(startAtMs)])),
    );
    sink.push(1000 / ((Math.max(...ends.map((e) => e.endedAtMs)) - startAtMs) / 1000));
  }
  figures.push({ key: 'sink_rows_per_s', label: 'local results sink, rows/s from 4 worker processes', unit: 'rows/s', values: sink, target: 500, goal: 'min' });

  // Throughput per core: audio hours per core-hour, from the warm queued runs of the 30-min episode.
  const audioHoursPerCoreHour = 0.5 / (median(ep.queuedSec) / 3600) / cpus().length;
  raw.audioHoursPerCoreHour = audioHoursPerCoreHour;

  const fmt = (v: number, f: Figure) => (f.unit === 'rows/s' ? v.toFixed(0) : f.unit === 'MiB' ? v.toFixed(0) : v.toFixed(f.unit === 's' ? 2 : 3));
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
  process.stdout.write(`Throughput: ${audioHoursPerCoreHour.toFixed(0)} audio hours per core-hour (30-min episodes, warm workers, ${cpus().length} cores).\n`);
  const summary = {
    measuredAt: new Date().toISOString(),
    machine: { cpus: cpus().length, model: cpus()[0]?.model, node: process.version },
    ...Object.fromEntries(figures.map((f) => [f.key, median(f.values)])),
    audio_hours_per_core_hour: audioHoursPerCoreHour,
    figures: figures.map((f) => ({ ...f, median: median(f.values), met: met(f) })),
    raw,
    wallSec: (performance.now() - started) / 1000,
  };
  await mkdir(path.join(REPO_ROOT, 'bench', 'results'), { recursive: true });
  await writeFile(path.join(REPO_ROOT, 'bench', 'results', 'summary.json'), `${JSON.stringify(summary, null, 2)}\n`);
  say(`wrote bench/results/summary.json (${(summary.wallSec / 60).toFixed(1)} min)`);
} catch (err) {
  say(`bench failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`);
  process.exitCode = 1;
} finally {
  await rm(work, { recursive: true, force: true, maxRetries: 5 });
}
