/**
 * `npm run eval`: three reports apart, every figure with its 95 % interval (docs/evaluation.md):
 *  1. in-distribution draws of our generator (`--episodes N` a path, default 100; `--seed`),
 *     with the failures listed episode by episode (this draw is for development);
 *  2. the external set (`../shared/eval-external/`, by its own run.sh and score.py);
 *  3. the leave-one-family-out split: one draw per held-out family (`--family-episodes N` a
 *     path), aggregates only, since a family looked at episode by episode is no longer held out.
 * `--only draws,external,families` runs a part; `--frozen` runs the frozen test draw instead
 * (aggregates only, once per change). Writes `.data/eval-report*.json`.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { loadConfig } from '@podpreview/shared';
import { type DrawSpec, FAMILY_SPLIT_SEED, FROZEN_TEST_SEED, familySplitDraws } from './draws.ts';
import { EXTERNAL_SET_DIR } from './external.ts';
import { runExternalSet } from './external-report.ts';
import { HELD_OUT, heldOutTags } from './families.ts';
import { startFrozenRun } from './frozen.ts';
import { DEFAULT_SET_DIR, loadOrGenerateEvalSet, REPO_ROOT } from './generate.ts';
import { heldOutFigures } from './heldout.ts';
import { byGroup, byPath, outcomeOf, type SummaryGroup } from './outcomes.ts';
import { runPipeline } from './pipeline-run.ts';
import { failureReasons, printResults, scoreEpisodes, summaryTable, type ScoredEpisode } from './report.ts';
import { INTERVALS_NOTE, intervalMarkdown, intervalTable } from './report.intervals.ts';
import { aggregate } from './score.ts';

const { values: args } = parseArgs({
  options: {
    seed: { type: 'string' },
    episodes: { type: 'string', default: '100' },
    'family-episodes': { type: 'string', default: '25' },
    only: { type: 'string', default: 'draws,external,families' },
    frozen: { type: 'boolean', default: false },
    again: { type: 'boolean', default: false },
    external: { type: 'string', default: EXTERNAL_SET_DIR },
  },
});
const int = (name: string, v: string | undefined, lo: number, hi: number): number => {
  const n = Number(v);
  if (!(Number.isInteger(n) && n >= lo && n < hi)) throw new Error(`--${name} must be an integer in [${lo}, ${hi}), got ${v}`);
  return n;
};
const seed = args.seed === undefined ? undefined : int('seed', args.seed, 0, 2 ** 32);
const perPath = int('episodes', args.episodes, 1, 1000);
const perFamily = int('family-episodes', args['family-episodes'], 1, 1000);
const parts = new Set(args.frozen ? ['frozen'] : (args.only ?? '').split(',').map((s) => s.trim()));
const suffix = seed === undefined ? '' : `-seed-${seed}`;
const REPORT_PATH = path.join(REPO_ROOT, '.data', args.frozen ? 'eval-report-frozen.json' : `eval-report${suffix}.json`);
// Settings that shape the previews (PODPREVIEW_WEIGHT_*, PODPREVIEW_PREVIEW_SEC, the model
// manifest, …) come from the environment so they can be compared.
const config = loadConfig();
const say = (line: string) => process.stdout.write(`${line}\n`);
const started = performance.now();
const report: Record<string, unknown> = { previewSec: config.previewSec, episodesPerPath: perPath, familyEpisodesPerPath: perFamily };
const timings: Record<string, number> = {};

const heading = (title: string) => {
  say('');
  say(`=== ${title}`);
};
const intervals = (groups: SummaryGroup[]) => {
  say(intervalTable(groups));
  say(INTERVALS_NOTE);
};

/** Generates (or reuses) a set and runs the pipeline on it: what every own-generator report starts from. */
async function drawAndRun(o: { dir: string; seed?: number; count?: number; draws?: DrawSpec[]; keptDir?: string }) {
  const t0 = performance.now();
  const generated = await loadOrGenerateEvalSet({
    log: say,
    dir: o.dir,
    ...(o.seed === undefined ? {} : { seed: o.seed }),
    ...(o.count ? { count: o.count } : {}),
    ...(o.draws ? { draws: o.draws } : {}),
  });
  const { set, dir } = generated;
  const audioMin = set.episodes.reduce((s, e) => s + e.durationSec, 0) / 60;
  say(
    `${generated.generated ? 'generated' : 'reused'} ${set.episodes.length} episodes (${audioMin.toFixed(1)} min of audio) in ${dir} (generator ${set.generator})`,
  );
  for (const x of set.excluded ?? []) say(`  left out ${x.id}: its labels failed a check (${x.reasons.join('; ')})`);
  const system = await runPipeline(set.episodes, dir, config, { say, ...(o.keptDir ? { keptDir: o.keptDir } : {}) });
  const scored = scoreEpisodes(set.episodes, system.runs, system.previewSec);
  const outcomes = scored.map((s) => outcomeOf(s.labels.hasTranscript, s.labels.durationSec, system.previewSec, s.run.window, s.system));
  const seconds = (performance.now() - t0) / 1000;
  say(
    `  ${generated.generated ? `generated in ${generated.seconds.toFixed(0)} s, ` : ''}pipeline ${system.seconds.toFixed(0)} s for ${audioMin.toFixed(1)} min of audio`,
  );
  return { set, scored, outcomes, seconds, generationSec: generated.generated ? generated.seconds : null, pipelineSec: system.seconds };
}

/** The per-episode record of a draw that may be read episode by episode. */
const episodeLines = (scored: readonly ScoredEpisode[]) =>
  scored.map((s) => ({
    id: s.labels.id,
    file: s.labels.file,
    hasTranscript: s.labels.hasTranscript,
    durationSec: s.labels.durationSec,
    system: { ...s.run, score: s.system, failures: s.system && s.run.window ? failureReasons(s.labels, s.run.window, s.system) : [] },
    baselines: s.baselines,
  }));

if (parts.has('draws')) {
  heading(`1. in-distribution draw (seed ${seed ?? 'default'}, ${perPath} episodes a path)`);
  const dir = `${DEFAULT_SET_DIR}${suffix}`;
  // Runs with speech-to-text keep theirs apart: reselecting either must not read the other's sentences.
  const keptDir = path.join(REPO_ROOT, '.data', `eval-kept${suffix}${config.asr.mode === 'off' ? '' : '-asr'}`);
  const r = await drawAndRun({ dir, ...(seed === undefined ? {} : { seed }), count: 2 * perPath, keptDir });
  const rows = printResults(say, r.scored);
  const groups = byPath(r.outcomes);
  say('');
  intervals(groups);
  timings.inDistribution = r.seconds;
  report.inDistribution = {
    generator: r.set.generator,
    excluded: r.set.excluded ?? [],
    summary: Object.fromEntries(rows.map((x) => [x.name, x.summary])),
    intervals: groups,
    markdown: intervalMarkdown(groups),
    timingsSec: { generation: r.generationSec, pipeline: r.pipelineSec },
    episodes: episodeLines(r.scored),
  };
}

if (parts.has('frozen')) {
  heading(`frozen test draw (seed ${FROZEN_TEST_SEED}, ${perPath} episodes a path; aggregates only)`);
  const frozen = startFrozenRun(REPO_ROOT, config, args.again === true);
  if (frozen.refusal) throw new Error(frozen.refusal);
  const r = await drawAndRun({ dir: path.join(REPO_ROOT, '.data', 'eval-set-frozen'), seed: FROZEN_TEST_SEED, count: 2 * perPath });
  // Never the failure list: the frozen draw must not be read episode by episode.
  const all = r.scored.flatMap((s) => (s.system ? [s.system] : []));
  say(summaryTable([{ name: 'system (previewed episodes)', summary: aggregate(all) }]));
  const groups = byPath(r.outcomes);
  intervals(groups);
  timings.frozen = r.seconds;
  report.frozen = {
    seed: FROZEN_TEST_SEED,
    generator: r.set.generator,
    excluded: r.set.excluded?.length ?? 0,
    intervals: groups,
    markdown: intervalMarkdown(groups),
  };
  frozen.record({ generator: r.set.generator, perPath, intervals: groups });
}

if (parts.has('external')) {
  heading(`2. external validation set (${args.external})`);
  const out = path.join(REPO_ROOT, '.data', 'eval-external-run');
  const r = await runExternalSet(args.external ?? '', REPO_ROOT, out, say);
  const groups = byPath(r.outcomes);
  say('');
  intervals(groups);
  say("(the external scorer's rules: hit within 0.3 s of an ideal zone, ends cleanly within 1 s after a sentence end)");
  timings.external = r.seconds;
  report.external = { scoreLine: r.scoreLine, intervals: groups, markdown: intervalMarkdown(groups), runDir: out };
}

if (parts.has('families')) {
  const familySeed = seed ?? FAMILY_SPLIT_SEED;
  heading(`3. leave-one-family-out split (seed ${familySeed}, ${perFamily} episodes a path per held-out family; aggregates only)`);
  const draws = familySplitDraws(familySeed, perFamily);
  const r = await drawAndRun({ dir: path.join(REPO_ROOT, '.data', `eval-families${suffix}`), draws });
  const names = new Map(
    HELD_OUT.map((h) => [heldOutTags({ voices: 'eval', format: 'interview', ads: 'eval', music: 'eval', ...h.families }).join(','), h.name]),
  );
  const items = r.scored.map((s, i) => {
    const tag = s.labels.families ? heldOutTags(s.labels.families).join(',') : 'untagged';
    return { group: names.get(tag) ?? tag, outcome: r.outcomes[i] ?? outcomeOf(false, 0, config.previewSec, null, null) };
  });
  const groups = byGroup(items);
  intervals(groups);
  timings.families = r.seconds;
  report.families = {
    seed: familySeed,
    generator: r.set.generator,
    excluded: r.set.excluded?.length ?? 0,
    intervals: groups,
    markdown: intervalMarkdown(groups),
  };
}

if (parts.has('draws')) {
  const heldOut = await heldOutFigures();
  heading('models on data they were not trained on');
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
      : `real recordings, per-class accuracy: ${Object.entries(heldOut.realRecordings.figures)
          .map(([k, v]) => `${k} ${(100 * v).toFixed(0)} %`)
          .join(', ')}`,
  );
  report.heldOut = heldOut;
}

const totalSec = (performance.now() - started) / 1000;
say('');
say(
  `timings: ${Object.entries(timings)
    .map(([k, v]) => `${k} ${v.toFixed(0)} s`)
    .join(', ')}, total ${totalSec.toFixed(0)} s`,
);
mkdirSync(path.dirname(REPORT_PATH), { recursive: true });
writeFileSync(REPORT_PATH, `${JSON.stringify({ ...report, timingsSec: { ...timings, total: totalSec } }, null, 1)}\n`);
say(`report: ${path.relative(process.cwd(), REPORT_PATH) || REPORT_PATH}`);
