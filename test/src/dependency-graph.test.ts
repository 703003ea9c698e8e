import { existsSync, readFileSync } from 'node:fs';
import { isBuiltin } from 'node:module';
import path from 'node:path';
import { build, type Plugin } from 'esbuild';
import { describe, expect, it } from 'vitest';
import { REPO_ROOT } from './harness.ts';

// The client/worker boundary in the dependency graph, not only at run time: everything the
// client side can import (static and lazy imports, through our own packages' sources), and then
// every npm package among those with its package.json dependencies, transitively.

/** Our packages are followed file by file (through their entry points); npm packages by name. */
const npmExternal: Plugin = {
  name: 'npm-external',
  setup(b) {
    b.onResolve({ filter: /^[^./]/ }, (args) => (args.path.startsWith('@podpreview/') ? undefined : { path: args.path, external: true }));
  },
};

interface Graph {
  /** Our source files reached, relative to the repository. */
  files: string[];
  /** npm packages reached, directly or through another npm package's dependencies. */
  packages: Set<string>;
}

async function dependencyGraph(entry: string): Promise<Graph> {
  const result = await build({
    entryPoints: [path.join(REPO_ROOT, entry)],
    bundle: true,
    write: false,
    metafile: true,
    outdir: path.join(REPO_ROOT, '.data', 'dependency-graph'),
    format: 'esm',
    platform: 'node',
    plugins: [npmExternal],
    logLevel: 'silent',
    absWorkingDir: REPO_ROOT,
  });
  const inputs = Object.entries(result.metafile.inputs);
  const direct = inputs.flatMap(([, input]) => input.imports.filter((i) => i.external && !isBuiltin(i.path)).map((i) => packageName(i.path)));
  return { files: inputs.map(([file]) => file), packages: npmClosure(direct) };
}

function packageName(specifier: string): string {
  const parts = specifier.split('/');
  return specifier.startsWith('@') ? parts.slice(0, 2).join('/') : (parts[0] ?? specifier);
}

/** npm's lookup: the package's own node_modules, then each folder above it. */
function packageDir(name: string, from: string): string | undefined {
  for (let dir = from; ; dir = path.dirname(dir)) {
    const candidate = path.join(dir, 'node_modules', name);
    if (existsSync(path.join(candidate, 'package.json'))) return candidate;
    if (dir === path.dirname(dir)) return undefined;
  }
}

function npmClosure(names: string[]): Set<string> {
  const seen = new Set<string>();
  const queue = names.map((name) => ({ name, from: REPO_ROOT }));
  for (let next = queue.shift(); next; next = queue.shift()) {
    const dir = packageDir(next.name, next.from);
    if (!dir || seen.has(dir)) continue;
    seen.add(dir);
    const pkg = JSON.parse(readFileSync(path.join(dir, 'package.json'), 'utf8')) as Record<string, Record<string, string> | undefined>;
    for (const deps of [pkg.dependencies, pkg.optionalDependencies, pkg.peerDependencies]) {
      for (const dep of Object.keys(deps ?? {})) queue.push({ name: dep, from: dir });
    }
  }
  return new Set([...seen].map((dir) => path.relative(path.join(REPO_ROOT, 'node_modules'), dir).split(`${path.sep}node_modules${path.sep}`).at(-1) ?? dir));
}

/** Worker-side code: models, stage code, the runtime, selection (the manifest is its own package). */
const WORKER_SIDE = /^packages\/(models\/src\/|pipeline\/src\/)/;

describe('the client side has no path to onnxruntime-node', () => {
  for (const [name, entry] of [
    ['packages/ops', 'packages/ops/src/index.ts'],
    ['apps/dashboard', 'apps/dashboard/src/dashboard.main.ts'],
  ] as const) {
    it(`${name}: neither its imports nor their npm packages' dependencies reach it`, async () => {
      const graph = await dependencyGraph(entry);
      expect(graph.files.filter((f) => WORKER_SIDE.test(f))).toEqual([]);
      expect([...graph.packages].filter((p) => p.startsWith('onnxruntime'))).toEqual([]);
      // The walk did reach the npm packages the client side really uses.
      expect(graph.packages).toContain('bullmq');
    });
  }

  it('sees the path where there is one: the workers reach onnxruntime-node and the models', async () => {
    const graph = await dependencyGraph('apps/workers/src/worker.main.ts');
    expect(graph.packages).toContain('onnxruntime-node');
    expect(graph.files.filter((f) => WORKER_SIDE.test(f)).length).toBeGreaterThan(0);
  });
});
