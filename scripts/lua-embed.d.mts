/** Where the Lua scripts live, relative to the repository root. */
export const LUA_DIR: string;
/** esbuild's `define` entry carrying every script's text by name. */
export function luaDefine(root: string): Promise<{ __PODPREVIEW_LUA__: string }>;
