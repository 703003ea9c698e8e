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
import { enqueueEpisode, waitForRuns } from '@podpreview/runs';
import { startLocalPipeline } from '@podpreview/pipeline/worker';
import { createLogger, EnqueueRequest, loadConfig, type Config } from '@podpreview/shared';
import { DEFAULT_SET_DIR, loadOrGenerateEvalSet, REPO_ROOT } from './generate.ts';
import { heldOutFigures } from './heldout.ts';
import { keepSelectionInputs } from './kept-runs.ts';
import type { EpisodeLabels } from './labels.ts';
import { failureReasons, printResults, scoreEpisodes, summaryMarkdown, type SystemRun } from './report.ts';

// `npm run eval -- --seed 7` draws another set from the same sources into its own directory.
const { values: args } = parseArgs({ options: { seed: { type: 'string' } } });
const seed = args.seed === undefined ? undefined : Number(args.seed);
if (seed !== undefined && !(Number.isInteger(seed) && seed >= 0 && seed < 2 ** 32)) throw new Error(`--seed must be an integer in [0, 2^32), got ${args.seed}`);
const suffix = seed === undefined ? '' : `-seed-${seed}`;
const REPORT_PATH = path.join(REPO_ROOT, '.data', `eval-report${suffix}.json`);
// Runs with speech-to-text keep theirs apart: reselecting either must not read the other's sentences.
// Settings that shape the previews (PODPREVIEW_WEIGHT_*, PODPREVIEW_PREVIEW_SEC, the model
// manifest, …) come from the environment so they can be compared.
const baseConfig = loadConfig();
const KEPT_DIR = path.join(REPO_ROOT, '.data', `eval-kept${suffix}${baseConfig.asr.mode === 'off' ? '' : '-asr'}`);
const say = (line: string) => process.stdout.write(`${line}\n`);
const started = performance.now();

const generated = await loadOrGenerateEvalSet({ log: say, ...(seed === undefined ? {} : { seed, dir: `${DEFAULT_SET_DIR}${suffix}` }) });
const { set, dir } = generated;
const audioSec = set.episodes.reduce((s, e) => s + e.durationSec, 0);
say(
  `${generated.generated ? 'generated' : 'reused'} ${set.episodes.length} episodes (${(audioSec / 60).toFixed(1)} min of audio) in ${dir}` +
    `${generated.generated ? ` in ${generated.seconds.toFixed(0)} s` : ''} (generator ${set.generator})`,
);

async function runSystem(episodes: EpisodeLabels[]): Promise<{ runs: SystemRun[]; seconds: number; previewSec: number }> {
  const t0 = performance.now();
  const work = await mkdtemp(path.join(tmpdir(), 'podpreview-eval-'));
  // The queues, blobs and results are always private to this run.
  const base = baseConfig;
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
    // Selection's inputs are kept for eval:reselect; the temp dir goes when the eval ends.
    keepIntermediateBlobs: true,
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
    const seconds = (performance.now() - t0) / 1000;
    const kept = await keepSelectionInputs(
      pipeline.fleet.queues.selection,
      pipeline.fleet.services.blobs,
      episodes.map((e, i) => ({ episodeId: e.id, runId: runIds[i]! })),
      KEPT_DIR,
    );
    say(`  kept selection's inputs of ${kept} runs in ${path.relative(process.cwd(), KEPT_DIR)} (npm run eval:reselect)`);
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
    return { runs, seconds, previewSec: config.previewSec };
  } finally {
    await pipeline.stop();
    await rm(work, { recursive: true, force: true });
  }
}

const episodes = set.episodes;
const system = await runSystem(episodes);
const { previewSec } = system;

const scored = scoreEpisodes(episodes, system.runs, previewSec);
const rows = printResults(say, scored);

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
