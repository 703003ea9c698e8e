import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { CONFIG_VARIABLES, configurationMarkdown } from '@podpreview/shared';
import { REPO_ROOT } from './harness.ts';

describe('docs/configuration.md', () => {
  it('is the table the settings write (npm run docs:config)', async () => {
    const table = await readFile(path.join(REPO_ROOT, 'docs/configuration.md'), 'utf8');
    expect(table).toBe(configurationMarkdown());
  });

  it('documents every configuration variable, and only those', async () => {
    const table = await readFile(path.join(REPO_ROOT, 'docs/configuration.md'), 'utf8');
    const documented = [...table.matchAll(/^\| `([A-Z0-9_]+)` \|/gm)].map((m) => m[1]);
    expect([...documented].sort()).toEqual([...CONFIG_VARIABLES].sort());
  });
});

describe('README', () => {
  it('quick start holds exactly two commands', async () => {
    const readme = await readFile(path.join(REPO_ROOT, 'README.md'), 'utf8');
    const block = /## Quick start\s+```sh\n([\s\S]*?)```/.exec(readme)?.[1] ?? '';
    expect(block.trim().split('\n')).toEqual(['npm run demo', 'npm test']);
  });

  it('stays an overview: at most 250 lines (reference, operations and history live in docs/)', async () => {
    const readme = await readFile(path.join(REPO_ROOT, 'README.md'), 'utf8');
    expect(readme.trimEnd().split('\n').length).toBeLessThanOrEqual(250);
  });

  it('and docs/ link only to files that exist', async () => {
    const pages = ['README.md', ...(await readdir(path.join(REPO_ROOT, 'docs'))).filter((f) => f.endsWith('.md')).map((f) => `docs/${f}`)];
    const broken: string[] = [];
    for (const page of pages) {
      const text = await readFile(path.join(REPO_ROOT, page), 'utf8');
      for (const [, target] of text.matchAll(/\]\(([^)\s]+)\)/g)) {
        if (target === undefined || /^(https?:|mailto:|#)/.test(target)) continue;
        const file = path.normalize(path.join(path.dirname(page), target.split('#')[0] ?? ''));
        if (!existsSync(path.join(REPO_ROOT, file))) broken.push(`${page} -> ${target}`);
      }
    }
    expect(broken).toEqual([]);
  });
});

/** Files (tracked or new) matching a pattern; git grep exits 1 when nothing matches. */
function gitGrep(args: string[]): string[] {
  try {
    return execFileSync('git', ['grep', '--untracked', ...args], { cwd: REPO_ROOT, encoding: 'utf8' })
      .split('\n')
      .filter(Boolean);
  } catch (err) {
    if ((err as { status?: number }).status === 1) return [];
    throw err;
  }
}

describe('source layout', () => {
  it('reads process.env only in the config module (scripts that set up the machine aside)', () => {
    const hits = gitGrep(['-l', 'process\\.env', '--', 'packages', 'apps', 'eval', 'bench']).filter((f) => f.includes('/src/') && !f.endsWith('.test.ts'));
    expect(hits).toEqual(['packages/shared/src/config/index.ts']);
  });

  it('keeps every file under packages/*/src at 300 lines or fewer', async () => {
    const files = gitGrep(['-c', '', '--', 'packages/*/src/**']);
    const long = files
      .map((line) => ({ file: line.slice(0, line.lastIndexOf(':')), lines: Number(line.slice(line.lastIndexOf(':') + 1)) }))
      .filter((f) => f.lines > 300);
    expect(files.length).toBeGreaterThan(100);
    expect(long).toEqual([]);
  });

  it('names the stage chain in one file', () => {
    const hits = gitGrep(['-lE', "'preprocess'.*'ensemble-a'.*'ensemble-b'.*'selection'.*'sink'", '--', '*.ts']).filter((f) => !f.endsWith('.test.ts'));
    expect(hits).toEqual(['packages/shared/src/stages.ts']);
  });
});
