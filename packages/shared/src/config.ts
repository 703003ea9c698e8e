import { readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseEnv } from 'node:util';
import { z } from 'zod';
import { ConfigError } from './errors/config.error.ts';
import { type SelectionWeights, selectionWeightEnv, selectionWeightsFrom } from './selection-weights.ts';
import { parseHostPorts, type RedisClusterTarget, type RedisSentinelTarget } from './redis-target.ts';
import { STAGE_NAMES, type StageName } from './stages.ts';
import { VARIANT_NAMES, type VariantName } from './variants.ts';

/**
 * The only module that reads the environment. Every variable is validated once at start-up
 * and mapped to a typed object; an invalid value stops the process with one message naming it.
 * Keep this table in sync with the README's configuration table.
 */
const int = (def: number, min = 0) => z.coerce.number().int().min(min).default(def);

const concurrencyDefaults: Record<StageName, number> = {
  preprocess: 2,
  'ensemble-a': 1,
  'ensemble-b': 2,
  selection: 4,
  sink: 2,
};

export type { SelectionWeights } from './selection-weights.ts';

const concurrencyVar = (stage: StageName) => `PODPREVIEW_CONCURRENCY_${stage.replace('-', '_').toUpperCase()}`;

const EnvSchema = z.object({
  REDIS_URL: z
    .string()
    .regex(/^rediss?:\/\//, 'must start with redis:// or rediss://')
    .optional(),
  PODPREVIEW_REDIS_SENTINELS: z.string().optional(),
  PODPREVIEW_REDIS_SENTINEL_NAME: z
    .string()
    .regex(/^[A-Za-z0-9_.-]+$/)
    .default('podpreview'),
  PODPREVIEW_REDIS_SENTINEL_PASSWORD: z.string().optional(),
  PODPREVIEW_REDIS_CLUSTER_NODES: z.string().optional(),
  PODPREVIEW_REDIS_PASSWORD: z.string().optional(),
  PODPREVIEW_ENQUEUE_WAIT_REPLICAS: int(0),
  PODPREVIEW_ENQUEUE_WAIT_TIMEOUT_MS: int(1000, 1),
  PODPREVIEW_QUEUE_PREFIX: z
    .string()
    .regex(/^[A-Za-z0-9_-]+$/)
    .default('podpreview'),
  PODPREVIEW_SHADOW_QUEUE_PREFIX: z
    .string()
    .regex(/^[A-Za-z0-9_-]+$/)
    .optional(),
  PODPREVIEW_SHADOW_MAX_BACKLOG: int(1000),
  PODPREVIEW_VARIANT: z.enum(VARIANT_NAMES).default('production'),
  PODPREVIEW_MODELS_SKIP: z
    .string()
    .regex(/^[A-Za-z0-9._-]+(\s*,\s*[A-Za-z0-9._-]+)*$/, 'model ids, comma-separated')
    .optional(),
  PODPREVIEW_FALLBACK_QUEUE_PREFIX: z
    .string()
    .regex(/^[A-Za-z0-9_-]+$/)
    .optional(),
  PODPREVIEW_FALLBACK_AFTER_MS: int(600_000),
  PODPREVIEW_FALLBACK_NORMAL_PRIORITY: z.enum(['true', 'false']).default('false'),
  PODPREVIEW_DATA_DIR: z.string().min(1).default('.data'),
  PODPREVIEW_STORAGE: z.enum(['local', 'gcs']).default('local'),
  PODPREVIEW_GCS_BUCKET: z.string().optional(),
  PODPREVIEW_GCS_API_ENDPOINT: z.url().optional(),
  PODPREVIEW_SINK: z.enum(['local', 'bigquery']).default('local'),
  PODPREVIEW_GCP_PROJECT: z.string().optional(),
  PODPREVIEW_BQ_DATASET: z.string().regex(/^\w+$/).default('podpreview'),
  PODPREVIEW_BQ_TABLE: z.string().regex(/^\w+$/).default('previews'),
  PODPREVIEW_BQ_API_ENDPOINT: z.url().optional(),
  PODPREVIEW_ATTEMPTS: int(6, 1),
  PODPREVIEW_BACKOFF_MS: int(2000),
  PODPREVIEW_LOCK_DURATION_MS: int(10_000, 1000),
  PODPREVIEW_STALLED_INTERVAL_MS: int(5_000, 500),
  PODPREVIEW_MAX_STALLED_COUNT: int(2, 1),
  PODPREVIEW_STAGE_TIMEOUT_MS: int(900_000, 1000),
  PODPREVIEW_REDIS_CONNECT_TIMEOUT_MS: int(10_000, 100),
  PODPREVIEW_RUN_STATE_TTL_MS: int(7 * 86_400_000, 60_000),
  PODPREVIEW_KEEP_INTERMEDIATE_BLOBS: z.enum(['true', 'false']).default('false'),
  PODPREVIEW_TEMP_DIR: z.string().min(1).optional(),
  PODPREVIEW_TEMP_MAX_AGE_MS: int(3_600_000, 60_000),
  PODPREVIEW_DEAD_LETTER_RETRY_MS: int(10_000, 100),
  PODPREVIEW_DEAD_LETTER_MAX: int(100_000, 1),
  PODPREVIEW_MIN_SPEECH_FRACTION: z.coerce.number().min(0).max(1).default(0.3),
  PODPREVIEW_SHUTDOWN_GRACE_MS: int(30_000),
  PODPREVIEW_PREVIEW_SEC: int(60, 5),
  PODPREVIEW_EXECUTION_PROVIDER: z.enum(['cpu', 'cuda', 'auto']).default('auto'),
  PODPREVIEW_MODEL_MANIFEST: z.string().min(1).optional(),
  PODPREVIEW_MODEL_THREADS: z.coerce.number().int().min(0).max(64).optional(),
  PODPREVIEW_ASR: z.enum(['off', 'inline', 'upgrade']).default('off'),
  PODPREVIEW_ASR_LANES: z.coerce.number().int().min(1).max(64).optional(),
  ...selectionWeightEnv,
  PODPREVIEW_HTTP_HOST: z.string().min(1).default('127.0.0.1'),
  PODPREVIEW_HTTP_PORT: int(8080),
  PODPREVIEW_HTTP_KEEP_ALIVE_TIMEOUT_MS: int(65_000, 1000),
  PODPREVIEW_API_TOKENS: z.string().optional(),
  PODPREVIEW_API_RATE_LIMIT_PER_MIN: int(600, 1),
  PODPREVIEW_API_TENANCY: z.enum(['owner', 'shared']).default('owner'),
  PODPREVIEW_API_MAX_WEB_RUNS_PER_CREDENTIAL: int(50, 1),
  PODPREVIEW_API_MAX_TRANSCRIBE_RUNS_PER_CREDENTIAL: int(2, 1),
  PODPREVIEW_API_SHUTDOWN_GRACE_MS: int(5000, 0),
  PODPREVIEW_ALLOWED_HOSTS: z
    .string()
    .regex(/^[A-Za-z0-9.:[\]-]+(\s*,\s*[A-Za-z0-9.:[\]-]+)*$/, 'host names or addresses, comma-separated, without ports')
    .optional(),
  PODPREVIEW_READYZ_CACHE_MS: int(2000),
  PODPREVIEW_INPUT_ROOTS: z.string().optional(),
  PODPREVIEW_INPUT_BUCKETS: z.string().optional(),
  PODPREVIEW_INPUT_ALLOW_PRIVATE_URLS: z.enum(['true', 'false']).default('false'),
  PODPREVIEW_MAX_INPUT_BYTES: int(1024 * 1024 * 1024, 1024),
  PODPREVIEW_MAX_DURATION_SEC: int(4 * 3600, 10),
  PODPREVIEW_FETCH_TIMEOUT_MS: int(300_000, 1000),
  PODPREVIEW_FETCH_IDLE_TIMEOUT_MS: int(30_000, 1000),
  PODPREVIEW_FETCH_ATTEMPTS: int(2, 1),
  PODPREVIEW_MAX_TRANSCRIPT_BYTES: int(8 * 1024 * 1024, 1024),
  PODPREVIEW_MAX_TRANSCRIPT_CUES: int(50_000, 1),
  PODPREVIEW_HTTP_BODY_LIMIT_BYTES: int(16_384, 256),
  PODPREVIEW_API_PAGE_MAX: int(100, 1),
  PODPREVIEW_ENQUEUE_TIMEOUT_SEC: z.coerce.number().positive().default(1800),
  PODPREVIEW_API_PUBLIC_URL: z.url({ protocol: /^https?$/ }).optional(),
  PODPREVIEW_RUN_INDEX_MAX: int(1_000_000, 100),
  PODPREVIEW_RUNS_PER_EPISODE_MAX: int(100, 1),
  PODPREVIEW_IDEMPOTENCY_TTL_MS: int(86_400_000, 60_000),
  PODPREVIEW_IDEMPOTENCY_CLAIM_TTL_MS: int(30_000, 1000),
  PODPREVIEW_CLIP_URL_TTL_SEC: int(3600, 60),
  PODPREVIEW_CALLBACK_SECRETS: z.string().optional(),
  PODPREVIEW_CALLBACK_ALLOW_PRIVATE_URLS: z.enum(['true', 'false']).default('false'),
  PODPREVIEW_CALLBACK_TIMEOUT_MS: int(10_000, 100),
  PODPREVIEW_CALLBACK_ATTEMPTS: int(10, 1),
  PODPREVIEW_CALLBACK_BACKOFF_MS: int(5000, 10),
  PODPREVIEW_CALLBACK_CONCURRENCY: int(8, 1),
  PODPREVIEW_CALLBACK_CONCURRENCY_PER_CREDENTIAL: int(2, 1),
  PODPREVIEW_CALLBACK_LEGACY_HEADERS: z.enum(['true', 'false']).default('true'),
  PODPREVIEW_WORKER_METRICS_PORT: int(9464),
  PODPREVIEW_WORKER_METRICS_HOST: z.string().min(1).default('127.0.0.1'),
  PODPREVIEW_FAILED_JOB_SWEEP_MS: int(30_000, 1000),
  PODPREVIEW_DASHBOARD_HOST: z.string().min(1).default('127.0.0.1'),
  PODPREVIEW_DASHBOARD_PORT: int(8081),
  PODPREVIEW_DASHBOARD_USERS: z.string().optional(),
  PODPREVIEW_DASHBOARD_REFRESH_MS: int(5000, 500),
  PODPREVIEW_BULL_BOARD_READ_ONLY: z.enum(['true', 'false']).default('true'),
  PODPREVIEW_DASHBOARD_SERIES_MAX_POINTS: int(1440, 60),
  PODPREVIEW_QUEUE_METRICS_MAX_POINTS: int(1440, 60),
  PODPREVIEW_ALERT_BACKLOG_WARN: int(500, 1),
  PODPREVIEW_ALERT_BACKLOG_CRIT: int(5000, 1),
  PODPREVIEW_ALERT_OLDEST_WAIT_WARN_SEC: int(120, 1),
  PODPREVIEW_ALERT_OLDEST_WAIT_CRIT_SEC: int(600, 1),
  PODPREVIEW_ALERT_FAILURE_RATE_WARN: z.coerce.number().min(0).max(1).default(0.05),
  PODPREVIEW_ALERT_FAILURE_RATE_CRIT: z.coerce.number().min(0).max(1).default(0.25),
  PODPREVIEW_ALERT_FAILURE_WINDOW_MIN: int(15, 1),
  PODPREVIEW_ALERT_STAGE_P95_WARN_SEC: int(60, 1),
  PODPREVIEW_ALERT_STAGE_P95_CRIT_SEC: int(300, 1),
  PODPREVIEW_ALERT_OVERRIDES: z.string().optional(),
  PODPREVIEW_ALERT_INGEST_P95_WARN_SEC: int(120, 1),
  PODPREVIEW_ALERT_INGEST_P95_CRIT_SEC: int(600, 1),
  PODPREVIEW_ALERT_API_5XX_RATIO_WARN: z.coerce.number().min(0).max(1).default(0.01),
  PODPREVIEW_ALERT_API_5XX_RATIO_CRIT: z.coerce.number().min(0).max(1).default(0.05),
  PODPREVIEW_ALERT_CALLBACK_FAILURE_RATE_WARN: z.coerce.number().min(0).max(1).default(0.05),
  PODPREVIEW_ALERT_CALLBACK_FAILURE_RATE_CRIT: z.coerce.number().min(0).max(1).default(0.25),
  PODPREVIEW_ALERT_FALLBACK_RATE_WARN: z.coerce.number().min(0).max(1).default(0.05),
  PODPREVIEW_ALERT_FALLBACK_RATE_CRIT: z.coerce.number().min(0).max(1).default(0.25),
  PODPREVIEW_RUNBOOK_URL: z
    .string()
    .regex(/^[^\s#]+$/, 'a URL or path without a fragment')
    .default('infra/RUNBOOK.md'),
  PODPREVIEW_ALERT_CLEAR_RATIO: z.coerce.number().gt(0).max(1).default(0.8),
  PODPREVIEW_ALERT_WEBHOOK_URL: z.url().optional(),
  PODPREVIEW_KEEP_COMPLETED_JOBS: int(1000),
  PODPREVIEW_KEEP_FAILED_JOBS: int(5000),
  PODPREVIEW_BUILD_COMMIT: z.string().optional(),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  // https://no-color.org: present and not empty turns colour off (empty counts as unset here anyway).
  NO_COLOR: z.string().optional(),
  PODPREVIEW_TRACING: z.enum(['auto', 'on', 'off']).default('auto'),
  OTEL_EXPORTER_OTLP_ENDPOINT: z.url({ protocol: /^https?$/ }).optional(),
  OTEL_EXPORTER_OTLP_HEADERS: z
    .string()
    .regex(/^[^=,\s]+=[^,]*(,[^=,\s]+=[^,]*)*$/, 'key=value pairs, comma-separated')
    .optional(),
  OTEL_SERVICE_NAME: z
    .string()
    .regex(/^[A-Za-z0-9._-]+$/)
    .optional(),
  PODPREVIEW_TRACE_SAMPLE_RATIO: z.coerce.number().min(0).max(1).default(1),
  ...Object.fromEntries(STAGE_NAMES.map((s) => [concurrencyVar(s), int(concurrencyDefaults[s], 1)])),
});

export interface Config {
  redisUrl: string | undefined;
  /** Set when PODPREVIEW_REDIS_SENTINELS is: the primary is found through Sentinel (redisTargetOf). */
  redisSentinel: RedisSentinelTarget | undefined;
  /** Set when PODPREVIEW_REDIS_CLUSTER_NODES is: queues and keys spread over a Redis Cluster. */
  redisCluster: RedisClusterTarget | undefined;
  /**
   * An accepted episode is answered only once this many replicas hold it (Redis WAIT), for at
   * most enqueueWaitTimeoutMs: a failover then cannot lose an enqueue the caller was told of.
   */
  enqueueWaitReplicas: number;
  enqueueWaitTimeoutMs: number;
  /**
   * Queue prefix of a shadow variant (staging) on the same Redis: every episode enqueued here is
   * enqueued there too, and that variant's own workers and results table take it from there.
   */
  shadowQueuePrefix: string | undefined;
  /** Episodes are not shadowed while this many wait at the shadow's first stage (its workers down or slow). */
  shadowMaxBacklog: number;
  /** Which variant this process runs as: its result rows and run records say so. */
  variant: VariantName;
  /** Manifest models this variant does not load (the fallback's cheap set): their evidence is simply absent. */
  modelsSkip: string[];
  /**
   * The fallback variant on the same Redis (PODPREVIEW_FALLBACK_QUEUE_PREFIX): a run that fails
   * (after its retries; not bad input) or is still running `afterMs` after its submission (0: never)
   * is handed to it once; with `normalPriority`, episodes submitted without priority go straight to it.
   */
  fallback: { queuePrefix: string; afterMs: number; normalPriority: boolean } | undefined;
  queuePrefix: string;
  dataDir: string;
  storage: { kind: 'local' } | { kind: 'gcs'; bucket: string; apiEndpoint: string | undefined; projectId: string | undefined };
  sink:
    | { kind: 'local'; dbPath: string }
    | { kind: 'bigquery'; dataset: string; table: string; apiEndpoint: string | undefined; projectId: string | undefined };
  attempts: number;
  backoffMs: number;
  /** A job whose worker died is resumed within lockDurationMs + stalledIntervalMs. */
  lockDurationMs: number;
  stalledIntervalMs: number;
  /** Stalls (worker killed mid-job) a job survives before its run fails. */
  maxStalledCount: number;
  /** A stage job running longer is aborted (its child processes killed) and retried. */
  stageTimeoutMs: number;
  /** How long a command-line call waits for Redis before it gives up with a clear error. */
  redisConnectTimeoutMs: number;
  /** Lifetime of per-run and per-episode Redis keys (run state, newest run of an episode). */
  runStateTtlMs: number;
  /** Keep decoded PCM, tracks and other intermediates after a run ends (debugging only). */
  keepIntermediateBlobs: boolean;
  /** Workers' scratch files; entries older than tempMaxAgeMs are swept (left by a killed worker). */
  tempDir: string;
  tempMaxAgeMs: number;
  /** Result rows the results table refused are retried from Redis this often, and at most this many kept. */
  deadLetterRetryMs: number;
  deadLetterMax: number;
  /** A preview whose best window is less speech than this fails with `no_speech`. */
  minSpeechFraction: number;
  shutdownGraceMs: number;
  previewSec: number;
  executionProvider: 'cpu' | 'cuda' | 'auto';
  /** Model manifest to load (and watch for new versions); undefined = the one in packages/models. */
  modelManifestPath: string | undefined;
  /**
   * Model threads per model stage, each holding a session of every model of the stage (0: the
   * models run on the event loop's thread). Defaults to the cores this process may use, up to 4.
   */
  modelThreads: number;
  /**
   * Speech-to-text for episodes without a transcript, in ensemble-b before the text models:
   * `inline` in every such run; `upgrade` in a second run started when the audio-only preview
   * has shipped (it supersedes it); `off` never. `lanes` engine processes per job.
   */
  asr: { mode: 'off' | 'inline' | 'upgrade'; lanes: number };
  weights: SelectionWeights;
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
  inputs: InputPolicy;
  httpBodyLimitBytes: number;
  /** The API's address as clients reach it (a proxy, an ingress), for URLs in callbacks; unset: http://host:port of serve. */
  apiPublicUrl: string | undefined;
  /** How long `podpreview enqueue --wait` (and `retry --wait`) waits for its runs before giving up (exit 1). */
  enqueueTimeoutSec: number;
  /** Listing endpoints: the most items one page may hold. */
  apiPageMax: number;
  /** Bounds on the run index behind the listings (oldest dropped first; entries also expire with run state). */
  runIndexMax: number;
  runsPerEpisodeMax: number;
  /** How long an Idempotency-Key's answer is kept. */
  idempotencyTtlMs: number;
  /** How long an Idempotency-Key is held before its request is answered: an API that dies in between frees it this soon. */
  idempotencyClaimTtlMs: number;
  /** Lifetime of the signed clip URLs given out for GCS. */
  clipUrlTtlSec: number;
  callbacks: CallbackConfig;
  /** Worker /metrics and /healthz; 0 turns the endpoint off. */
  workerMetricsPort: number;
  /** Address they bind: loopback unless a scraper elsewhere needs them (no credential is asked). */
  workerMetricsHost: string;
  /** How often a worker looks for failed jobs of its stages whose run has no record of its end (a worker died in between). */
  failedJobSweepMs: number;
  dashboard: {
    host: string;
    port: number;
    /** Basic-auth users (`name:password`); empty: only a loopback bind is allowed. */
    users: { name: string; password: string }[];
    refreshMs: number;
    bullBoardReadOnly: boolean;
    /** Minute points of the overview's charts kept in Redis (oldest dropped first); 1440 covers the day chart. */
    seriesMaxPoints: number;
  };
  /** Per-minute completed/failed counts BullMQ's workers keep per queue (Queue.getMetrics); 1440 is a day. */
  queueMetricsMaxPoints: number;
  alerts: AlertConfig;
  keepCompletedJobs: number;
  keepFailedJobs: number;
  logLevel: string;
  /** Colours on a terminal; false when NO_COLOR is set (https://no-color.org). */
  logColor: boolean;
  /** Google Cloud project, for the trace field of log lines (Cloud Logging links them to the trace). */
  gcpProject: string | undefined;
  tracing: TracingConfig;
  /** The commit an image was built from (images have no .git); the checkout's own commit wins. */
  buildCommit: string | undefined;
  concurrency: Record<StageName, number>;
}

/** When a queue is warn or critical: the dashboard and the Prometheus rules both read these. */
export interface AlertThresholds {
  backlogWarn: number;
  backlogCrit: number;
  oldestWaitWarnSec: number;
  oldestWaitCritSec: number;
  failureRateWarn: number;
  failureRateCrit: number;
  /** 95th percentile of one job's processing time in this stage. */
  stageP95WarnSec: number;
  stageP95CritSec: number;
}

export interface AlertConfig {
  perStage: Record<StageName, AlertThresholds>;
  /** Ingest (enqueue) to preview, p95 over the failure window, in seconds. */
  ingestP95WarnSec: number;
  ingestP95CritSec: number;
  /** API answers 5xx / all answers over the failure window. */
  api5xxRatioWarn: number;
  api5xxRatioCrit: number;
  /** Callbacks given up / callbacks finished over the failure window. */
  callbackFailureRateWarn: number;
  callbackFailureRateCrit: number;
  /** Runs handed to the fallback variant / runs that left preprocess, over the failure window. */
  fallbackRateWarn: number;
  fallbackRateCrit: number;
  /** The runbook the Prometheus rules link to (runbook_url), each alert at its own anchor. */
  runbookUrl: string;
  /** Failure rate is failed / (completed + failed) over this many minutes. */
  failureWindowMin: number;
  /** A state clears only once its value is below threshold × this (hysteresis: no flapping). */
  clearRatio: number;
  /** Slack-compatible webhook told of every change of state. */
  webhookUrl: string | undefined;
}

const AlertOverrides = z.partialRecord(
  z.enum(STAGE_NAMES),
  z
    .object({
      backlogWarn: z.number().int().min(1),
      backlogCrit: z.number().int().min(1),
      oldestWaitWarnSec: z.number().min(1),
      oldestWaitCritSec: z.number().min(1),
      failureRateWarn: z.number().min(0).max(1),
      failureRateCrit: z.number().min(0).max(1),
      stageP95WarnSec: z.number().min(1),
      stageP95CritSec: z.number().min(1),
    })
    .partial()
    .strict(),
);

function parseOverrides(v: string | undefined): z.infer<typeof AlertOverrides> {
  if (!v) return {};
  let raw: unknown;
  try {
    raw = JSON.parse(v);
  } catch {
    throw new ConfigError('PODPREVIEW_ALERT_OVERRIDES: not JSON');
  }
  const parsed = AlertOverrides.safeParse(raw);
  if (!parsed.success) throw new ConfigError(`PODPREVIEW_ALERT_OVERRIDES: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`);
  return parsed.data;
}

/** `name:password`, comma-separated. */
function parseUsers(v: string | undefined): { name: string; password: string }[] {
  return list(v).map((entry) => {
    const at = entry.indexOf(':');
    const name = entry.slice(0, at);
    const password = entry.slice(at + 1);
    if (at < 1 || password.length < 12) throw new ConfigError('PODPREVIEW_DASHBOARD_USERS: each entry is name:password, with a password of 12+ characters');
    return { name, password };
  });
}

/** Who may call the HTTP API, and what beyond submitting and reading they may ask for. */
export interface ApiCredential {
  name: string;
  token: string;
  scopes: ApiScope[];
}
export const API_SCOPES = ['priority', 'force', 'transcribe', 'admin'] as const;
export type ApiScope = (typeof API_SCOPES)[number];

/**
 * OpenTelemetry traces: one trace per run, from the API request through every stage job
 * (BullMQ's telemetry option). `enabled` when PODPREVIEW_TRACING=on, or auto with an OTLP
 * endpoint; without an endpoint the spans go to whatever tracer provider the process registered
 * (tests collect them in memory).
 */
export interface TracingConfig {
  enabled: boolean;
  /** OTLP/HTTP base URL (the exporter posts to `<endpoint>/v1/traces`); unset: no export. */
  otlpEndpoint: string | undefined;
  otlpHeaders: Record<string, string>;
  serviceName: string | undefined;
  /** Share of new traces recorded (a run's spans follow its first span's decision). */
  sampleRatio: number;
}

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

/** Where episodes may come from, and how big and long they may be. */
export interface InputPolicy {
  /** Local paths and file:// URIs must resolve (symlinks followed) inside one of these. */
  roots: string[];
  /** gs:// URIs must name one of these buckets. */
  buckets: string[];
  /**
   * Never inputs, whatever the roots say (the default root, the working directory, holds the
   * data directory): the blob store (other runs' source copies and clips), the results
   * database, the workers' scratch files.
   */
  excluded: string[];
  /** https:// hosts that resolve to private, loopback or link-local addresses are refused unless true (tests). */
  allowPrivateUrls: boolean;
  maxBytes: number;
  maxDurationSec: number;
  /** One deadline per attempt at downloading an http(s) input, redirects included. */
  fetchTimeoutMs: number;
  /** A download that receives nothing for this long is abandoned (a tarpit). */
  fetchIdleTimeoutMs: number;
  /** Attempts at an http(s) input that times out or answers 5xx; the last one's failure is final (`input_unreachable`). */
  fetchAttempts: number;
  /** Transcripts: larger files and more cues fail with `bad_transcript`, before they are parsed. */
  maxTranscriptBytes: number;
  maxTranscriptCues: number;
}

const list = (v: string | undefined) =>
  (v ?? '')
    .split(',')
    .map((x) => x.trim())
    .filter(Boolean);

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

export function loadConfig(env: Record<string, string | undefined> = process.env, cwd = process.cwd()): Config {
  // Empty strings count as unset, so `FOO= cmd` falls back to the default.
  const cleaned = Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined && v !== ''));
  const parsed = EnvSchema.safeParse(cleaned);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `${String(i.path[0])}: ${i.message}`);
    throw new ConfigError(lines.join('; '));
  }
  const e = parsed.data as z.infer<typeof EnvSchema> & Record<string, number>;
  const dataDir = path.resolve(cwd, e.PODPREVIEW_DATA_DIR);
  if (e.PODPREVIEW_TEMP_MAX_AGE_MS <= e.PODPREVIEW_STAGE_TIMEOUT_MS) {
    // The sweeper would delete the scratch files of a stage that is still allowed to run.
    throw new ConfigError('PODPREVIEW_TEMP_MAX_AGE_MS: must exceed PODPREVIEW_STAGE_TIMEOUT_MS');
  }
  if (e.PODPREVIEW_STORAGE === 'gcs' && !e.PODPREVIEW_GCS_BUCKET) {
    throw new ConfigError('PODPREVIEW_GCS_BUCKET: required when PODPREVIEW_STORAGE=gcs');
  }
  const redisWays = [
    e.REDIS_URL && 'REDIS_URL',
    e.PODPREVIEW_REDIS_SENTINELS && 'PODPREVIEW_REDIS_SENTINELS',
    e.PODPREVIEW_REDIS_CLUSTER_NODES && 'PODPREVIEW_REDIS_CLUSTER_NODES',
  ].filter(Boolean);
  if (redisWays.length > 1) throw new ConfigError(`${redisWays.join(', ')}: set only one way to reach Redis`);
  checkVariantPrefixes(e);
  return {
    redisUrl: withPassword(e.REDIS_URL, e.PODPREVIEW_REDIS_PASSWORD),
    redisSentinel: e.PODPREVIEW_REDIS_SENTINELS
      ? {
          kind: 'sentinel',
          sentinels: parseHostPorts('PODPREVIEW_REDIS_SENTINELS', e.PODPREVIEW_REDIS_SENTINELS),
          name: e.PODPREVIEW_REDIS_SENTINEL_NAME,
          password: e.PODPREVIEW_REDIS_PASSWORD,
          sentinelPassword: e.PODPREVIEW_REDIS_SENTINEL_PASSWORD,
        }
      : undefined,
    redisCluster: e.PODPREVIEW_REDIS_CLUSTER_NODES
      ? { kind: 'cluster', nodes: parseHostPorts('PODPREVIEW_REDIS_CLUSTER_NODES', e.PODPREVIEW_REDIS_CLUSTER_NODES), password: e.PODPREVIEW_REDIS_PASSWORD }
      : undefined,
    enqueueWaitReplicas: e.PODPREVIEW_ENQUEUE_WAIT_REPLICAS,
    enqueueWaitTimeoutMs: e.PODPREVIEW_ENQUEUE_WAIT_TIMEOUT_MS,
    shadowQueuePrefix: e.PODPREVIEW_SHADOW_QUEUE_PREFIX,
    shadowMaxBacklog: e.PODPREVIEW_SHADOW_MAX_BACKLOG,
    variant: e.PODPREVIEW_VARIANT,
    modelsSkip: list(e.PODPREVIEW_MODELS_SKIP),
    fallback: e.PODPREVIEW_FALLBACK_QUEUE_PREFIX
      ? {
          queuePrefix: e.PODPREVIEW_FALLBACK_QUEUE_PREFIX,
          afterMs: e.PODPREVIEW_FALLBACK_AFTER_MS,
          normalPriority: e.PODPREVIEW_FALLBACK_NORMAL_PRIORITY === 'true',
        }
      : undefined,
    queuePrefix: e.PODPREVIEW_QUEUE_PREFIX,
    dataDir,
    storage:
      e.PODPREVIEW_STORAGE === 'gcs'
        ? { kind: 'gcs', bucket: e.PODPREVIEW_GCS_BUCKET!, apiEndpoint: e.PODPREVIEW_GCS_API_ENDPOINT, projectId: e.PODPREVIEW_GCP_PROJECT }
        : { kind: 'local' },
    sink:
      e.PODPREVIEW_SINK === 'bigquery'
        ? {
            kind: 'bigquery',
            dataset: e.PODPREVIEW_BQ_DATASET,
            table: e.PODPREVIEW_BQ_TABLE,
            apiEndpoint: e.PODPREVIEW_BQ_API_ENDPOINT,
            projectId: e.PODPREVIEW_GCP_PROJECT,
          }
        : { kind: 'local', dbPath: path.join(dataDir, 'results.duckdb') },
    attempts: e.PODPREVIEW_ATTEMPTS,
    backoffMs: e.PODPREVIEW_BACKOFF_MS,
    lockDurationMs: e.PODPREVIEW_LOCK_DURATION_MS,
    stalledIntervalMs: e.PODPREVIEW_STALLED_INTERVAL_MS,
    maxStalledCount: e.PODPREVIEW_MAX_STALLED_COUNT,
    stageTimeoutMs: e.PODPREVIEW_STAGE_TIMEOUT_MS,
    redisConnectTimeoutMs: e.PODPREVIEW_REDIS_CONNECT_TIMEOUT_MS,
    runStateTtlMs: e.PODPREVIEW_RUN_STATE_TTL_MS,
    keepIntermediateBlobs: e.PODPREVIEW_KEEP_INTERMEDIATE_BLOBS === 'true',
    tempDir: path.resolve(cwd, e.PODPREVIEW_TEMP_DIR ?? path.join(os.tmpdir(), 'podpreview')),
    tempMaxAgeMs: e.PODPREVIEW_TEMP_MAX_AGE_MS,
    deadLetterRetryMs: e.PODPREVIEW_DEAD_LETTER_RETRY_MS,
    deadLetterMax: e.PODPREVIEW_DEAD_LETTER_MAX,
    minSpeechFraction: e.PODPREVIEW_MIN_SPEECH_FRACTION,
    shutdownGraceMs: e.PODPREVIEW_SHUTDOWN_GRACE_MS,
    previewSec: e.PODPREVIEW_PREVIEW_SEC,
    executionProvider: e.PODPREVIEW_EXECUTION_PROVIDER,
    modelManifestPath: e.PODPREVIEW_MODEL_MANIFEST ? path.resolve(cwd, e.PODPREVIEW_MODEL_MANIFEST) : undefined,
    modelThreads: e.PODPREVIEW_MODEL_THREADS ?? Math.min(4, os.availableParallelism()),
    asr: { mode: e.PODPREVIEW_ASR, lanes: e.PODPREVIEW_ASR_LANES ?? Math.min(4, os.availableParallelism()) },
    weights: selectionWeightsFrom(e),
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
    inputs: {
      roots: (e.PODPREVIEW_INPUT_ROOTS ? list(e.PODPREVIEW_INPUT_ROOTS) : [cwd]).map((r) => path.resolve(cwd, r)),
      buckets: list(e.PODPREVIEW_INPUT_BUCKETS),
      allowPrivateUrls: e.PODPREVIEW_INPUT_ALLOW_PRIVATE_URLS === 'true',
      maxBytes: e.PODPREVIEW_MAX_INPUT_BYTES,
      maxDurationSec: e.PODPREVIEW_MAX_DURATION_SEC,
      fetchTimeoutMs: e.PODPREVIEW_FETCH_TIMEOUT_MS,
      fetchIdleTimeoutMs: e.PODPREVIEW_FETCH_IDLE_TIMEOUT_MS,
      fetchAttempts: e.PODPREVIEW_FETCH_ATTEMPTS,
      maxTranscriptBytes: e.PODPREVIEW_MAX_TRANSCRIPT_BYTES,
      maxTranscriptCues: e.PODPREVIEW_MAX_TRANSCRIPT_CUES,
      excluded: [
        path.join(dataDir, 'blobs'),
        path.join(dataDir, 'results.duckdb'),
        path.join(dataDir, 'results.duckdb.wal'),
        path.resolve(cwd, e.PODPREVIEW_TEMP_DIR ?? path.join(os.tmpdir(), 'podpreview')),
      ],
    },
    httpBodyLimitBytes: e.PODPREVIEW_HTTP_BODY_LIMIT_BYTES,
    apiPageMax: e.PODPREVIEW_API_PAGE_MAX,
    enqueueTimeoutSec: e.PODPREVIEW_ENQUEUE_TIMEOUT_SEC,
    apiPublicUrl: e.PODPREVIEW_API_PUBLIC_URL?.replace(/\/$/, ''),
    runIndexMax: e.PODPREVIEW_RUN_INDEX_MAX,
    runsPerEpisodeMax: e.PODPREVIEW_RUNS_PER_EPISODE_MAX,
    idempotencyTtlMs: e.PODPREVIEW_IDEMPOTENCY_TTL_MS,
    idempotencyClaimTtlMs: Math.min(e.PODPREVIEW_IDEMPOTENCY_CLAIM_TTL_MS, e.PODPREVIEW_IDEMPOTENCY_TTL_MS),
    clipUrlTtlSec: e.PODPREVIEW_CLIP_URL_TTL_SEC,
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
    workerMetricsPort: e.PODPREVIEW_WORKER_METRICS_PORT,
    workerMetricsHost: e.PODPREVIEW_WORKER_METRICS_HOST,
    failedJobSweepMs: e.PODPREVIEW_FAILED_JOB_SWEEP_MS,
    dashboard: {
      host: e.PODPREVIEW_DASHBOARD_HOST,
      port: e.PODPREVIEW_DASHBOARD_PORT,
      users: parseUsers(e.PODPREVIEW_DASHBOARD_USERS),
      refreshMs: e.PODPREVIEW_DASHBOARD_REFRESH_MS,
      bullBoardReadOnly: e.PODPREVIEW_BULL_BOARD_READ_ONLY === 'true',
      seriesMaxPoints: e.PODPREVIEW_DASHBOARD_SERIES_MAX_POINTS,
    },
    queueMetricsMaxPoints: e.PODPREVIEW_QUEUE_METRICS_MAX_POINTS,
    alerts: {
      perStage: alertThresholds(e, parseOverrides(e.PODPREVIEW_ALERT_OVERRIDES)),
      failureWindowMin: e.PODPREVIEW_ALERT_FAILURE_WINDOW_MIN,
      clearRatio: e.PODPREVIEW_ALERT_CLEAR_RATIO,
      webhookUrl: e.PODPREVIEW_ALERT_WEBHOOK_URL,
      ingestP95WarnSec: e.PODPREVIEW_ALERT_INGEST_P95_WARN_SEC,
      ingestP95CritSec: e.PODPREVIEW_ALERT_INGEST_P95_CRIT_SEC,
      api5xxRatioWarn: e.PODPREVIEW_ALERT_API_5XX_RATIO_WARN,
      api5xxRatioCrit: e.PODPREVIEW_ALERT_API_5XX_RATIO_CRIT,
      callbackFailureRateWarn: e.PODPREVIEW_ALERT_CALLBACK_FAILURE_RATE_WARN,
      callbackFailureRateCrit: e.PODPREVIEW_ALERT_CALLBACK_FAILURE_RATE_CRIT,
      fallbackRateWarn: e.PODPREVIEW_ALERT_FALLBACK_RATE_WARN,
      fallbackRateCrit: e.PODPREVIEW_ALERT_FALLBACK_RATE_CRIT,
      runbookUrl: e.PODPREVIEW_RUNBOOK_URL,
    },
    keepCompletedJobs: e.PODPREVIEW_KEEP_COMPLETED_JOBS,
    keepFailedJobs: e.PODPREVIEW_KEEP_FAILED_JOBS,
    logLevel: e.LOG_LEVEL,
    logColor: e.NO_COLOR === undefined,
    gcpProject: e.PODPREVIEW_GCP_PROJECT,
    tracing: {
      enabled: e.PODPREVIEW_TRACING === 'on' || (e.PODPREVIEW_TRACING === 'auto' && e.OTEL_EXPORTER_OTLP_ENDPOINT !== undefined),
      otlpEndpoint: e.OTEL_EXPORTER_OTLP_ENDPOINT?.replace(/\/$/, ''),
      otlpHeaders: Object.fromEntries(
        list(e.OTEL_EXPORTER_OTLP_HEADERS).map((kv) => [kv.slice(0, kv.indexOf('=')).trim(), decodeURIComponent(kv.slice(kv.indexOf('=') + 1).trim())]),
      ),
      serviceName: e.OTEL_SERVICE_NAME,
      sampleRatio: e.PODPREVIEW_TRACE_SAMPLE_RATIO,
    },
    buildCommit: e.PODPREVIEW_BUILD_COMMIT,
    concurrency: Object.fromEntries(STAGE_NAMES.map((s) => [s, e[concurrencyVar(s)]])) as Record<StageName, number>,
  };
}

/**
 * REDIS_URL with PODPREVIEW_REDIS_PASSWORD in it, when the URL carries none: the URL can then sit
 * in a ConfigMap and the password come from a Secret (infra/k8s).
 */
function withPassword(url: string | undefined, password: string | undefined): string | undefined {
  if (!url || !password) return url;
  const u = new URL(url);
  if (u.password) return url;
  u.password = encodeURIComponent(password);
  return u.toString();
}

/** A variant's queues must never be another's: a fallback or shadow on this variant's prefix would take its jobs. */
function checkVariantPrefixes(e: z.infer<typeof EnvSchema>): void {
  const fallback = e.PODPREVIEW_FALLBACK_QUEUE_PREFIX;
  if (!fallback) return;
  if (e.PODPREVIEW_VARIANT === 'fallback') throw new ConfigError('PODPREVIEW_FALLBACK_QUEUE_PREFIX: the fallback variant has no fallback of its own');
  if (fallback === e.PODPREVIEW_QUEUE_PREFIX) throw new ConfigError('PODPREVIEW_FALLBACK_QUEUE_PREFIX: must differ from PODPREVIEW_QUEUE_PREFIX');
  if (fallback === e.PODPREVIEW_SHADOW_QUEUE_PREFIX) throw new ConfigError('PODPREVIEW_FALLBACK_QUEUE_PREFIX: must differ from PODPREVIEW_SHADOW_QUEUE_PREFIX');
}

function alertThresholds(e: z.infer<typeof EnvSchema>, overrides: z.infer<typeof AlertOverrides>): Record<StageName, AlertThresholds> {
  const defaults: AlertThresholds = {
    backlogWarn: e.PODPREVIEW_ALERT_BACKLOG_WARN,
    backlogCrit: e.PODPREVIEW_ALERT_BACKLOG_CRIT,
    oldestWaitWarnSec: e.PODPREVIEW_ALERT_OLDEST_WAIT_WARN_SEC,
    oldestWaitCritSec: e.PODPREVIEW_ALERT_OLDEST_WAIT_CRIT_SEC,
    failureRateWarn: e.PODPREVIEW_ALERT_FAILURE_RATE_WARN,
    failureRateCrit: e.PODPREVIEW_ALERT_FAILURE_RATE_CRIT,
    stageP95WarnSec: e.PODPREVIEW_ALERT_STAGE_P95_WARN_SEC,
    stageP95CritSec: e.PODPREVIEW_ALERT_STAGE_P95_CRIT_SEC,
  };
  return Object.fromEntries(STAGE_NAMES.map((stage) => [stage, { ...defaults, ...overrides[stage] }])) as Record<StageName, AlertThresholds>;
}

/** Names of all variables, for the README table check. */
export const CONFIG_VARIABLES: readonly string[] = Object.keys(EnvSchema.shape);

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
