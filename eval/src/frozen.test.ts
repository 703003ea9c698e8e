import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { Config } from '@podpreview/shared';
import { startFrozenRun } from './frozen.ts';

const repo = mkdtempSync(path.join(tmpdir(), 'podpreview-frozen-'));
afterAll(() => rmSync(repo, { recursive: true, force: true }));
const git = (...args: string[]) => execFileSync('git', ['-c', 'user.email=t@example.com', '-c', 'user.name=t', ...args], { cwd: repo });
const config = { previewSec: 60 } as unknown as Config;
const run = { generator: 'g', perPath: 1, intervals: [] };

describe('startFrozenRun', () => {
  it('runs once per change: refused for the same commit and settings, allowed after an edit, a commit or with --again', () => {
    git('init', '-q');
    writeFileSync(path.join(repo, 'a.txt'), 'one\n');
    git('add', 'a.txt');
    git('commit', '-q', '-m', 'one');

    const first = startFrozenRun(repo, config, false);
    expect(first.refusal).toBeNull();
    first.record(run);
    expect(startFrozenRun(repo, config, false).refusal).toMatch(/already ran for this change/);
    expect(startFrozenRun(repo, config, true).refusal).toBeNull();
    expect(startFrozenRun(repo, { previewSec: 45 } as unknown as Config, false).refusal).toBeNull();

    writeFileSync(path.join(repo, 'a.txt'), 'two\n');
    expect(startFrozenRun(repo, config, false).refusal).toBeNull();
    git('commit', '-q', '-am', 'two');
    expect(startFrozenRun(repo, config, false).refusal).toBeNull();
  });
});
