import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const BIN = fileURLToPath(new URL('../bin/podpreview-dashboard.mjs', import.meta.url));
const VERSION = (JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version: string }).version;
// No Redis anywhere: a command that started the server would fail on it (exit 1), not print and exit 0.
const run = (...args: string[]) => spawnSync(process.execPath, [BIN, ...args], { encoding: 'utf8', env: { PATH: process.env.PATH }, timeout: 60_000 });

describe('podpreview-dashboard', () => {
  it('--help prints the usage, the flags with their variables and examples, and starts nothing', () => {
    const help = run('--help');
    expect(help.status, help.stderr).toBe(0);
    expect(help.stdout).toMatch(/^Usage: podpreview-dashboard \[options\]/);
    expect(help.stdout).toMatch(/env:\s+PODPREVIEW_DASHBOARD_PORT/);
    expect(help.stdout).toContain('Examples:');
    expect(help.stdout).not.toContain('dashboard: http');
  });

  it('--version and -V print the version', () => {
    for (const flag of ['--version', '-V']) {
      const v = run(flag);
      expect(v.status, v.stderr).toBe(0);
      expect(v.stdout.trim()).toBe(VERSION);
    }
  });
});
