import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { isBuiltin } from 'node:module';
import path from 'node:path';
import { build, type Plugin } from 'esbuild';
import { describe, expect, it } from 'vitest';
import { REPO_ROOT } from './harness.ts';

// The client/worker boundary in the dependency graph, not only at run time, seen two ways:
// - by imports: everything the client side can import (static and lazy imports, through our own
//   packages' sources), and then every npm package among those with its package.json
//   dependencies, transitively;
// - by package.json: the dependencies our packages declare, followed through our workspace
//   packages and then through npm's, transitively (what `npm ci --omit=dev` would install for it).

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
  return { files: inputs.map(([file]) => file), packages: npmClosure(direct.map((name) => ({ name, from: REPO_ROOT }))) };
}

interface DeclaredGraph {
  /** Our workspace packages reached by name, the starting one included. */
  workspaces: Set<string>;
  /** npm packages reached through the dependencies of those and of each other. */
  packages: Set<string>;
}

type Manifest = Record<string, unknown>;
const readPackageJson = (dir: string) => JSON.parse(readFileSync(path.join(dir, 'package.json'), 'utf8')) as Manifest;

/** Run-time dependencies a package.json declares (devDependencies are not installed with it). */
const declared = (pkg: Manifest) =>
  [pkg.dependencies, pkg.optionalDependencies, pkg.peerDependencies].flatMap((deps) => Object.keys(typeof deps === 'object' && deps !== null ? deps : {}));

/** Our workspace packages by name, from the root package.json's workspace folders. */
function workspaceDirs(): Map<string, string> {
  const dirs = new Map<string, string>();
  const patterns = readPackageJson(REPO_ROOT).workspaces as string[];
  for (const pattern of patterns) {
    const parent = pattern.endsWith('/*') ? path.join(REPO_ROOT, pattern.slice(0, -2)) : undefined;
    const candidates = parent ? readdirSync(parent).map((d) => path.join(parent, d)) : [path.join(REPO_ROOT, pattern)];
    for (const dir of candidates) {
      if (!existsSync(path.join(dir, 'package.json'))) continue;
      dirs.set(readPackageJson(dir).name as string, dir);
    }
  }
  return dirs;
}

function declaredGraph(packageDirFromRoot: string): DeclaredGraph {
  const dirs = workspaceDirs();
  const start = readPackageJson(path.join(REPO_ROOT, packageDirFromRoot)).name as string;
  const workspaces = new Set<string>();
  const npm: { name: string; from: string }[] = [];
  for (const queue = [start], seen = new Set(queue); queue.length > 0; ) {
    const name = queue.shift() as string;
    const dir = dirs.get(name);
    if (!dir) throw new Error(`${name} is not a workspace package`);
    workspaces.add(name);
    for (const dep of declared(readPackageJson(dir))) {
      if (dirs.has(dep)) {
        if (!seen.has(dep)) queue.push(dep);
        seen.add(dep);
      } else npm.push({ name: dep, from: dir });
    }
  }
  return { workspaces, packages: npmClosure(npm) };
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

/** npm packages from where they are required, with their dependencies, transitively. */
function npmClosure(roots: { name: string; from: string }[]): Set<string> {
  const seen = new Set<string>();
  const queue = [...roots];
  for (let next = queue.shift(); next; next = queue.shift()) {
    const dir = packageDir(next.name, next.from);
    if (!dir || seen.has(dir)) continue;
    seen.add(dir);
    for (const dep of declared(readPackageJson(dir))) queue.push({ name: dep, from: dir });
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

describe('the client side declares no path to onnxruntime-node', () => {
  for (const name of ['packages/ops', 'apps/dashboard']) {
    it(`${name}: neither its package.json nor those of the packages it depends on, transitively, reach it`, () => {
      const graph = declaredGraph(name);
      expect([...graph.workspaces].filter((w) => w === '@podpreview/models' || w === '@podpreview/pipeline')).toEqual([]);
      expect([...graph.packages].filter((p) => p.startsWith('onnxruntime'))).toEqual([]);
      // The walk did follow our packages and then npm's.
      expect(graph.workspaces).toContain('@podpreview/runs');
      expect(graph.workspaces).toContain('@podpreview/model-manifest');
      expect(graph.packages).toContain('bullmq');
    });
  }

  it('sees the path where there is one: the workers declare it through the pipeline and the models', () => {
    const graph = declaredGraph('apps/workers');
    expect(graph.workspaces).toContain('@podpreview/pipeline');
    expect(graph.workspaces).toContain('@podpreview/models');
    expect(graph.packages).toContain('onnxruntime-node');
  });
});
