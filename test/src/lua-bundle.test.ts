import { execFileSync } from 'node:child_process';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { build } from 'esbuild';
import { afterAll, describe, expect, it } from 'vitest';
import { LUA_SCRIPTS } from '@podpreview/runs';
import { LUA_DIR, luaDefine } from '../../scripts/lua-embed.mjs';
import { REPO_ROOT } from './harness.ts';

const scratch = await mkdtemp(path.join(os.tmpdir(), 'lua-bundle-'));
afterAll(() => rm(scratch, { recursive: true, force: true }));

describe('Lua scripts', () => {
  it('are the .lua files of one folder, each named in the loader', async () => {
    const files = (await readdir(path.join(REPO_ROOT, LUA_DIR))).filter((f) => f.endsWith('.lua')).map((f) => f.slice(0, -4));
    expect([...files].sort()).toEqual([...LUA_SCRIPTS].sort());
  });

  it('ship inside the bundles (npm run build embeds them; a bundle away from the sources still has every one)', async () => {
    // The loader bundled as scripts/build.mjs bundles it, then run from a folder with no .lua file in reach.
    await build({
      entryPoints: [path.join(REPO_ROOT, LUA_DIR, 'index.ts')],
      outfile: path.join(scratch, 'lua.mjs'),
      bundle: true,
      format: 'esm',
      platform: 'node',
      define: await luaDefine(REPO_ROOT),
      logLevel: 'silent',
    });
    const print = `import('./lua.mjs').then((m) => process.stdout.write(JSON.stringify(Object.fromEntries(m.LUA_SCRIPTS.map((n) => [n, m.luaScript(n).source])))))`;
    const bundled = JSON.parse(execFileSync(process.execPath, ['--input-type=module', '-e', print], { cwd: scratch, encoding: 'utf8' })) as Record<
      string,
      string
    >;
    for (const name of LUA_SCRIPTS) expect(bundled[name]).toBe(await readFile(path.join(REPO_ROOT, LUA_DIR, `${name}.lua`), 'utf8'));
  });
});
