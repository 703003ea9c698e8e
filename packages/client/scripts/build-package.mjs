#!/usr/bin/env node
// The publishable package: the sources compiled to JavaScript with declarations (tsc,
// tsconfig.build.json), a package.json whose exports point at them, the README and the licence,
// in dist/package. In the repository the workspace exports its TypeScript sources like every
// other package (and is private, so the sources are never published by mistake); publish with
//   npm run build -w @podpreview/client && npm publish packages/client/dist/package
import { execFileSync } from 'node:child_process';
import { copyFile, readFile, rm, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const dir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const out = path.join(dir, 'dist', 'package');
await rm(path.join(dir, 'dist'), { recursive: true, force: true });
const tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');
execFileSync(process.execPath, [tsc, '-p', path.join(dir, 'tsconfig.build.json')], { stdio: 'inherit' });

const source = JSON.parse(await readFile(path.join(dir, 'package.json'), 'utf8'));
const { private: _private, scripts: _scripts, devDependencies: _dev, exports: _exports, ...published } = source;
await writeFile(
  path.join(out, 'package.json'),
  `${JSON.stringify(
    {
      ...published,
      main: './src/index.js',
      types: './src/index.d.ts',
      exports: { '.': { types: './src/index.d.ts', default: './src/index.js' } },
      sideEffects: false,
    },
    null,
    2,
  )}\n`,
);
await copyFile(path.join(dir, 'README.md'), path.join(out, 'README.md'));
await copyFile(path.join(dir, '..', '..', 'LICENSE'), path.join(out, 'LICENSE'));
process.stdout.write(`${out}\n`);
