/**
 * `npm run eval`: generates (or reuses) the labelled evaluation set, runs the real pipeline on
 * it (every stage in this process, a private redis-server, a temp data dir), scores the
 * system's previews and two naive baselines, prints the table and the system's failures, and
 * writes `.data/eval-report.json`. Pipeline logs are silenced: every failed run is listed with
 * its reason instead.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { enqueueEpisode, waitForRuns } from '@podpreview/pipeline/client';
import { startLocalPipeline } from '@podpreview/pipeline/worker';
import { createLogger, EnqueueRequest, loadConfig, type Config, type ResultRow } from '@podpreview/shared';
import { DEFAULT_SET_DIR, loadOrGenerateEvalSet, REPO_ROOT } from './generate.ts';
import { heldOutFigures } from './heldout.ts';
import type { EpisodeLabels, Interval } from './labels.ts';
import { failureReasons, summaryMarkdown, summaryTable, type SummaryRow } from './report.ts';
import { aggregate, baselineWindow, scorePreview, type Baseline, type PreviewScore } from './score.ts';

// `npm run eval -- --seed 7` draws another set from the same sources into its own directory.
const { values: args } = parseArgs({ options: { seed: { type: 'string' } } });
const seed = args.seed === undefined ? undefined : Number(args.seed);
if (seed !== undefined && !(Number.isInteger(seed) && seed >= 0 && seed < 2 ** 32)) throw new Error(`--seed must be an integer in [0, 2^32), got ${args.seed}`);
const suffix = seed === undefined ? '' : `-seed-${seed}`;
const REPORT_PATH = path.join(REPO_ROOT, '.data', `eval-report${suffix}.json`);
const say = (line: string) => process.stdout.write(`${line}\n`);
const started = performance.now();

const generated = await loadOrGenerateEvalSet({ log: say, ...(seed === undefined ? {} : { seed, dir: `${DEFAULT_SET_DIR}${suffix}` }) });
const { set, dir } = generated;
const audioSec = set.episodes.reduce((s, e) => s + e.durationSec, 0);
say(
  `${generated.generated ? 'generated' : 'reused'} ${set.episodes.length} episodes (${(audioSec / 60).toFixed(1)} min of audio) in ${dir}` +
    `${generated.generated ? ` in ${generated.seconds.toFixed(0)} s` : ''} (generator ${set.generator})`,
);

/** The system's preview per episode, or why there is none. */
interface SystemRun {
  status: string;
  window: Interval | null;
  path: ResultRow['path'];
  reason: string | null;
}

async function runSystem(episodes: EpisodeLabels[]): Promise<{ runs: SystemRun[]; seconds: number; previewSec: number }> {
  const t0 = performance.now();
  const work = await mkdtemp(path.join(tmpdir(), 'podpreview-eval-'));
  // Settings that shape the previews (PODPREVIEW_WEIGHT_*, PODPREVIEW_PREVIEW_SEC, the model
  // manifest, …) come from the environment so they can be compared; the queues, blobs and
  // results are always private to this run.
  const base = loadConfig();
  const dataDir = path.join(work, 'data');
  const config: Config = {
    ...base,
    redisUrl: undefined,
    queuePrefix: 'podpreview-eval',
    dataDir,
    storage: { kind: 'local' },
    sink: { kind: 'local', dbPath: path.join(dataDir, 'results.duckdb') },
    logLevel: 'fatal',
    inputs: { ...base.inputs, roots: [dir] },
  };
  const pipeline = await startLocalPipeline(config, createLogger('fatal', { app: 'eval' }));
  try {
    const runIds: string[] = [];
    for (const e of episodes) {
      const req = EnqueueRequest.parse({
        id: `eval-${e.id}`,
        audioUri: path.join(dir, e.file),
        ...(e.transcript ? { transcriptUri: path.join(dir, e.transcript) } : {}),
        force: true,
      });
      runIds.push((await enqueueEpisode(pipeline.fleet.queues, config, req)).runId);
    }
    let shown = 0;
    const statuses = await waitForRuns(pipeline.fleet.queues, runIds, {
      pollMs: 100,
      timeoutMs: 60 * 60_000, // speech-to-text (PODPREVIEW_ASR=inline) on a busy machine takes long
      onProgress: (done) => {
        if (done >= shown + 6 || (done === runIds.length && done > shown)) {
          shown = done;
          say(`  pipeline: ${shown}/${runIds.length} runs finished`);
        }
      },
    });
    const runs: SystemRun[] = [];
    for (const s of statuses) {
      const row = await pipeline.fleet.services.results.forRun(s.runId);
      const ok = row?.status === 'succeeded' && row.previewStartSec !== null && row.previewEndSec !== null;
      runs.push({
        status: row?.status ?? s.state,
        window: ok ? { startSec: row.previewStartSec!, endSec: row.previewEndSec! } : null,
        path: row?.path ?? null,
        reason: ok ? null : (row?.errorMessage ?? s.reason ?? 'no result row'),
      });
    }
    return { runs, seconds: (performance.now() - t0) / 1000, previewSec: config.previewSec };
  } finally {
    await pipeline.stop();
    await rm(work, { recursive: true, force: true });
  }
}

const episodes = set.episodes;
const system = await runSystem(episodes);
const { previewSec } = system;

const scored = episodes.map((labels, i) => {
  const run = system.runs[i]!;
  const baselines = Object.fromEntries(
    (['start-at-0', 'start-at-30%'] as Baseline[]).map((b) => {
      const window = baselineWindow(labels, b, previewSec);
      return [b, { window, score: scorePreview(labels, window) }];
    }),
  ) as Record<Baseline, { window: Interval; score: PreviewScore }>;
  return { labels, run, system: run.window ? scorePreview(labels, run.window) : null, baselines };
});

const systemScores = (filter: (s: (typeof scored)[number]) => boolean) => scored.filter((s) => filter(s) && s.system).map((s) => s.system!);
const rows: SummaryRow[] = [
  { name: 'system', summary: aggregate(systemScores(() => true)) },
  { name: 'system (with transcript)', summary: aggregate(systemScores((s) => s.labels.hasTranscript)) },
  { name: 'system (audio only)', summary: aggregate(systemScores((s) => !s.labels.hasTranscript)) },
  { name: 'start-at-0', summary: aggregate(scored.map((s) => s.baselines['start-at-0'].score)) },
  { name: 'start-at-30%', summary: aggregate(scored.map((s) => s.baselines['start-at-30%'].score)) },
];

say('');
say(summaryTable(rows));
say('starts on a sentence: share of previews starting within 0.5 s of a labelled sentence start;');
say('speech fraction: mean share of the window covered by sentences; bad overlap: mean seconds on');
say('music, ads, intro, outro and dead air over 1.5 s; inside ideal zone: share of windows wholly in content;');
say('ends cleanly: share of previews whose end falls between sentences (or at the episode end), not inside one.');

const failed = scored.filter((s) => !s.system);
const failures = scored
  .flatMap((s) => (s.system && s.run.window ? [{ s, reasons: failureReasons(s.labels, s.run.window, s.system) }] : []))
  .filter((f) => f.reasons.length > 0);
say('');
say(
  `system failures (${failures.length} of ${scored.length - failed.length} scored episodes miss a per-episode target; ${failed.length} runs without a preview):`,
);
for (const s of failed) say(`  ${s.labels.id}: run ${s.run.status}: ${s.run.reason}`);
for (const { s, reasons } of failures) {
  const l = s.labels;
  say(
    `  ${l.id} (${l.container}, ${l.hasTranscript ? `transcript, ${l.sentencesPerCue} sentence(s)/cue` : 'no transcript'}, ${l.durationSec.toFixed(1)} s): preview ${s.run.window!.startSec.toFixed(2)}–${s.run.window!.endSec.toFixed(2)} s via ${s.run.path}`,
  );
  for (const r of reasons) say(`    - ${r}`);
  say(`    structure: ${l.structure.join(' | ')}`);
}

const heldOut = await heldOutFigures();
const pct = (x: number) => `${(100 * x).toFixed(0)} %`;
say('');
say(
  `held-out text (${heldOut.independentText.sentences} hand-written sentences, never trained on), F1: ` +
    Object.entries(heldOut.independentText.f1)
      .map(([k, v]) => `${k} ${v.toFixed(3)}`)
      .join(', '),
);
say(
  'held-out text as 5 episodes, F1 sentence / median of 3 / context model: ' +
    Object.entries(heldOut.independentEpisodes)
      .map(([k, v]) => `${k} ${v.sentence.toFixed(2)} / ${v.median.toFixed(2)} / ${v.context.toFixed(2)}`)
      .join(', '),
);
say(
  'skipped' in heldOut.realRecordings
    ? `real recordings: skipped, ${heldOut.realRecordings.skipped}`
    : `real recordings (${heldOut.realRecordings.counts.speech} dialog lines, ${heldOut.realRecordings.counts.music} music, ${heldOut.realRecordings.counts.noise} noise), per-class accuracy: ` +
        Object.entries(heldOut.realRecordings.figures)
          .map(([k, v]) => `${k} ${pct(v)}`)
          .join(', '),
);

const totalSec = (performance.now() - started) / 1000;
say('');
say(
  `timings: set ${generated.generated ? `generated in ${generated.seconds.toFixed(1)} s` : `reused (${generated.seconds.toFixed(1)} s)`}, pipeline ${system.seconds.toFixed(1)} s for ${(audioSec / 60).toFixed(1)} min of audio, total ${totalSec.toFixed(1)} s`,
);

mkdirSync(path.dirname(REPORT_PATH), { recursive: true });
const report = {
  generator: set.generator,
  setDir: dir,
  previewSec,
  timingsSec: { generation: generated.generated ? generated.seconds : null, pipeline: system.seconds, total: totalSec },
  summary: Object.fromEntries(rows.map((r) => [r.name, r.summary])),
  markdown: summaryMarkdown(rows),
  heldOut,
  episodes: scored.map((s) => ({
    id: s.labels.id,
    file: s.labels.file,
    container: s.labels.container,
    hasTranscript: s.labels.hasTranscript,
    durationSec: s.labels.durationSec,
    system: { ...s.run, score: s.system, failures: s.system && s.run.window ? failureReasons(s.labels, s.run.window, s.system) : [] },
    baselines: s.baselines,
  })),
};
writeFileSync(REPORT_PATH, `${JSON.stringify(report, null, 1)}\n`);
say(`report: ${path.relative(process.cwd(), REPORT_PATH) || REPORT_PATH}`);
