import { z } from 'zod';

/**
 * One environment variable: how it is validated (with its default) and what it means. The
 * domain modules beside this one declare theirs; docs/configuration.md is written from them.
 */
export interface Setting<S extends z.ZodType = z.ZodType> {
  schema: S;
  doc: string;
  /** The default as the table shows it (Markdown), where it is worked out at start-up rather than fixed (`cores, at most 4`). */
  defaultDoc?: string;
}

export type Settings = Record<string, Setting>;

/** What a domain's variables parse to. */
export type EnvOf<V extends Settings> = { [K in keyof V]: z.output<V[K]['schema']> };

export function setting<S extends z.ZodType>(schema: S, doc: string, defaultDoc?: string): Setting<S> {
  return { schema, doc, defaultDoc };
}

export const int = (def: number, min = 0) => z.coerce.number().int().min(min).default(def);
export const num = (def: number) => z.coerce.number().min(0).default(def);
export const ratio = (def: number) => z.coerce.number().min(0).max(1).default(def);
export const flag = (def: boolean) => z.enum(['true', 'false']).default(def ? 'true' : 'false');
export const prefix = () => z.string().regex(/^[A-Za-z0-9_-]+$/);

export const list = (v: string | undefined) =>
  (v ?? '')
    .split(',')
    .map((x) => x.trim())
    .filter(Boolean);

/** Where the process runs, for settings that resolve paths or depend on the machine. */
export interface LoadContext {
  cwd: string;
  /** Cores this process may use. */
  cores: number;
}
