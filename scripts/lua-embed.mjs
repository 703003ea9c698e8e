// Every Lua script's text by name, for the bundles: the loader
// (packages/runs/src/lua/index.ts) takes them from `__PODPREVIEW_LUA__` where esbuild
// defined it, since the images ship the bundles and not the .lua files beside the sources.
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';

export const LUA_DIR = path.join('packages', 'runs', 'src', 'lua');

/** esbuild's `define` entry carrying the scripts. */
export async function luaDefine(root) {
  const dir = path.join(root, LUA_DIR);
  const files = (await readdir(dir)).filter((f) => f.endsWith('.lua'));
  const scripts = Object.fromEntries(await Promise.all(files.map(async (f) => [f.slice(0, -'.lua'.length), await readFile(path.join(dir, f), 'utf8')])));
  return { __PODPREVIEW_LUA__: JSON.stringify(scripts) };
}
