import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { appendFileSync, existsSync, mkdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import type { Config } from '@podpreview/shared';
import { generatorVersion } from './generate.ts';
import type { SummaryGroup } from './outcomes.ts';

/**
 * The frozen test draw's log (`.data/eval-frozen-runs.jsonl`): one line per run, keyed by what
 * was measured (the commit, any uncommitted change, the settings and the generator), so the
 * draw runs once per change and cannot be re-run until a figure looks better.
 */
const LOG = path.join('.data', 'eval-frozen-runs.jsonl');

export interface FrozenRunLine {
  key: string;
  commit: string;
  date: string;
  generator: string;
  perPath: number;
  intervals: SummaryGroup[];
}

/** The run already logged for this change, if any. */
export function previousRun(logText: string, key: string): FrozenRunLine | undefined {
  return logText
    .split('\n')
    .filter((l) => l.trim().startsWith('{'))
    .map((l) => JSON.parse(l) as FrozenRunLine)
    .find((l) => l.key === key);
}

export function changeKey(parts: { commit: string; diff: string; config: unknown; generator: string }): string {
  return createHash('sha256').update(JSON.stringify(parts)).digest('hex').slice(0, 16);
}

function git(repoRoot: string, args: string[]): string {
  return execFileSync('git', args, { cwd: repoRoot, encoding: 'utf8', maxBuffer: 64 << 20 });
}

function currentChange(repoRoot: string, config: Config): { key: string; commit: string } {
  const commit = git(repoRoot, ['rev-parse', 'HEAD']).trim();
  const diff = git(repoRoot, ['diff', 'HEAD']);
  return { key: changeKey({ commit, diff, config, generator: generatorVersion() }), commit };
}

export interface FrozenRunStart {
  /** Why the frozen draw must not run now (it already ran for this change), or null. */
  refusal: string | null;
  /** Logs the finished run under the change it started on. */
  record(run: Omit<FrozenRunLine, 'key' | 'commit' | 'date'>): void;
}

/** Checks the log before the frozen draw runs, and keys the run by the change as it was then. */
export function startFrozenRun(repoRoot: string, config: Config, again: boolean): FrozenRunStart {
  const file = path.join(repoRoot, LOG);
  const { key, commit } = currentChange(repoRoot, config);
  const before = existsSync(file) ? previousRun(readFileSync(file, 'utf8'), key) : undefined;
  return {
    refusal:
      before && !again
        ? `the frozen test draw already ran for this change (${before.date}, commit ${before.commit.slice(0, 10)}; see ${LOG}): change something first, or pass --again and say so`
        : null,
    record(run) {
      const line: FrozenRunLine = { key, commit, date: new Date().toISOString(), ...run };
      mkdirSync(path.dirname(file), { recursive: true });
      appendFileSync(file, `${JSON.stringify(line)}\n`);
    },
  };
}
