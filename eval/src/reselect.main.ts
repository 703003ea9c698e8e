/**
 * `npm run eval:reselect`: re-runs only the choice of window on what the last `npm run eval`
 * (same `--seed`) kept of each run (audio tracks, scored sentences), with this checkout's
 * selection code and the PODPREVIEW_WEIGHT_* settings in the environment, and scores it like
 * the eval. Seconds instead of minutes, for tuning selection; the models' outputs are those of
 * the kept run, so a change to a model needs the full eval. `--explain ep07` also prints that
 * episode's best-scoring starts with each evidence's contribution, beside the best start that
 * keeps the window inside content. `--asr` reads what `PODPREVIEW_ASR=inline npm run eval` kept.
 * `--external` re-runs it on what `npm run eval:external-keep` kept of the external validation
 * set and prints its scorer's table (`--explain ep-0f0f` works there too).
 */
import path from 'node:path';
import { parseArgs } from 'node:util';
import { chooseWindow, type Features, gatherEvidence } from '@podpreview/pipeline/worker';
import { loadConfig, type WindowChoice } from '@podpreview/shared';
import { EXTERNAL_KEPT_DIR } from './external.ts';
import { reselectExternal } from './external-reselect.ts';
import { DEFAULT_SET_DIR, readSetLabels, REPO_ROOT } from './generate.ts';
import type { EpisodeLabels } from './labels.ts';
import { loadKeptRuns } from './kept-runs.ts';
import { printResults, scoreEpisodes, type SystemRun } from './report.ts';
import { idealZones } from './score.ts';

const { values: args } = parseArgs({
  options: { seed: { type: 'string' }, asr: { type: 'boolean' }, explain: { type: 'string', multiple: true }, external: { type: 'boolean' } },
});
const suffix = args.seed === undefined ? '' : `-seed-${Number(args.seed)}`;
const say = (line: string) => process.stdout.write(`${line}\n`);

const config = loadConfig();
if (args.external) {
  process.stdout.write(await reselectExternal({ keptDir: EXTERNAL_KEPT_DIR, config, explain: args.explain ?? [], say }));
  process.exit(0);
}
const set = readSetLabels(`${DEFAULT_SET_DIR}${suffix}`);
const kept = await loadKeptRuns(path.join(REPO_ROOT, '.data', `eval-kept${suffix}${args.asr ? '-asr' : ''}`));
const episodes = set.episodes.filter((e) => kept.inputs[e.id]);
const runs: SystemRun[] = [];
for (const e of episodes) {
  const { path: selectionPath, ...evidence } = await gatherEvidence(kept.blobs, kept.inputs[e.id]!);
  const inputs = { ...evidence, windowSec: config.previewSec, weights: config.weights };
  const choice = chooseWindow(inputs);
  runs.push({ status: 'succeeded', window: { startSec: choice.startSec, endSec: choice.endSec }, path: selectionPath, reason: null });
  if (args.explain?.includes(e.id)) {
    // Every candidate scored on its own: the winner, its runners-up, and the best one inside content.
    const all = evidence.candidatesSec.map((c) => chooseWindow({ ...inputs, candidatesSec: [c] })).sort((a, b) => b.score - a.score);
    const zones = idealZones(e);
    const inZone = (w: WindowChoice) => zones.some((z) => w.startSec >= z.startSec - 0.5 && w.endSec <= z.endSec + 0.5);
    const line = (tag: string, w: WindowChoice) =>
      say(
        `  ${tag.padEnd(10)} ${w.startSec.toFixed(2).padStart(7)}–${w.endSec.toFixed(2).padEnd(7)} score ${w.score.toFixed(3)}: ${Object.entries(
          w.contributions,
        )
          .filter(([, v]) => v !== 0)
          .map(([k, v]) => `${k} ${v.toFixed(3)}`)
          .join(', ')}`,
      );
    say(`\n${e.id} (${selectionPath}, ${e.durationSec.toFixed(1)} s, ${all.length} candidates); structure: ${e.structure.join(' | ')}`);
    for (const [i, w] of all.slice(0, 5).entries()) line(i === 0 ? 'chosen' : `#${i + 1}`, w);
    const best = all.find(inZone);
    if (best) line('in content', best);
    explainVoices(e, evidence.features);
  }
}
printResults(say, scoreEpisodes(episodes, runs, config.previewSec));

/** Which voice cluster each labelled speech segment is heard as, and how much of it counts as another voice. */
function explainVoices(e: EpisodeLabels, f: Features): void {
  const a = f.voices;
  if (!a) {
    say('  (no voice track)');
    return;
  }
  const sums = prefixSums(f.otherVoice);
  const step = f.stepSec;
  say(`  voices: ${a.voices.map((x, c) => `#${c} ${x.seconds.toFixed(0)} s ${x.turns} turns${x.rare ? ' rare' : ''}`).join(', ')}`);
  for (const seg of e.segments.filter((s) => s.kind !== 'music' && s.kind !== 'silence')) {
    const counts = new Map<string, number>();
    for (const s of e.sentences.filter((x) => x.startSec >= seg.startSec && x.endSec <= seg.endSec)) {
      const heard = new Map<number, number>();
      for (let k = Math.ceil(s.startSec / a.frameSec); k * a.frameSec + a.spanSec <= s.endSec; k++)
        heard.set(a.voiceOf[k] ?? -1, (heard.get(a.voiceOf[k] ?? -1) ?? 0) + 1);
      const top = [...heard].filter(([c]) => c >= 0).sort((x, y) => y[1] - x[1])[0]?.[0];
      const key = `${s.speaker}→${top ?? '?'}`;
      counts.set(key, (counts.get(key) ?? 0) + 1);
    }
    const i = Math.floor(seg.startSec / step);
    const j = Math.ceil(seg.endSec / step);
    say(
      `    ${seg.kind.padEnd(7)} ${seg.startSec.toFixed(1).padStart(6)}–${seg.endSec.toFixed(1).padEnd(6)} other-voice ${((sums[j]! - sums[i]!) / Math.max(1, j - i)).toFixed(2)}; sentences ${[...counts].map(([k, n]) => `${k} ×${n}`).join(', ')}`,
    );
  }
}

function prefixSums(a: Float32Array): Float64Array {
  const s = new Float64Array(a.length + 1);
  for (let i = 0; i < a.length; i++) s[i + 1] = s[i]! + a[i]!;
  return s;
}
