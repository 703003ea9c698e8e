import { readFileSync } from 'node:fs';
import path from 'node:path';
import { chooseWindow, gatherEvidence } from '@podpreview/pipeline/worker';
import type { Config, WindowChoice } from '@podpreview/shared';
import { EXTERNAL_SET_DIR, type ExternalPredictions, scoreExternal } from './external.ts';
import { loadKeptRuns } from './kept-runs.ts';

interface ExternalLabels {
  segments: { start: number; end: number; kind: string; speaker?: string; detail?: string }[];
  ideal_zones: [number, number][];
  notes?: unknown;
}

/**
 * Re-runs only the choice of window on what `eval:external-keep` kept of each external episode,
 * with this checkout's selection code and settings, and returns score.py's printout. `explain`
 * names episodes whose best-scoring starts (with each evidence's contribution) and labelled
 * segments are printed first, beside the best start inside an ideal zone.
 */
export async function reselectExternal(o: { keptDir: string; config: Config; explain?: readonly string[]; say: (line: string) => void }): Promise<string> {
  const kept = await loadKeptRuns(o.keptDir);
  const predictions: ExternalPredictions = {};
  for (const [id, input] of Object.entries(kept.inputs).sort(([a], [b]) => a.localeCompare(b))) {
    const { path: selectionPath, ...evidence } = await gatherEvidence(kept.blobs, input);
    const inputs = { ...evidence, windowSec: o.config.previewSec, weights: o.config.weights };
    const choice = chooseWindow(inputs);
    predictions[id] = { start: choice.startSec, end: choice.endSec };
    if (o.explain?.includes(id)) {
      const labels = JSON.parse(readFileSync(path.join(EXTERNAL_SET_DIR, 'episodes', id, 'labels.json'), 'utf8')) as ExternalLabels;
      const all = evidence.candidatesSec.map((c) => chooseWindow({ ...inputs, candidatesSec: [c] })).sort((a, b) => b.score - a.score);
      const inZone = (w: WindowChoice) => labels.ideal_zones.some(([a, b]) => w.startSec >= a - 0.3 && w.endSec <= b + 0.3);
      const line = (tag: string, w: WindowChoice) =>
        o.say(
          `  ${tag.padEnd(10)} ${w.startSec.toFixed(2).padStart(7)}–${w.endSec.toFixed(2).padEnd(7)} score ${w.score.toFixed(3)}: ${Object.entries(
            w.contributions,
          )
            .filter(([, v]) => v !== 0)
            .map(([k, v]) => `${k} ${v.toFixed(3)}`)
            .join(', ')}`,
        );
      o.say(`\n${id} (${selectionPath}, ${evidence.durationSec.toFixed(1)} s, ${all.length} candidates)`);
      for (const s of labels.segments)
        o.say(`    ${s.kind.padEnd(8)} ${s.start.toFixed(1).padStart(6)}–${s.end.toFixed(1).padEnd(6)} ${s.speaker ?? ''} ${s.detail ?? ''}`);
      for (const [i, w] of all.slice(0, 5).entries()) line(i === 0 ? 'chosen' : `#${i + 1}`, w);
      const best = all.find(inZone);
      if (best) line('in zone', best);
    }
  }
  return scoreExternal(predictions, o.keptDir);
}
