#!/usr/bin/env node
// Set-up shared by `npm run demo`, `npm test` and `npm run eval`, so each works on a fresh clone:
// system tools from Debian's packages (as root; otherwise the exact command to run), then npm
// dependencies. `--with-synth` adds the speech and music synthesizers the evaluation set is
// generated with.
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const tools = [
  { bin: 'ffmpeg', pkg: 'ffmpeg' },
  { bin: 'redis-server', pkg: 'redis-server' },
];
if (process.argv.includes('--with-synth')) {
  tools.push(
    { bin: 'espeak-ng', pkg: 'espeak-ng' },
    { bin: 'flite', pkg: 'flite' },
    { bin: 'sox', pkg: 'sox' },
    { bin: 'fluidsynth', pkg: 'fluidsynth' },
    { file: '/usr/share/sounds/sf2/FluidR3_GM.sf2', pkg: 'fluid-soundfont-gm' },
  );
}

const has = (bin) => spawnSync('sh', ['-c', `command -v ${bin}`], { stdio: 'ignore' }).status === 0;
const missing = tools.filter((t) => (t.bin ? !has(t.bin) : !existsSync(t.file)));
if (missing.length > 0) {
  const pkgs = missing.map((t) => t.pkg).join(' ');
  const cmd = `apt-get update && apt-get install -y --no-install-recommends ${pkgs}`;
  if (process.getuid?.() !== 0) {
    console.error(`podpreview needs ${missing.map((t) => t.bin ?? t.file).join(' and ')}. Install with:\n  sudo sh -c '${cmd}'`);
    process.exit(1);
  }
  console.error(`installing ${pkgs} from Debian's packages…`);
  execFileSync('sh', ['-c', cmd], { stdio: 'inherit', env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' } });
}

if (!existsSync(path.join(root, 'node_modules', '.package-lock.json'))) {
  console.error('installing npm dependencies (npm ci)…');
  execFileSync('npm', ['ci', '--no-audit', '--no-fund'], { cwd: root, stdio: 'inherit' });
}

// The commands start from bundles (no TypeScript compiled at start); building takes a second.
execFileSync(process.execPath, [path.join(root, 'scripts', 'build.mjs')], { cwd: root, stdio: 'inherit' });
