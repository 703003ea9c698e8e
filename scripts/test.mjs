#!/usr/bin/env node
// `npm test` after its set-up (scripts/prereqs.mjs --for-tests). Two lanes, one per core: the
// integration tests (one file at a time, the longest part), and beside them lint, type checks
// and every package's own tests; the fault suite is shared between them. Ends with one summary:
// which test files ran, and every skipped test with its reason.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const ledgerDir = path.join(root, '.data', 'test-ledger');
rmSync(ledgerDir, { recursive: true, force: true });
const env = { ...process.env, TURBO_TELEMETRY_DISABLED: '1', DO_NOT_TRACK: '1' };

// The two longest fault scenarios run after the integration tests, the others after the
// package tests: the lanes end about together on 2 cores.
const LONG_FAULTS = ['faults/soak.faults.ts', 'faults/kill-points.faults.ts'];
const faults = (args) => ['run', '--silent', '--workspace', 'test', 'test:faults', '--', ...args];
const LANES = {
  integration: [
    ['integration tests', 'npm', ['run', '--silent', '--workspace', 'test', 'test']],
    ['fault suite (long scenarios)', 'npm', faults(LONG_FAULTS)],
  ],
  packages: [
    ['lint', 'biome', ['ci', '.']],
    ['type checks and package tests', 'turbo', ['run', 'typecheck', 'test', '--concurrency=1', '--continue', '--filter=!@podpreview/integration-tests']],
    ['type check of the integration tests', 'npm', ['run', '--silent', '--workspace', 'test', 'typecheck']],
    ['fault suite', 'npm', faults(LONG_FAULTS.flatMap((f) => ['--exclude', f]))],
  ],
};

const seconds = (ms) => `${(ms / 1000).toFixed(0)} s`;
const started = Date.now();
const times = [];
const failed = [];

function step(lane, [name, cmd, args]) {
  const t0 = Date.now();
  return new Promise((resolve) => {
    const child = spawn(cmd, args, { cwd: root, env, stdio: ['ignore', 'pipe', 'pipe'] });
    for (const stream of [child.stdout, child.stderr]) createInterface({ input: stream }).on('line', (l) => process.stdout.write(`${lane} | ${l}\n`));
    child.on('close', (code) => {
      times.push(`${name} ${seconds(Date.now() - t0)}`);
      if (code !== 0) failed.push(name);
      resolve();
    });
  });
}

console.log(`podpreview tests on Node ${process.version}`);
await Promise.all(
  Object.entries(LANES).map(async ([lane, steps]) => {
    for (const s of steps) await step(lane, s);
  }),
);

// Which test files exist (as git knows them) and which ran, from the runs' ledgers.
const ledgers = existsSync(ledgerDir) ? readdirSync(ledgerDir).map((f) => JSON.parse(readFileSync(path.join(ledgerDir, f), 'utf8'))) : [];
const ran = new Set(ledgers.flatMap((l) => l.files.map((f) => f.file)));
const listed = spawnSync('git', ['ls-files', '*.test.ts', '*.faults.ts'], { cwd: root, encoding: 'utf8' });
const all = listed.status === 0 ? listed.stdout.split('\n').filter(Boolean) : [...ran];
const notRun = all.filter((f) => !ran.has(f));
const skipped = ledgers.flatMap((l) => l.skipped);
const byReason = Map.groupBy(skipped, (s) => s.note ?? 'no reason given');

console.log('');
console.log(`${failed.length ? 'FAILED' : 'passed'}: ${times.join(', ')}; ${seconds(Date.now() - started)} in all`);
console.log(`test files: ${all.length - notRun.length} of ${all.length} ran${notRun.length ? `; not run: ${notRun.join(', ')}` : ''}`);
console.log(
  skipped.length
    ? `skipped: ${skipped.length} test${skipped.length > 1 ? 's' : ''}: ${[...byReason].map(([why, list]) => `${list.map((s) => `${s.file} "${s.name}"`).join(', ')} (${why})`).join('; ')}`
    : 'skipped: none',
);
if (failed.length) console.log(`failed: ${failed.join(', ')}`);
// A file that never ran, or a skip without a reason, fails the suite as a failed test would.
if (failed.length || notRun.length || byReason.has('no reason given')) process.exit(1);
