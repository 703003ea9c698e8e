import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { REPO_ROOT } from './generate.ts';

/**
 * The external validation set (`../shared/eval-external/`): episodes from an independent
 * generator, scored by its own `score.py`. Selection is validated on it, never tuned to one of
 * its episodes: a hidden set with other wording, voices and shows judges the result.
 */
export const EXTERNAL_SET_DIR = path.resolve(REPO_ROOT, '..', 'shared', 'eval-external');
/** Where `eval:external-keep` keeps selection's inputs per external episode, for `eval:reselect -- --external`. */
export const EXTERNAL_KEPT_DIR = path.join(REPO_ROOT, '.data', 'eval-kept-external');

export interface ExternalEpisode {
  id: string;
  audioPath: string;
  transcriptPath?: string;
}

/** Every episode under `<setDir>/episodes/`: its audio file and transcript (VTT before SRT), as run.sh finds them. */
export function listExternalEpisodes(setDir = EXTERNAL_SET_DIR): ExternalEpisode[] {
  const root = path.join(setDir, 'episodes');
  return readdirSync(root, { withFileTypes: true })
    .filter((d) => d.isDirectory())
    .map((d) => d.name)
    .sort()
    .flatMap((id) => {
      const dir = path.join(root, id);
      const audio = readdirSync(dir).find((f) => f.startsWith('audio.'));
      if (!audio) return [];
      const transcript = ['transcript.vtt', 'transcript.srt'].find((f) => existsSync(path.join(dir, f)));
      return [{ id, audioPath: path.join(dir, audio), ...(transcript ? { transcriptPath: path.join(dir, transcript) } : {}) }];
    });
}

export type ExternalPredictions = Record<string, { start: number; end: number }>;

/** Writes the predictions as score.py reads them and returns the scorer's printout (tables, one line per episode, SCORE). */
export function scoreExternal(predictions: ExternalPredictions, outDir: string, setDir = EXTERNAL_SET_DIR): string {
  const file = path.join(outDir, 'predictions.json');
  writeFileSync(file, `${JSON.stringify(predictions, null, 1)}\n`);
  const r = spawnSync('python3', [path.join(setDir, 'score.py'), file, '--json', path.join(outDir, 'scores.json')], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`score.py failed (${r.status}): ${r.stderr}`);
  return r.stdout;
}
