import { readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseEnv } from 'node:util';
import { z } from 'zod';
import { ConfigError } from '../errors/config.error.ts';
import { type AlertConfig, alertConfig, alertSettings } from './alerts.ts';
import { type ApiConfig, apiConfig, apiSettings } from './api.ts';
import { type CallbackConfig, callbackConfig, callbackSettings } from './callbacks.ts';
import { type DashboardConfig, dashboardConfig, dashboardSettings } from './dashboard.ts';
import { type InputPolicy, inputConfig, inputSettings } from './inputs.ts';
import { type ModelConfig, modelConfig, modelSettings } from './models.ts';
import { type RedisConfig, redisConfig, redisSettings } from './redis.ts';
import { type RunConfig, runConfig, runSettings } from './runs.ts';
import { type SelectionConfig, selectionConfig, selectionSettings } from './selection.ts';
import type { EnvOf, LoadContext, Settings } from './setting.ts';
import { type StorageConfig, storageConfig, storageSettings } from './storage.ts';
import { type TelemetryConfig, telemetryConfig, telemetrySettings } from './telemetry.ts';
import { type VariantConfig, variantConfig, variantSettings } from './variants.ts';
import { type WorkerConfig, workerConfig, workerSettings } from './workers.ts';

export type { AlertConfig, AlertThresholds } from './alerts.ts';
export { API_SCOPES, type ApiCredential, type ApiScope } from './api.ts';
export type { CallbackConfig } from './callbacks.ts';
export type { InputPolicy } from './inputs.ts';
export type { SelectionWeights } from './selection.ts';
export type { Setting } from './setting.ts';
export type { TracingConfig } from './telemetry.ts';

/**
 * The one validated configuration. Each domain module beside this one declares its environment
 * variables (validation, default, meaning) and maps them to its part; this module is the only
 * one that reads the environment, parses every variable once at start-up and composes the parts.
 * An invalid value stops the process with one message naming the variable.
 */
export interface Config extends RedisConfig, VariantConfig, StorageConfig, WorkerConfig, ModelConfig, SelectionConfig, ApiConfig, RunConfig, TelemetryConfig {
  inputs: InputPolicy;
  callbacks: CallbackConfig;
  dashboard: DashboardConfig;
  alerts: AlertConfig;
}

/** The domains in the order docs/configuration.md lists them. */
export const CONFIG_DOMAINS: readonly { title: string; settings: Settings }[] = [
  { title: 'Redis', settings: redisSettings },
  { title: 'Variants', settings: variantSettings },
  { title: 'Storage and results', settings: storageSettings },
  { title: 'Workers', settings: workerSettings },
  { title: 'Preview and models', settings: modelSettings },
  { title: 'Selection weights', settings: selectionSettings },
  { title: 'HTTP API', settings: apiSettings },
  { title: 'Runs', settings: runSettings },
  { title: 'Inputs and limits', settings: inputSettings },
  { title: 'Completion callbacks', settings: callbackSettings },
  { title: 'Dashboard', settings: dashboardSettings },
  { title: 'Alerts', settings: alertSettings },
  { title: 'Logs, traces and build', settings: telemetrySettings },
];

const ALL_SETTINGS = {
  ...redisSettings,
  ...variantSettings,
  ...storageSettings,
  ...workerSettings,
  ...modelSettings,
  ...selectionSettings,
  ...apiSettings,
  ...runSettings,
  ...inputSettings,
  ...callbackSettings,
  ...dashboardSettings,
  ...alertSettings,
  ...telemetrySettings,
};
type Env = EnvOf<typeof ALL_SETTINGS>;

const EnvSchema = z.object(Object.fromEntries(Object.entries(ALL_SETTINGS).map(([name, s]) => [name, s.schema])));

/** Names of all variables (the variant-file check, the generated table, infra's ConfigMap check). */
export const CONFIG_VARIABLES: readonly string[] = Object.keys(ALL_SETTINGS);

export function loadConfig(env: Record<string, string | undefined> = process.env, cwd = process.cwd()): Config {
  // Empty strings count as unset, so `FOO= cmd` falls back to the default.
  const cleaned = Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined && v !== ''));
  const parsed = EnvSchema.safeParse(cleaned);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `${String(i.path[0])}: ${i.message}`);
    throw new ConfigError(lines.join('; '));
  }
  const e = parsed.data as Env;
  const ctx: LoadContext = { cwd, cores: os.availableParallelism() };
  const workers = workerConfig(e, ctx);
  const storage = storageConfig(e, ctx);
  return {
    ...redisConfig(e),
    ...variantConfig(e),
    ...storage,
    ...workers,
    ...modelConfig(e, ctx),
    ...selectionConfig(e),
    ...apiConfig(e),
    ...runConfig(e),
    ...inputConfig(e, ctx, { dataDir: storage.dataDir, tempDir: workers.tempDir }),
    ...callbackConfig(e),
    ...dashboardConfig(e),
    ...alertConfig(e),
    ...telemetryConfig(e),
  };
}

/**
 * Another variant's configuration (staging, fallback), from its file: `NAME=value` lines of the
 * variables above, over this process's environment (or `env`). A name that is not a variable is
 * an error, so a typo cannot silently leave that setting at this variant's value; `NAME=` unsets
 * a setting the environment has (the fallback's own fallback prefix, say).
 */
export function loadVariantConfig(file: string, cwd = process.cwd(), env: Record<string, string | undefined> = process.env): Config {
  let text: string;
  try {
    text = readFileSync(path.resolve(cwd, file), 'utf8');
  } catch (err) {
    throw new ConfigError(`${file}: cannot read the variant file (${(err as Error).message})`);
  }
  const vars = parseEnv(text) as Record<string, string>;
  const unknown = Object.keys(vars).filter((k) => !CONFIG_VARIABLES.includes(k));
  if (unknown.length > 0) throw new ConfigError(`${file}: not configuration variables: ${unknown.join(', ')}`);
  return loadConfig({ ...env, ...vars }, cwd);
}

/**
 * The environment for a child process this one starts (a bench or tool harness): this process's
 * own, with overrides applied and `undefined` values removed, so that nothing outside this module
 * reads `process.env` directly.
 */
export function childEnv(overrides: Record<string, string | undefined> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env };
  for (const [k, v] of Object.entries(overrides)) {
    if (v === undefined) delete env[k];
    else env[k] = v;
  }
  return env;
}
