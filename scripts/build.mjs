#!/usr/bin/env node
// Compiles each app's entry points (and the workspace packages they import) into one ESM
// bundle per app under apps/<app>/dist, so the commands start without compiling TypeScript
// (tsx compiles on every start: ~0.5 s before any work). npm packages stay external, loaded
// from node_modules as usual; lazy `import()`s stay lazy (code splitting). The bins fall back to
// the sources through tsx whenever a bundle is missing or older than a source file.
import { readFile, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { build } from 'esbuild';
import { luaDefine } from './lua-embed.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const APPS = {
  producer: { podpreview: 'src/cli.main.ts' },
  workers: { 'podpreview-worker': 'src/worker.main.ts' },
  dashboard: { 'podpreview-dashboard': 'src/dashboard.main.ts' },
};

const externalNpm = {
  name: 'external-npm-packages',
  setup(b) {
    // Bare imports are npm packages (external) unless they are ours (bundled from source).
    b.onResolve({ filter: /^[^./]/ }, (args) => (args.path.startsWith('@podpreview/') ? undefined : { path: args.path, external: true }));
  },
};

/**
 * Our sources find their data (model manifest, samples, the repository root) relative to their
 * own file, through import.meta.url; in a bundle that would be the bundle's URL. Each source
 * keeps its own URL instead, so the bundle is tied to this checkout (the bins check that).
 */
const ownUrls = {
  name: 'source-import-meta-url',
  setup(b) {
    b.onLoad({ filter: /\/(packages|apps)\/[^/]+\/src\/.*\.ts$/ }, async (args) => {
      const source = await readFile(args.path, 'utf8');
      if (!source.includes('import.meta.url')) return undefined;
      return { contents: source.replaceAll('import.meta.url', JSON.stringify(pathToFileURL(args.path).href)), loader: 'ts' };
    });
  },
};

const started = performance.now();
const define = await luaDefine(root);
for (const [app, entries] of Object.entries(APPS)) {
  const dir = path.join(root, 'apps', app);
  const outdir = path.join(dir, 'dist');
  await rm(outdir, { recursive: true, force: true });
  await build({
    entryPoints: Object.fromEntries(Object.entries(entries).map(([name, src]) => [name, path.join(dir, src)])),
    outdir,
    bundle: true,
    splitting: true,
    format: 'esm',
    platform: 'node',
    target: 'node24',
    sourcemap: true,
    plugins: [externalNpm, ownUrls],
    define,
    logLevel: 'warning',
  });
  await writeFile(path.join(outdir, 'build.json'), JSON.stringify({ root, builtAtMs: Date.now() }));
}
process.stderr.write(`built ${Object.keys(APPS).length} apps in ${((performance.now() - started) / 1000).toFixed(1)} s\n`);
