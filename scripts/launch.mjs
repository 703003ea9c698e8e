// Starts an app from its bundle (scripts/build.mjs) when the bundle is current, else from the
// TypeScript sources through tsx. "Current": built from this checkout, after the newest change
// to any source file it bundles (a stat of each, a few milliseconds).
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { enableCompileCache } from 'node:module';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

function newestSourceMs() {
  let newest = 0;
  for (const group of ['packages', 'apps']) {
    for (const pkg of readdirSync(path.join(root, group))) {
      const src = path.join(root, group, pkg, 'src');
      let names;
      try {
        names = readdirSync(src, { recursive: true });
      } catch {
        continue;
      }
      for (const name of names) {
        if (!String(name).endsWith('.ts')) continue;
        newest = Math.max(newest, statSync(path.join(src, String(name))).mtimeMs);
      }
    }
  }
  return newest;
}

function bundleIsCurrent(appDir) {
  // Tests that inspect which source modules a command loads run it from the sources.
  if (process.env.PODPREVIEW_RUN_SOURCES === '1') return false;
  try {
    const { root: builtFrom, builtAtMs } = JSON.parse(readFileSync(path.join(appDir, 'dist', 'build.json'), 'utf8'));
    return builtFrom === root && builtAtMs > newestSourceMs();
  } catch {
    return false;
  }
}

/** Runs `dist/<name>.js` of the app, or `src/<source>` through tsx. */
export async function launch(appDir, name, source) {
  // V8's compiled code for the modules, kept on disk between runs (Node checks it against each
  // file's contents): about 0.2 s off every start of a CLI command or worker here.
  enableCompileCache();
  if (bundleIsCurrent(appDir)) {
    process.setSourceMapsEnabled(true);
    await import(pathToFileURL(path.join(appDir, 'dist', `${name}.js`)).href);
    return;
  }
  const { register } = await import('tsx/esm/api');
  register();
  await import(pathToFileURL(path.join(appDir, 'src', source)).href);
}
