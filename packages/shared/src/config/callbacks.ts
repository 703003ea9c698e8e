import { z } from 'zod';
import { ConfigError } from '../errors/config.error.ts';
import { type EnvOf, flag, int, list, setting } from './setting.ts';

/** Completion callbacks: who may ask for one (a secret per credential name), where they may go, how they are retried. */
export const callbackSettings = {
  PODPREVIEW_CALLBACK_SECRETS: setting(
    z.string().optional(),
    'completion-callback signing secrets, `name:secret` comma-separated (16+ characters), by API credential name (`local` without tokens); a submit with `callbackUrl` needs one for its credential',
  ),
  PODPREVIEW_CALLBACK_ALLOW_PRIVATE_URLS: setting(
    flag(false),
    '`true` lets callbacks reach private, loopback and link-local addresses (tests, a receiver on the same host)',
  ),
  PODPREVIEW_CALLBACK_TIMEOUT_MS: setting(int(10_000, 100), 'deadline of one callback delivery attempt'),
  PODPREVIEW_CALLBACK_ATTEMPTS: setting(int(10, 1), 'delivery attempts per callback before it is given up (logged, kept in the failed jobs)'),
  PODPREVIEW_CALLBACK_BACKOFF_MS: setting(int(5000, 10), 'first delay between callback attempts; doubles each attempt'),
  PODPREVIEW_CALLBACK_CONCURRENCY: setting(int(8, 1), 'callback deliveries one `podpreview serve` process makes at once'),
  PODPREVIEW_CALLBACK_CONCURRENCY_PER_CREDENTIAL: setting(
    int(2, 1),
    "of those, at most this many for one credential's receivers (a slow receiver delays only its own credential's callbacks)",
  ),
  PODPREVIEW_CALLBACK_LEGACY_HEADERS: setting(
    flag(true),
    'callbacks also carry the previous `Podpreview-Timestamp`, `-Signature` and `-Delivery` headers beside the Standard Webhooks ones (kept for one release)',
  ),
};

/** Completion callbacks: who may ask for one (a secret per credential name), where they may go, how they are retried. */
export interface CallbackConfig {
  secrets: { name: string; secret: string }[];
  /** Callback targets on private, loopback or link-local addresses are refused unless true (tests, a local receiver). */
  allowPrivateUrls: boolean;
  timeoutMs: number;
  attempts: number;
  /** First retry delay; doubles each attempt. */
  backoffMs: number;
  /** Deliveries one API process makes at once. */
  concurrency: number;
  /** Of those, at most this many for one credential: a slow receiver cannot take every slot. */
  concurrencyPerCredential: number;
  /** Also send the previous Podpreview-Timestamp/-Signature/-Delivery headers beside Standard Webhooks' (one release). */
  legacyHeaders: boolean;
}

export function callbackConfig(e: EnvOf<typeof callbackSettings>): { callbacks: CallbackConfig } {
  return {
    callbacks: {
      secrets: parseCallbackSecrets(e.PODPREVIEW_CALLBACK_SECRETS),
      allowPrivateUrls: e.PODPREVIEW_CALLBACK_ALLOW_PRIVATE_URLS === 'true',
      timeoutMs: e.PODPREVIEW_CALLBACK_TIMEOUT_MS,
      attempts: e.PODPREVIEW_CALLBACK_ATTEMPTS,
      backoffMs: e.PODPREVIEW_CALLBACK_BACKOFF_MS,
      concurrency: e.PODPREVIEW_CALLBACK_CONCURRENCY,
      concurrencyPerCredential: Math.min(e.PODPREVIEW_CALLBACK_CONCURRENCY_PER_CREDENTIAL, e.PODPREVIEW_CALLBACK_CONCURRENCY),
      legacyHeaders: e.PODPREVIEW_CALLBACK_LEGACY_HEADERS === 'true',
    },
  };
}

/** `name:secret`, comma-separated; the name is the API credential's (`local` when no tokens are configured). */
function parseCallbackSecrets(v: string | undefined): { name: string; secret: string }[] {
  return list(v).map((entry) => {
    const at = entry.indexOf(':');
    const name = entry.slice(0, at);
    const secret = entry.slice(at + 1);
    if (at < 1 || !/^[A-Za-z0-9_.-]+$/.test(name)) throw new ConfigError('PODPREVIEW_CALLBACK_SECRETS: each entry is name:secret');
    if (secret.length < 16) throw new ConfigError(`PODPREVIEW_CALLBACK_SECRETS: the secret of ${name} is shorter than 16 characters`);
    return { name, secret };
  });
}
