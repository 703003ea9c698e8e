import { z } from 'zod';
import { ConfigError } from '../errors/config.error.ts';
import { type EnvOf, int, list, setting } from './setting.ts';

/** The HTTP API (`podpreview serve`): where it listens, who may call it and how much. */
export const apiSettings = {
  PODPREVIEW_HTTP_HOST: setting(
    z.string().min(1).default('127.0.0.1'),
    'address `podpreview serve` binds; anything but loopback needs `PODPREVIEW_API_TOKENS`',
  ),
  PODPREVIEW_HTTP_PORT: setting(int(8080), 'port of `podpreview serve` (`0`: any free port)'),
  PODPREVIEW_HTTP_KEEP_ALIVE_TIMEOUT_MS: setting(
    int(65_000, 1000),
    "how long `serve` keeps an idle connection open: longer than load balancers' and clients' idle timeouts, so a client never reuses a connection the server is closing",
  ),
  PODPREVIEW_API_TOKENS: setting(
    z.string().optional(),
    'API credentials, `name:token[:scope+scope]` comma-separated (tokens of 16+ characters; scopes `priority`, `force`, `transcribe`, `admin`). Unset: every caller is trusted, loopback only',
  ),
  PODPREVIEW_API_RATE_LIMIT_PER_MIN: setting(
    int(600, 1),
    'requests a minute per credential, counted in Redis across every API process (`rate-limit-redis`); more get `429` with `Retry-After`',
  ),
  PODPREVIEW_API_TENANCY: setting(
    z.enum(['owner', 'shared']).default('owner'),
    '`owner`: a run is read, listed, cancelled and its clip fetched only by the credential that started it, credentials whose identical request joined it (read only) and the `admin` scope (`404` to the others); `shared`: every credential sees every run',
  ),
  PODPREVIEW_API_MAX_WEB_RUNS_PER_CREDENTIAL: setting(
    int(50, 1),
    'runs with an `http(s)://` audio input one credential may have in flight; more get `429 too_many_in_flight`',
  ),
  PODPREVIEW_API_MAX_TRANSCRIBE_RUNS_PER_CREDENTIAL: setting(
    int(2, 1),
    'runs with `transcribe: true` one credential may have in flight; more get `429 too_many_in_flight`',
  ),
  PODPREVIEW_API_SHUTDOWN_GRACE_MS: setting(
    int(5000, 0),
    'on SIGTERM `serve` waits this long for requests and callback deliveries in flight, then closes anyway (Redis down included)',
  ),
  PODPREVIEW_ALLOWED_HOSTS: setting(
    z
      .string()
      .regex(/^[A-Za-z0-9.:[\]-]+(\s*,\s*[A-Za-z0-9.:[\]-]+)*$/, 'host names or addresses, comma-separated, without ports')
      .optional(),
    'host names (no port) a server without credentials (the API without tokens, the dashboard without users) answers besides loopback names and its bind address; any other `Host` gets `421` (DNS rebinding)',
  ),
  PODPREVIEW_READYZ_CACHE_MS: setting(int(2000), '`/readyz` answers from one check of Redis and the results table for this long; calls meanwhile share it'),
  PODPREVIEW_HTTP_BODY_LIMIT_BYTES: setting(int(16_384, 256), 'larger request bodies get `413`'),
  PODPREVIEW_API_PUBLIC_URL: setting(
    z.url({ protocol: /^https?$/ }).optional(),
    "the API's address as clients reach it (behind a proxy or ingress), the base of the clip URLs it gives out; unset: `http://HOST:PORT` as `podpreview serve` binds it (paths on the API when it binds every interface), never a request's `Host`",
  ),
  PODPREVIEW_API_PAGE_MAX: setting(int(100, 1), 'most items one page of `GET /v1/episodes` or `/v1/episodes/:id/runs` holds (`limit` above it is cut to it)'),
  PODPREVIEW_IDEMPOTENCY_TTL_MS: setting(int(86_400_000, 60_000), 'how long the answer to an `Idempotency-Key` is kept (24 h)'),
  PODPREVIEW_IDEMPOTENCY_CLAIM_TTL_MS: setting(
    int(30_000, 1000),
    "how long a key is held before its request is answered: an API that dies in between frees it this soon for the client's retry",
  ),
  PODPREVIEW_CLIP_URL_TTL_SEC: setting(int(3600, 60), 'lifetime of the signed GCS URLs given as clip locations'),
};

/** Who may call the HTTP API, and what beyond submitting and reading they may ask for. */
export interface ApiCredential {
  name: string;
  token: string;
  scopes: ApiScope[];
}
export const API_SCOPES = ['priority', 'force', 'transcribe', 'admin'] as const;
export type ApiScope = (typeof API_SCOPES)[number];

export interface ApiConfig {
  httpHost: string;
  httpPort: number;
  /**
   * How long the API keeps an idle connection. Longer than a load balancer's or a client's idle
   * timeout, so the server never closes a connection a client is about to reuse (that client
   * would see a reset instead of an answer).
   */
  httpKeepAliveTimeoutMs: number;
  /** Credentials of the HTTP API; empty: only a loopback bind is allowed, and it trusts every caller. */
  apiTokens: ApiCredential[];
  /** Requests per minute and credential, across every API process (a fixed window, counted in Redis). */
  apiRateLimitPerMin: number;
  /**
   * `owner`: a run is read, listed, cancelled and its clip fetched only by the credential that
   * started it, one whose identical request joined it, and credentials with the `admin` scope;
   * `shared`: by every credential.
   */
  apiTenancy: 'owner' | 'shared';
  /** Runs in flight per credential that cost the most: with an http(s) input, and with speech-to-text. Past them: 429. */
  apiMaxWebRunsPerCredential: number;
  apiMaxTranscribeRunsPerCredential: number;
  /** How long `serve` waits on SIGTERM for requests and callback deliveries in flight before it closes anyway (Redis down too). */
  apiShutdownGraceMs: number;
  /**
   * Host names a server without credentials (the API without tokens, the dashboard without
   * users) answers besides loopback names and its own bind address: any other Host header is a
   * page on another site reaching it through DNS rebinding (421).
   */
  allowedHosts: string[];
  /** /readyz answers from one check of Redis and the results table for this long (a flood costs one query). */
  readyzCacheMs: number;
  httpBodyLimitBytes: number;
  /** The API's address as clients reach it (a proxy, an ingress), for URLs in callbacks; unset: http://host:port of serve. */
  apiPublicUrl: string | undefined;
  /** Listing endpoints: the most items one page may hold. */
  apiPageMax: number;
  /** How long an Idempotency-Key's answer is kept. */
  idempotencyTtlMs: number;
  /** How long an Idempotency-Key is held before its request is answered: an API that dies in between frees it this soon. */
  idempotencyClaimTtlMs: number;
  /** Lifetime of the signed clip URLs given out for GCS. */
  clipUrlTtlSec: number;
}

export function apiConfig(e: EnvOf<typeof apiSettings>): ApiConfig {
  return {
    httpHost: e.PODPREVIEW_HTTP_HOST,
    httpPort: e.PODPREVIEW_HTTP_PORT,
    httpKeepAliveTimeoutMs: e.PODPREVIEW_HTTP_KEEP_ALIVE_TIMEOUT_MS,
    apiTokens: parseTokens(e.PODPREVIEW_API_TOKENS),
    apiRateLimitPerMin: e.PODPREVIEW_API_RATE_LIMIT_PER_MIN,
    apiTenancy: e.PODPREVIEW_API_TENANCY,
    apiMaxWebRunsPerCredential: e.PODPREVIEW_API_MAX_WEB_RUNS_PER_CREDENTIAL,
    apiMaxTranscribeRunsPerCredential: e.PODPREVIEW_API_MAX_TRANSCRIBE_RUNS_PER_CREDENTIAL,
    apiShutdownGraceMs: e.PODPREVIEW_API_SHUTDOWN_GRACE_MS,
    allowedHosts: list(e.PODPREVIEW_ALLOWED_HOSTS).map((h) => h.toLowerCase()),
    readyzCacheMs: e.PODPREVIEW_READYZ_CACHE_MS,
    httpBodyLimitBytes: e.PODPREVIEW_HTTP_BODY_LIMIT_BYTES,
    apiPublicUrl: e.PODPREVIEW_API_PUBLIC_URL?.replace(/\/$/, ''),
    apiPageMax: e.PODPREVIEW_API_PAGE_MAX,
    idempotencyTtlMs: e.PODPREVIEW_IDEMPOTENCY_TTL_MS,
    idempotencyClaimTtlMs: Math.min(e.PODPREVIEW_IDEMPOTENCY_CLAIM_TTL_MS, e.PODPREVIEW_IDEMPOTENCY_TTL_MS),
    clipUrlTtlSec: e.PODPREVIEW_CLIP_URL_TTL_SEC,
  };
}

/** `name:token[:scope+scope]`, comma-separated. */
function parseTokens(v: string | undefined): ApiCredential[] {
  return list(v).map((entry) => {
    const [name, token, scopeList, ...rest] = entry.split(':');
    if (!name || !token || rest.length > 0 || !/^[A-Za-z0-9_.-]+$/.test(name)) {
      throw new ConfigError('PODPREVIEW_API_TOKENS: each entry is name:token or name:token:scope+scope');
    }
    // Not the token itself: the message may end up in logs.
    if (token.length < 16) throw new ConfigError(`PODPREVIEW_API_TOKENS: the token of ${name} is shorter than 16 characters`);
    const scopes = scopeList ? scopeList.split('+') : [];
    const unknown = scopes.filter((sc) => !(API_SCOPES as readonly string[]).includes(sc));
    if (unknown.length > 0) throw new ConfigError(`PODPREVIEW_API_TOKENS: unknown scope(s) ${unknown.join(', ')} for ${name}; known: ${API_SCOPES.join(', ')}`);
    return { name, token, scopes: scopes as ApiScope[] };
  });
}
