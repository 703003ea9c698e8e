import { z } from 'zod';
import { ConfigError } from '../errors/config.error.ts';
import { VARIANT_NAMES, type VariantName } from '../variants.ts';
import { type EnvOf, flag, int, list, prefix, setting } from './setting.ts';

/** Which variant this process is, and the other variants (shadow, fallback) it hands episodes to. */
export const variantSettings = {
  PODPREVIEW_QUEUE_PREFIX: setting(prefix().default('podpreview'), 'key prefix of every queue, so several deployments can share a Redis'),
  PODPREVIEW_VARIANT: setting(
    z.enum(VARIANT_NAMES).default('production'),
    "which variant this is: `production`, `staging` or `fallback`; result rows (`variant` column) and run records say so, and a variant's dedup reuses only its own successes (the fallback also production's)",
  ),
  PODPREVIEW_MODELS_SKIP: setting(
    z
      .string()
      .regex(/^[A-Za-z0-9._-]+(\s*,\s*[A-Za-z0-9._-]+)*$/, 'model ids, comma-separated')
      .optional(),
    "manifest model ids this variant does not load, comma-separated (the fallback's `sed-mini,voice-embed`); selection does without their evidence. The VAD cannot be skipped",
  ),
  PODPREVIEW_SHADOW_QUEUE_PREFIX: setting(
    prefix().optional(),
    "queue prefix of a shadow variant (staging) on the same Redis: every episode enqueued here is enqueued there too (best effort, never delaying or failing this one); that variant's own workers and results table take it from there",
  ),
  PODPREVIEW_SHADOW_MAX_BACKLOG: setting(
    int(1000),
    "episodes are not shadowed while this many wait at the shadow's first stage (its workers stopped or slow), so staging cannot fill production's Redis",
  ),
  PODPREVIEW_FALLBACK_QUEUE_PREFIX: setting(
    prefix().optional(),
    "queue prefix of the fallback variant on the same Redis (unset: no fallback): a run that fails after its retries (not on bad input) or passes `PODPREVIEW_FALLBACK_AFTER_MS` is submitted there once, as run `fallback-<runId>`; the fallback must share this variant's blob store and results table",
  ),
  PODPREVIEW_FALLBACK_AFTER_MS: setting(
    int(600_000),
    'a run still going this long after its submission is handed to the fallback too (0: only failures); checked by the workers every quarter of it (0.25–30 s), a few Redis calls per sweep, not per job',
  ),
  PODPREVIEW_FALLBACK_NORMAL_PRIORITY: setting(
    flag(false),
    '`true`: episodes submitted without `priority` go straight to the fallback variant (low-traffic content); priority ones stay here',
  ),
};

export interface VariantConfig {
  queuePrefix: string;
  /** Which variant this process runs as: its result rows and run records say so. */
  variant: VariantName;
  /** Manifest models this variant does not load (the fallback's cheap set): their evidence is simply absent. */
  modelsSkip: string[];
  /**
   * Queue prefix of a shadow variant (staging) on the same Redis: every episode enqueued here is
   * enqueued there too, and that variant's own workers and results table take it from there.
   */
  shadowQueuePrefix: string | undefined;
  /** Episodes are not shadowed while this many wait at the shadow's first stage (its workers down or slow). */
  shadowMaxBacklog: number;
  /**
   * The fallback variant on the same Redis (PODPREVIEW_FALLBACK_QUEUE_PREFIX): a run that fails
   * (after its retries; not bad input) or is still running `afterMs` after its submission (0: never)
   * is handed to it once; with `normalPriority`, episodes submitted without priority go straight to it.
   */
  fallback: { queuePrefix: string; afterMs: number; normalPriority: boolean } | undefined;
}

export function variantConfig(e: EnvOf<typeof variantSettings>): VariantConfig {
  checkVariantPrefixes(e);
  return {
    queuePrefix: e.PODPREVIEW_QUEUE_PREFIX,
    variant: e.PODPREVIEW_VARIANT,
    modelsSkip: list(e.PODPREVIEW_MODELS_SKIP),
    shadowQueuePrefix: e.PODPREVIEW_SHADOW_QUEUE_PREFIX,
    shadowMaxBacklog: e.PODPREVIEW_SHADOW_MAX_BACKLOG,
    fallback: e.PODPREVIEW_FALLBACK_QUEUE_PREFIX
      ? {
          queuePrefix: e.PODPREVIEW_FALLBACK_QUEUE_PREFIX,
          afterMs: e.PODPREVIEW_FALLBACK_AFTER_MS,
          normalPriority: e.PODPREVIEW_FALLBACK_NORMAL_PRIORITY === 'true',
        }
      : undefined,
  };
}

/** A variant's queues must never be another's: a fallback or shadow on this variant's prefix would take its jobs. */
function checkVariantPrefixes(e: EnvOf<typeof variantSettings>): void {
  const fallback = e.PODPREVIEW_FALLBACK_QUEUE_PREFIX;
  if (!fallback) return;
  if (e.PODPREVIEW_VARIANT === 'fallback') throw new ConfigError('PODPREVIEW_FALLBACK_QUEUE_PREFIX: the fallback variant has no fallback of its own');
  if (fallback === e.PODPREVIEW_QUEUE_PREFIX) throw new ConfigError('PODPREVIEW_FALLBACK_QUEUE_PREFIX: must differ from PODPREVIEW_QUEUE_PREFIX');
  if (fallback === e.PODPREVIEW_SHADOW_QUEUE_PREFIX) throw new ConfigError('PODPREVIEW_FALLBACK_QUEUE_PREFIX: must differ from PODPREVIEW_SHADOW_QUEUE_PREFIX');
}
