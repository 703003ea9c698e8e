import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { listExternalEpisodes } from './external.ts';
import type { EpisodeOutcome } from './outcomes.ts';

/**
 * The external validation set (`../shared/eval-external/`, made by another generator): run as
 * its own `run.sh` runs it (the CLI, `podpreview enqueue MANIFEST --wait --json`), scored by its
 * own `score.py`, whose per-episode lines are read back here for the intervals.
 */

/** One episode as `score.py --json` writes it (system column). */
export interface ScorerLine {
  missing: boolean;
  hit: number;
  sentence: number;
  bad_s: number;
  len_ok: number;
  ends_clean: number;
  good: number;
}

/** The external scorer's per-episode lines as outcomes; an episode with no line counts as a miss. */
export function externalOutcomes(
  lines: Readonly<Record<string, ScorerLine>>,
  hasTranscript: Readonly<Record<string, boolean>>,
  missingBadSec = 60,
): EpisodeOutcome[] {
  return Object.keys(hasTranscript)
    .sort()
    .map((id) => {
      const l = lines[id];
      const withTranscript = hasTranscript[id] === true;
      if (!l || l.missing)
        return { hasTranscript: withTranscript, previewed: false, good: false, hit: false, sentence: false, badSec: missingBadSec, endsCleanly: false };
      return {
        hasTranscript: withTranscript,
        previewed: true,
        good: l.good === 1,
        hit: l.hit === 1,
        sentence: l.sentence === 1,
        badSec: l.bad_s,
        endsCleanly: l.ends_clean === 1,
      };
    });
}

/** Which external episodes come with a transcript: the files run.sh hands the CLI. */
export function readExternalTranscripts(setDir: string): Record<string, boolean> {
  return Object.fromEntries(listExternalEpisodes(setDir).map((e) => [e.id, e.transcriptPath !== undefined]));
}

function runTool(cmd: string, args: string[], cwd: string, onLine: (line: string) => void): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { cwd, stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    let pending = '';
    child.stdout.on('data', (d: Buffer) => {
      pending += d.toString();
      const lines = pending.split('\n');
      pending = lines.pop() ?? '';
      for (const l of lines) onLine(l);
    });
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.once('error', reject);
    child.once('exit', (code) => {
      if (pending) onLine(pending);
      if (code === 0) resolve();
      else reject(new Error(`${cmd} ${args.join(' ')} exited ${code}: ${stderr.trim().split('\n').slice(-5).join('\n')}`));
    });
  });
}

export interface ExternalRun {
  outcomes: EpisodeOutcome[];
  /** The scorer's own last line (`SCORE hit=… good=…`). */
  scoreLine: string;
  seconds: number;
}

/**
 * Runs `run.sh` from the repository root into `outDir` (its table goes to `say` as the scorer
 * prints it), then scores the same predictions again with `--json` for the per-episode lines.
 */
export async function runExternalSet(setDir: string, repoRoot: string, outDir: string, say: (line: string) => void): Promise<ExternalRun> {
  const t0 = performance.now();
  let scoreLine = '';
  await runTool('bash', [path.join(setDir, 'run.sh'), outDir], repoRoot, (line) => {
    if (line.startsWith('SCORE')) scoreLine = line;
    say(`  ${line}`);
  });
  const json = path.join(outDir, 'scores.json');
  await runTool('python3', [path.join(setDir, 'score.py'), path.join(outDir, 'predictions.json'), '--json', json], repoRoot, () => {});
  const scored = JSON.parse(readFileSync(json, 'utf8')) as { system: Record<string, ScorerLine> };
  return { outcomes: externalOutcomes(scored.system, readExternalTranscripts(setDir)), scoreLine, seconds: (performance.now() - t0) / 1000 };
}
