import { execFile, execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { Webhook } from 'standardwebhooks';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { standardWebhooksSecret } from './callbacks.ts';

// The package as a platform gets it: built, packed with `npm pack`, installed from the tarball
// into a scratch project, then used there. Its runtime dependencies (openapi-fetch and what that
// needs) are packed from this workspace's node_modules and installed offline beside it: the
// registry's packuments are not in npm's cache after `npm ci`, and a machine behind a TLS proxy
// loses its CA settings when npm runs under the project's own Node, so going to the registry here
// would test the network, not the package.
// a callback signed by the Standard Webhooks reference library is verified, the typed client
// reads an episode from a local server, and the consumer's TypeScript compiles against the
// shipped declarations.

const PKG = fileURLToPath(new URL('..', import.meta.url));
const SECRET = 'platform-callback-secret-0123456789';
const npm = (args: string[], cwd: string) => execFileSync('npm', args, { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });

/** The installed directories of a package's runtime dependencies, transitively, as node resolves them. */
function runtimeDependencyDirs(packageJson: string, seen = new Map<string, string>()): string[] {
  const { dependencies = {} } = JSON.parse(readFileSync(packageJson, 'utf8')) as { dependencies?: Record<string, string> };
  const require = createRequire(packageJson);
  for (const name of Object.keys(dependencies)) {
    if (seen.has(name)) continue;
    const dir = packageDir(require, name);
    seen.set(name, dir);
    runtimeDependencyDirs(path.join(dir, 'package.json'), seen);
  }
  return [...seen.values()];
}

/** A package's root directory, found from where its entry resolves (its exports may hide package.json). */
function packageDir(require: NodeJS.Require, name: string): string {
  for (const base of require.resolve.paths(name) ?? []) {
    const dir = path.join(base, name);
    if (existsSync(path.join(dir, 'package.json'))) return dir;
  }
  throw new Error(`${name} is not installed`);
}

let scratch: string;
let server: http.Server;
let baseUrl: string;

beforeAll(async () => {
  scratch = await mkdtemp(path.join(tmpdir(), 'podpreview-client-'));
  execFileSync(process.execPath, [path.join(PKG, 'scripts', 'build-package.mjs')], { stdio: 'pipe' });
  npm(['pack', '--pack-destination', scratch], path.join(PKG, 'dist', 'package'));
  const tarball = (await readdir(scratch)).find((f) => f.endsWith('.tgz'))!;
  expect(tarball).toBe('podpreview-client-0.1.0.tgz');
  await writeFile(path.join(scratch, 'package.json'), JSON.stringify({ name: 'platform', private: true, type: 'module' }));
  const deps = runtimeDependencyDirs(path.join(PKG, 'package.json'));
  for (const dir of deps) npm(['pack', dir, '--pack-destination', scratch], scratch);
  const tarballs = (await readdir(scratch)).filter((f) => f.endsWith('.tgz'));
  expect(tarballs.length).toBe(deps.length + 1);
  npm(['install', ...tarballs.map((t) => `./${t}`), '--offline', '--no-audit', '--no-fund'], scratch);
  server = http.createServer((req, res) => {
    const ok = req.url === '/v1/episodes/ep-42' && req.headers.authorization === 'Bearer platform-token-0123456789';
    res.writeHead(ok ? 200 : 404, { 'content-type': 'application/json' });
    res.end(JSON.stringify(ok ? { id: 'ep-42', runId: 'r1', status: 'succeeded' } : { title: 'not found' }));
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}, 180_000);

afterAll(async () => {
  await new Promise((r) => (server ? server.close(r) : r(undefined)));
  if (scratch) await rm(scratch, { recursive: true, force: true });
});

describe('@podpreview/client from its tarball', () => {
  it('installs with its README, compiled code and declarations only', async () => {
    const files = (await readdir(path.join(scratch, 'node_modules', '@podpreview', 'client'), { recursive: true })).map(String).sort();
    expect(files).toContain('README.md');
    expect(files).toContain(path.join('src', 'index.js'));
    expect(files).toContain(path.join('src', 'index.d.ts'));
    expect(files).toContain(path.join('generated', 'podpreview-api.d.ts'));
    expect(files.filter((f) => f.endsWith('.ts') && !f.endsWith('.d.ts'))).toEqual([]);
  });

  it('verifies a callback signed by the Standard Webhooks reference library, refuses a forged one, and reads an episode', async () => {
    const body = JSON.stringify({ event: 'run.ended', deliveryId: 'msg_1', run: { runId: 'r1', episodeId: 'ep-42', status: 'succeeded' } });
    const id = 'msg_1';
    const timestamp = new Date();
    const headers = {
      'webhook-id': id,
      'webhook-timestamp': String(Math.floor(timestamp.getTime() / 1000)),
      'webhook-signature': new Webhook(standardWebhooksSecret(SECRET)).sign(id, timestamp, body),
    };
    await writeFile(
      path.join(scratch, 'receiver.mjs'),
      `import { createPodpreviewClient, verifyCallback } from '@podpreview/client';
const [secret, body, headers, baseUrl] = process.argv.slice(2);
const good = verifyCallback(secret, body, JSON.parse(headers));
const forged = verifyCallback(secret, body.replace('succeeded', 'failed'), JSON.parse(headers));
const api = createPodpreviewClient({ baseUrl, token: 'platform-token-0123456789' });
const { data, response } = await api.GET('/v1/episodes/{id}', { params: { path: { id: 'ep-42' } } });
process.stdout.write(JSON.stringify({ good, forged, status: response.status, data }));
`,
    );
    // Not execFileSync: the server answering the client runs on this process's event loop.
    const run = await promisify(execFile)(process.execPath, ['receiver.mjs', SECRET, body, JSON.stringify(headers), baseUrl], {
      cwd: scratch,
      encoding: 'utf8',
    });
    const out = JSON.parse(run.stdout) as Record<string, unknown>;
    expect(out.good).toEqual({ ok: true, id, timestampSec: Number(headers['webhook-timestamp']) });
    expect(out.forged).toEqual({ ok: false, reason: 'mismatch' });
    expect(out.status).toBe(200);
    expect(out.data).toEqual({ id: 'ep-42', runId: 'r1', status: 'succeeded' });
  });

  it('type-checks a consumer against the shipped declarations (paths, bodies and answers are typed)', async () => {
    await writeFile(
      path.join(scratch, 'consumer.ts'),
      `import { createPodpreviewClient, verifyCallback, type CallbackBody } from '@podpreview/client';
const api = createPodpreviewClient({ baseUrl: 'http://localhost:8080', token: 't' });
export async function submit(): Promise<string | undefined> {
  const { data } = await api.POST('/v1/episodes', { body: { id: 'ep-1', audioUri: 'https://cdn.example.com/1.mp3', priority: true } });
  return data?.runId;
}
export function handle(raw: string, headers: Record<string, string>): CallbackBody['run']['status'] | undefined {
  return verifyCallback('secret-0123456789abcdef', raw, headers).ok ? (JSON.parse(raw) as CallbackBody).run.status : undefined;
}
// @ts-expect-error: not a path of the API
void api.GET('/v1/nowhere');
// @ts-expect-error: audioUri is required
void api.POST('/v1/episodes', { body: { id: 'ep-2' } });
`,
    );
    await writeFile(
      path.join(scratch, 'tsconfig.json'),
      JSON.stringify({
        compilerOptions: {
          module: 'nodenext',
          moduleResolution: 'nodenext',
          target: 'es2022',
          strict: true,
          noEmit: true,
          skipLibCheck: false,
          types: ['node'],
        },
        files: ['consumer.ts'],
      }),
    );
    const require = createRequire(import.meta.url);
    const tsc = require.resolve('typescript/bin/tsc');
    // @types/node from the repository: the scratch project installs nothing but the tarball.
    const typeRoots = path.dirname(path.dirname(require.resolve('@types/node/package.json')));
    const check = (() => {
      try {
        return execFileSync(process.execPath, [tsc, '-p', scratch, '--typeRoots', typeRoots], { cwd: scratch, encoding: 'utf8' });
      } catch (err) {
        return String((err as { stdout?: string }).stdout ?? err);
      }
    })();
    expect(check).toBe('');
  });
});
