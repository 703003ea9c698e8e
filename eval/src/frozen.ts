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

export const recordFrozenRun = {
  /** Why the frozen draw must not run now (it already ran for this change), or null. */
  check(repoRoot: string, config: Config, again: boolean): string | null {
    const file = path.join(repoRoot, LOG);
    if (again || !existsSync(file)) return null;
    const { key } = currentChange(repoRoot, config);
    const before = previousRun(readFileSync(file, 'utf8'), key);
    return before
      ? `the frozen test draw already ran for this change (${before.date}, commit ${before.commit.slice(0, 10)}; see ${LOG}): change something first, or pass --again and say so`
      : null;
  },
  record(repoRoot: string, config: Config, run: Omit<FrozenRunLine, 'key' | 'commit' | 'date'>): void {
    const { key, commit } = currentChange(repoRoot, config);
    const line: FrozenRunLine = { key, commit, date: new Date().toISOString(), ...run };
    mkdirSync(path.join(repoRoot, '.data'), { recursive: true });
    appendFileSync(path.join(repoRoot, LOG), `${JSON.stringify(line)}\n`);
  },
};
