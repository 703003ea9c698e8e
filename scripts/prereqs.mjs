#!/usr/bin/env node
// Set-up shared by `npm run demo`, `npm test` and `npm run eval`, so each works on a fresh clone:
// system tools from Debian's packages (as root; otherwise the exact command to run), npm
// dependencies (which bring the Node.js LTS the project runs on), then the bundles.
//   --with-synth  the speech and music synthesizers the evaluation set is generated with
//   --for-tests   everything the test suite runs against (synthesizers included), the real
//                 recordings (scripts/real-audio.sh) and kustomize (scripts/kustomize.sh)
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const forTests = process.argv.includes('--for-tests');

const BASE = [
  { bin: 'ffmpeg', pkg: 'ffmpeg' },
  { bin: 'redis-server', pkg: 'redis-server' },
];
const SYNTH = [
  { bin: 'espeak-ng', pkg: 'espeak-ng' },
  { bin: 'flite', pkg: 'flite' },
  { bin: 'sox', pkg: 'sox' },
  { bin: 'fluidsynth', pkg: 'fluidsynth' },
  { file: '/usr/share/sounds/sf2/FluidR3_GM.sf2', pkg: 'fluid-soundfont-gm' },
];
const TESTS = [
  // Sentinel failover and a cluster made by redis-cli.
  { bin: 'redis-sentinel', pkg: 'redis-sentinel' },
  { bin: 'redis-cli', pkg: 'redis-tools' },
  // The dashboard in a browser (Debian's Chromium, never a downloaded one).
  { bin: 'chromium', pkg: 'chromium' },
  // The alert rules under promtool and a real Prometheus scraping the fleet.
  { bin: 'promtool', pkg: 'prometheus' },
  { bin: 'prometheus', pkg: 'prometheus' },
  // Speech-to-text: the engine and its model (checked against the model manifest).
  { bin: 'pocketsphinx_continuous', pkg: 'pocketsphinx' },
  { file: '/usr/share/pocketsphinx/model/en-us/en-us.lm.bin', pkg: 'pocketsphinx-en-us' },
];

const tools = [...BASE, ...(forTests || process.argv.includes('--with-synth') ? SYNTH : []), ...(forTests ? TESTS : [])];
const has = (bin) => spawnSync('sh', ['-c', `command -v ${bin}`], { stdio: 'ignore' }).status === 0;
const missing = tools.filter((t) => (t.bin ? !has(t.bin) : !existsSync(t.file)));
if (missing.length > 0) {
  const pkgs = [...new Set(missing.map((t) => t.pkg))].join(' ');
  const cmd = `apt-get update && apt-get install -y --no-install-recommends ${pkgs}`;
  if (process.getuid?.() !== 0) {
    console.error(`podpreview needs ${missing.map((t) => t.bin ?? t.file).join(', ')}. Install with:\n  sudo sh -c '${cmd}'`);
    process.exit(1);
  }
  console.error(`installing ${pkgs} from Debian's packages…`);
  execFileSync('sh', ['-c', cmd], { stdio: 'inherit', env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' } });
}

// npm ci again whenever the lockfile is newer than the install (a pull that changed dependencies).
const installed = path.join(root, 'node_modules', '.package-lock.json');
if (!existsSync(installed) || statSync(installed).mtimeMs < statSync(path.join(root, 'package-lock.json')).mtimeMs) {
  console.error('installing npm dependencies (npm ci)…');
  execFileSync('npm', ['ci', '--no-audit', '--no-fund', '--loglevel=error'], { cwd: root, stdio: 'inherit' });
}

if (forTests) {
  // Recorded voices, music and noise from Debian's archive for the checks on audio no synthesizer
  // made, and a kustomize v5 for the manifest checks (Debian 12's kubectl bundles one too old).
  for (const script of ['real-audio.sh', 'kustomize.sh']) {
    execFileSync('bash', [path.join(root, 'scripts', script)], { cwd: root, stdio: ['ignore', 'ignore', 'inherit'] });
  }
}

// The commands start from bundles (no TypeScript compiled at start); building takes a second.
execFileSync(process.execPath, [path.join(root, 'scripts', 'build.mjs')], { cwd: root, stdio: 'inherit' });
