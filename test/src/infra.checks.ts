import { CONFIG_VARIABLES, loadConfig, SELECTION_WEIGHT_PARAMS, type Config, type StageSpec } from '@podpreview/shared';
import {
  configMapEnv,
  containerEnv,
  containersOf,
  findObject,
  ref,
  type K8sContainer,
  type K8sObject,
  type OverlayName,
  type RenderedOverlay,
} from './infra.render.ts';

/**
 * Offline checks of the rendered Kubernetes material against what the design promises. Each
 * takes one rendered overlay and returns its problems, one message each naming the overlay and
 * the object; an empty list means the check passes. The stage list and GPU flags come from
 * STAGES, the variables and their validation from CONFIG_VARIABLES and loadConfig.
 */

/** Where the GPU stages get a GPU: true in gke (T4 node pool), false in the CPU-only local overlay. */
export const OVERLAY_HAS_GPUS: Record<OverlayName, boolean> = { local: false, gke: true, 'gke-staging': true, 'gke-fallback': false };

export const GPU_RESOURCE = 'nvidia.com/gpu';
export const T4_SELECTOR = { key: 'cloud.google.com/gke-accelerator', value: 'nvidia-tesla-t4' } as const;
/** The CUDA image's name before an overlay's `images:` rewrites it (registry path and tag may follow). */
export const GPU_IMAGE = /(^|\/)podpreview-gpu(:|@|$)/;

/** Deployment running the workers of one stage. */
export const workerName = (stage: string): string => `worker-${stage}`;

const where = (r: RenderedOverlay, obj: Pick<K8sObject, 'kind' | 'metadata'>): string => `${r.overlay}: ${ref(obj)}`;

/** command followed by args: the argv a container starts with (image entrypoint aside). */
function argv(c: K8sContainer): string[] {
  return [...(c.command ?? []), ...(c.args ?? [])].map(String);
}

/** Value of a command-line flag, as `--flag value` or `--flag=value`; undefined when absent. */
export function flagValue(args: readonly string[], flag: string): string | undefined {
  for (const [i, a] of args.entries()) {
    if (a === flag) return args[i + 1];
    if (a.startsWith(`${flag}=`)) return a.slice(flag.length + 1);
  }
  return undefined;
}

/** loadConfig on an environment, or its error message. Only the variables named in `only` are passed when given. */
function configFor(env: Record<string, string>, only?: readonly string[]): { config: Config } | { error: string } {
  const passed = only ? Object.fromEntries(only.filter((k) => k in env).map((k) => [k, env[k]])) : env;
  try {
    return { config: loadConfig(passed, '/app') };
  } catch (err) {
    return { error: err instanceof Error ? err.message : String(err) };
  }
}

/** The object kustomize rendered, or a problem saying it is missing. */
function need(r: RenderedOverlay, problems: string[], kind: string, name: string): K8sObject | undefined {
  const obj = findObject(r, kind, name);
  if (!obj) problems.push(`${r.overlay}: no ${kind}/${name} rendered`);
  else if (containersOf(obj).length === 0) problems.push(`${where(r, obj)} has no containers`);
  return obj && containersOf(obj).length > 0 ? obj : undefined;
}

/** kustomize rendered a non-empty set of objects, none twice. */
export function checkRendered(r: RenderedOverlay): string[] {
  if (r.objects.length === 0) return [`${r.overlay}: kustomize rendered no objects`];
  const seen = new Set<string>();
  const problems: string[] = [];
  for (const o of r.objects) {
    const key = `${o.kind}/${o.metadata.namespace ?? ''}/${o.metadata.name}`;
    if (seen.has(key)) problems.push(`${where(r, o)} rendered twice`);
    seen.add(key);
  }
  return problems;
}

/** Every stage has a Deployment worker-<stage> whose container runs `--stages <stage>`. */
export function checkStageWorkers(r: RenderedOverlay, stages: readonly StageSpec[]): string[] {
  const problems: string[] = [];
  for (const stage of stages) {
    const d = need(r, problems, 'Deployment', workerName(stage.name));
    if (!d) continue;
    const runs = containersOf(d).map((c) => flagValue(argv(c), '--stages'));
    if (!runs.includes(stage.name)) {
      problems.push(`${where(r, d)} does not run --stages ${stage.name} (--stages: ${runs.map((v) => v ?? 'absent').join(', ')})`);
    }
  }
  return problems;
}

/** What ties a Deployment to a GPU node: the GPU limit, the T4 selector and toleration, the CUDA image. */
export interface GpuFields {
  gpuLimit: number;
  t4Selector: boolean;
  gpuToleration: boolean;
  gpuImage: boolean;
}

export function gpuFields(d: K8sObject): GpuFields {
  const pod = d.spec?.template?.spec ?? {};
  const containers = containersOf(d);
  return {
    gpuLimit: containers.reduce((n, c) => n + Number(c.resources?.limits?.[GPU_RESOURCE] ?? c.resources?.requests?.[GPU_RESOURCE] ?? 0), 0),
    t4Selector: pod.nodeSelector?.[T4_SELECTOR.key] === T4_SELECTOR.value,
    gpuToleration: (pod.tolerations ?? []).some((t) => t.key === GPU_RESOURCE),
    gpuImage: containers.some((c) => GPU_IMAGE.test(c.image ?? '')),
  };
}

const describeFields = (f: GpuFields): string =>
  `${GPU_RESOURCE}=${f.gpuLimit} t4-selector=${f.t4Selector} gpu-toleration=${f.gpuToleration} gpu-image=${f.gpuImage}`;

/**
 * GPU stages (gpu: true in STAGES) request nvidia.com/gpu, select and tolerate T4 nodes and run
 * the CUDA image where the overlay has GPUs, and carry none of that where it has none; CPU
 * stages never carry any of it.
 */
export function checkGpuPlacement(r: RenderedOverlay, stages: readonly StageSpec[], overlayHasGpus: boolean): string[] {
  const problems: string[] = [];
  for (const stage of stages) {
    const d = findObject(r, 'Deployment', workerName(stage.name));
    if (!d) {
      problems.push(`${r.overlay}: no Deployment/${workerName(stage.name)} rendered`);
      continue;
    }
    const f = gpuFields(d);
    const all = f.gpuLimit >= 1 && f.t4Selector && f.gpuToleration && f.gpuImage;
    const none = f.gpuLimit === 0 && !f.t4Selector && !f.gpuToleration && !f.gpuImage;
    if (stage.gpu && overlayHasGpus && !all) {
      problems.push(`${where(r, d)} (GPU stage) lacks GPU fields: ${describeFields(f)}`);
    } else if (stage.gpu && !overlayHasGpus && !none) {
      problems.push(`${where(r, d)} (GPU stage, overlay without GPUs) still has GPU fields: ${describeFields(f)}`);
    } else if (!stage.gpu && !none) {
      problems.push(`${where(r, d)} (CPU stage) has GPU fields: ${describeFields(f)}`);
    }
  }
  return problems;
}

/** Every worker's terminationGracePeriodSeconds exceeds the PODPREVIEW_SHUTDOWN_GRACE_MS it runs with. */
export function checkGracePeriods(r: RenderedOverlay, stages: readonly StageSpec[]): string[] {
  const problems: string[] = [];
  for (const stage of stages) {
    const d = need(r, problems, 'Deployment', workerName(stage.name));
    if (!d) continue;
    const tgp = d.spec?.template?.spec?.terminationGracePeriodSeconds;
    for (const c of containersOf(d)) {
      // Only this variable, so an unrelated bad value (checkLoadConfig's business) cannot hide a short grace period.
      const loaded = configFor(containerEnv(r, c), ['PODPREVIEW_SHUTDOWN_GRACE_MS']);
      if ('error' in loaded) {
        problems.push(`${where(r, d)} container ${c.name}: ${loaded.error}`);
        continue;
      }
      const graceMs = loaded.config.shutdownGraceMs;
      if (typeof tgp !== 'number' || tgp * 1000 <= graceMs) {
        problems.push(`${where(r, d)} terminationGracePeriodSeconds=${tgp ?? 'unset'} not above PODPREVIEW_SHUTDOWN_GRACE_MS=${graceMs}`);
      }
    }
  }
  return problems;
}

/** Redis keeps BullMQ's keys: maxmemory-policy noeviction and appendonly yes. */
export function checkRedis(r: RenderedOverlay): string[] {
  const problems: string[] = [];
  const s = need(r, problems, 'StatefulSet', 'redis');
  if (!s) return problems;
  const args = containersOf(s).flatMap(argv);
  const expected = { '--maxmemory-policy': 'noeviction', '--appendonly': 'yes' };
  for (const [flag, value] of Object.entries(expected)) {
    const actual = flagValue(args, flag);
    if (actual !== value) problems.push(`${where(r, s)}: ${flag} is ${actual ?? 'absent'}, expected ${value}`);
  }
  return problems;
}

/**
 * Redis asks for a password, and every process of ours has one: the Redis StatefulSet (where the
 * overlay runs one) runs with --requirepass, and every container reading podpreview-config has
 * PODPREVIEW_REDIS_PASSWORD from a Secret, never from a literal.
 */
export function checkRedisAuth(r: RenderedOverlay): string[] {
  const problems: string[] = [];
  const s = r.objects.find((o) => o.kind === 'StatefulSet' && o.metadata?.name === 'redis');
  if (s && !containersOf(s).flatMap(argv).includes('--requirepass')) problems.push(`${where(r, s)}: runs without --requirepass`);
  for (const d of r.objects.filter((o) => o.kind === 'Deployment')) {
    for (const c of containersOf(d)) {
      if (!c.envFrom?.some((e) => e.configMapRef?.name?.startsWith('podpreview-config'))) continue;
      const pw = c.env?.find((e) => e.name === 'PODPREVIEW_REDIS_PASSWORD');
      const fromSecret = (pw?.valueFrom as { secretKeyRef?: { name?: string } } | undefined)?.secretKeyRef?.name;
      if (!fromSecret) problems.push(`${where(r, d)} container ${c.name}: no PODPREVIEW_REDIS_PASSWORD from a Secret`);
    }
  }
  return problems;
}

/** The producer runs `serve` with a containerPort equal to the PODPREVIEW_HTTP_PORT it is configured with. */
export function checkProducer(r: RenderedOverlay): string[] {
  const problems: string[] = [];
  const d = need(r, problems, 'Deployment', 'producer');
  if (!d) return problems;
  const serving = containersOf(d).filter((c) => argv(c).includes('serve'));
  if (serving.length === 0) problems.push(`${where(r, d)}: no container runs \`podpreview serve\``);
  for (const c of serving) {
    const loaded = configFor(containerEnv(r, c), ['PODPREVIEW_HTTP_PORT']);
    if ('error' in loaded) {
      problems.push(`${where(r, d)} container ${c.name}: ${loaded.error}`);
      continue;
    }
    const ports = (c.ports ?? []).map((p) => p.containerPort);
    if (!ports.includes(loaded.config.httpPort)) {
      problems.push(`${where(r, d)} container ${c.name}: containerPort ${ports.join(', ') || 'none'}, PODPREVIEW_HTTP_PORT=${loaded.config.httpPort}`);
    }
  }
  return problems;
}

/** The generated ConfigMap names every configuration variable, and only those. */
export function checkConfigMapVariables(r: RenderedOverlay): string[] {
  const env = configMapEnv(r);
  const missing = CONFIG_VARIABLES.filter((v) => !(v in env));
  const unknown = Object.keys(env).filter((k) => !CONFIG_VARIABLES.includes(k));
  const problems: string[] = [];
  if (missing.length > 0) problems.push(`${r.overlay}: ConfigMap podpreview-config lacks ${missing.join(', ')}`);
  if (unknown.length > 0) problems.push(`${r.overlay}: ConfigMap podpreview-config has variables the configuration does not know: ${unknown.join(', ')}`);
  return problems;
}

/**
 * Production selects with the weights that were evaluated: each PODPREVIEW_WEIGHT_* in the
 * ConfigMap is the shipped value from the weights' list (a deliberate override belongs in an
 * overlay's patch, where review sees it).
 */
export function checkSelectionWeights(r: RenderedOverlay): string[] {
  const env = configMapEnv(r);
  return Object.values(SELECTION_WEIGHT_PARAMS)
    .filter((p) => env[p.env] !== undefined && Number(env[p.env]) !== p.value)
    .map((p) => `${r.overlay}: ConfigMap sets ${p.env}=${env[p.env]}, the evaluated value is ${p.value}`);
}

/** The ConfigMap, and each Deployment container's environment (ConfigMap plus its own env), pass loadConfig. */
export function checkLoadConfig(r: RenderedOverlay): string[] {
  const problems: string[] = [];
  const base = configFor(configMapEnv(r));
  if ('error' in base) problems.push(`${r.overlay}: ConfigMap podpreview-config: ${base.error}`);
  for (const d of r.objects.filter((o) => o.kind === 'Deployment')) {
    for (const c of containersOf(d)) {
      if (!c.envFrom?.length && !c.env?.length) continue;
      const loaded = configFor(containerEnv(r, c));
      // The ConfigMap's own error, inherited unchanged, is reported once above.
      if ('error' in loaded && !('error' in base && loaded.error === base.error)) problems.push(`${where(r, d)} container ${c.name}: ${loaded.error}`);
    }
  }
  return problems;
}

/** Where KEDA and a Prometheus with the queue gauges run: gke yes; the laptop overlay scales by hand. */
export const OVERLAY_AUTOSCALES: Record<OverlayName, boolean> = { local: false, gke: true, 'gke-staging': true, 'gke-fallback': true };

/** Staging and the fallback hold nothing while idle (every fleet's minimum 0); production keeps one of each warm. */
export const OVERLAY_SCALES_TO_ZERO: Record<OverlayName, boolean> = { local: false, gke: false, 'gke-staging': true, 'gke-fallback': true };

/** Where the HTTP API runs; the fallback has none (production's API answers for it and delivers its callbacks). */
export const OVERLAY_SERVES_API: Record<OverlayName, boolean> = { local: true, gke: true, 'gke-staging': true, 'gke-fallback': false };

/** The dashboard's gauges each stage's scaler reads (packages/ops/src/queue-metrics.ts). */
export const SCALER_GAUGES = { backlog: 'podpreview_queue_waiting', oldestWaiting: 'podpreview_queue_oldest_waiting_seconds' } as const;

interface ScaledObjectSpec {
  scaleTargetRef?: { name?: string; kind?: string };
  minReplicaCount?: number;
  maxReplicaCount?: number;
  triggers?: { type?: string; metricType?: string; metadata?: Record<string, string> }[];
}

/** The label matchers of `gauge` in a PromQL query, e.g. `sum(podpreview_queue_waiting{namespace="ns",stage="sink"})`. */
function gaugeLabels(query: string, gauge: string): Record<string, string> | undefined {
  const set = new RegExp(`${gauge}\\{([^}]*)\\}`).exec(query)?.[1];
  if (set === undefined) return undefined;
  return Object.fromEntries([...set.matchAll(/(\w+)="([^"]*)"/g)].map((m) => [m[1]!, m[2]!]));
}

/**
 * Where the overlay autoscales: every stage's Deployment has a KEDA ScaledObject worker-<stage>
 * aimed at it, with min ≤ max and min 0 where the overlay scales to zero, ≥ 1 elsewhere; a
 * Prometheus trigger on the stage's backlog gauge and one on its oldest-waiting gauge (both
 * gauges the dashboard exports: `exportedGauges`), of this stage in the ScaledObject's own
 * namespace (another deployment's dashboard exports the same names to the same Prometheus); and
 * the Deployment leaves `replicas` to the autoscaler. Where it does not autoscale, no
 * ScaledObject is rendered (KEDA's CRDs would be missing and the apply would fail).
 */
export function checkScalers(
  r: RenderedOverlay,
  stages: readonly StageSpec[],
  o: { autoscales: boolean; scalesToZero: boolean; exportedGauges: readonly string[] },
): string[] {
  const { autoscales, scalesToZero, exportedGauges } = o;
  const problems: string[] = [];
  const scalers = r.objects.filter((o) => o.kind === 'ScaledObject');
  if (!autoscales) {
    return scalers.map((s) => `${where(r, s)} rendered in an overlay without KEDA`);
  }
  for (const gauge of Object.values(SCALER_GAUGES)) {
    if (!exportedGauges.includes(gauge)) problems.push(`${r.overlay}: the scalers read ${gauge}, which the dashboard does not export`);
  }
  for (const stage of stages) {
    const name = workerName(stage.name);
    const so = findObject(r, 'ScaledObject', name);
    if (!so) {
      problems.push(`${r.overlay}: no ScaledObject/${name} for stage ${stage.name}`);
      continue;
    }
    const spec = so.spec as ScaledObjectSpec;
    const target = spec.scaleTargetRef?.name;
    const deployment = target ? findObject(r, 'Deployment', target) : undefined;
    if (target !== name || !deployment) problems.push(`${where(r, so)} scales ${target ?? 'nothing'}, not Deployment/${name}`);
    const [min, max] = [spec.minReplicaCount ?? 0, spec.maxReplicaCount ?? 100];
    const wantMin = scalesToZero ? 'minReplicaCount 0 (scale to zero)' : '1 ≤ minReplicaCount';
    if (!((scalesToZero ? min === 0 : min >= 1) && min <= max && max >= 1))
      problems.push(`${where(r, so)} needs ${wantMin} ≤ maxReplicaCount (has ${min}..${max})`);
    const prometheus = (spec.triggers ?? []).filter((t) => t.type === 'prometheus');
    for (const [what, gauge] of Object.entries(SCALER_GAUGES)) {
      const t = prometheus.find((p) => gaugeLabels(p.metadata?.query ?? '', gauge) !== undefined);
      const labels = t ? gaugeLabels(t.metadata!.query!, gauge)! : undefined;
      if (!t || !labels) problems.push(`${where(r, so)} has no Prometheus trigger on ${gauge} (${what})`);
      else if (labels.stage !== stage.name) problems.push(`${where(r, so)} reads ${gauge} of another stage: ${t.metadata!.query}`);
      else if (labels.namespace !== so.metadata.namespace) {
        problems.push(`${where(r, so)} reads ${gauge} of namespace ${labels.namespace ?? '(any)'}, not its own ${so.metadata.namespace}: ${t.metadata!.query}`);
      } else if (!(Number(t.metadata!.threshold) > 0)) problems.push(`${where(r, so)}: ${what} trigger without a positive threshold`);
    }
    if (deployment && (deployment.spec as { replicas?: number } | undefined)?.replicas !== undefined) {
      problems.push(`${where(r, deployment)} sets replicas, which every apply would reset under the autoscaler`);
    }
  }
  for (const so of scalers) {
    if (!stages.some((s) => workerName(s.name) === so.metadata.name)) problems.push(`${where(r, so)} is not the scaler of any stage`);
  }
  return problems;
}

/** Variants that run on another overlay's Redis (staging shadows it, the fallback takes over from it), named here by that overlay. */
export const OVERLAY_SHADOWS: Record<OverlayName, OverlayName | null> = { local: null, gke: null, 'gke-staging': 'gke', 'gke-fallback': 'gke' };

/** The fallback variant's overlay, by the overlay it takes over from. */
export const OVERLAY_FALLBACK_OF: Record<OverlayName, OverlayName | null> = { local: null, gke: null, 'gke-staging': null, 'gke-fallback': 'gke' };

/**
 * The fallback variant says so, runs without a fallback of its own, and writes where production's
 * API reads: production's blob store and results table (a row elsewhere would never be the
 * episode's answer). Where production names a fallback prefix, it is this overlay's.
 */
export function checkFallbackVariant(r: RenderedOverlay, production: RenderedOverlay): string[] {
  const problems: string[] = [];
  const [env, prodEnv] = [configMapEnv(r), configMapEnv(production)];
  if (env.PODPREVIEW_VARIANT !== 'fallback') problems.push(`${r.overlay}: PODPREVIEW_VARIANT is ${env.PODPREVIEW_VARIANT || '(unset)'}, not fallback`);
  if (env.PODPREVIEW_FALLBACK_QUEUE_PREFIX)
    problems.push(`${r.overlay}: has a fallback of its own (PODPREVIEW_FALLBACK_QUEUE_PREFIX=${env.PODPREVIEW_FALLBACK_QUEUE_PREFIX})`);
  if (prodEnv.PODPREVIEW_FALLBACK_QUEUE_PREFIX && prodEnv.PODPREVIEW_FALLBACK_QUEUE_PREFIX !== env.PODPREVIEW_QUEUE_PREFIX) {
    problems.push(
      `${production.overlay}: PODPREVIEW_FALLBACK_QUEUE_PREFIX=${prodEnv.PODPREVIEW_FALLBACK_QUEUE_PREFIX} is not ${r.overlay}'s queue prefix ${env.PODPREVIEW_QUEUE_PREFIX}`,
    );
  }
  for (const v of [
    'PODPREVIEW_STORAGE',
    'PODPREVIEW_GCS_BUCKET',
    'PODPREVIEW_SINK',
    'PODPREVIEW_GCP_PROJECT',
    'PODPREVIEW_BQ_DATASET',
    'PODPREVIEW_BQ_TABLE',
  ]) {
    if ((env[v] ?? '') !== (prodEnv[v] ?? '')) problems.push(`${r.overlay}: ${v}=${env[v] ?? ''} is not ${production.overlay}'s ${prodEnv[v] ?? ''}`);
  }
  return problems;
}

/**
 * A shadow variant has no Redis of its own: its REDIS_URL is the Redis Service of the overlay it
 * shadows (in that overlay's namespace), its queue prefix is not that overlay's (it must never
 * take production's jobs), and that overlay's Redis NetworkPolicy admits its namespace.
 */
export function checkShadowVariant(r: RenderedOverlay, shadowed: RenderedOverlay): string[] {
  const problems: string[] = [];
  if (findObject(r, 'StatefulSet', 'redis')) problems.push(`${r.overlay}: renders a Redis of its own; a shadow variant uses ${shadowed.overlay}'s`);
  const [env, prodEnv] = [configMapEnv(r), configMapEnv(shadowed)];
  const prodRedis = findObject(shadowed, 'Service', 'redis');
  const ns = prodRedis?.metadata.namespace;
  const host = (() => {
    try {
      return new URL(env.REDIS_URL ?? '').hostname;
    } catch {
      return '';
    }
  })();
  if (!prodRedis || !ns || !(host === `redis.${ns}.svc.cluster.local` || host === `redis.${ns}.svc` || host === `redis.${ns}`)) {
    problems.push(`${r.overlay}: REDIS_URL ${env.REDIS_URL ?? '(unset)'} is not ${shadowed.overlay}'s Redis Service (redis.${ns ?? '?'}.svc.cluster.local)`);
  }
  if (!env.PODPREVIEW_QUEUE_PREFIX || env.PODPREVIEW_QUEUE_PREFIX === prodEnv.PODPREVIEW_QUEUE_PREFIX) {
    problems.push(`${r.overlay}: PODPREVIEW_QUEUE_PREFIX ${env.PODPREVIEW_QUEUE_PREFIX ?? '(unset)'} would consume ${shadowed.overlay}'s own queues`);
  }
  const myNs = r.objects.find((o) => o.kind === 'Namespace')?.metadata.name;
  const policy = findObject(shadowed, 'NetworkPolicy', 'redis-clients') as (K8sObject & { spec?: { ingress?: { from?: unknown[] }[] } }) | undefined;
  const admitted = (policy?.spec?.ingress ?? []).some((rule) =>
    (rule.from ?? []).some(
      (f) => (f as { namespaceSelector?: { matchLabels?: Record<string, string> } }).namespaceSelector?.matchLabels?.['kubernetes.io/metadata.name'] === myNs,
    ),
  );
  if (!admitted) problems.push(`${shadowed.overlay}: NetworkPolicy/redis-clients does not admit namespace ${myNs ?? '?'} (${r.overlay})`);
  return problems;
}

/** Every Deployment's pods are covered by exactly one PodDisruptionBudget that lets a drain through (maxUnavailable ≥ 1). */
export function checkDisruptionBudgets(r: RenderedOverlay): string[] {
  const problems: string[] = [];
  const budgets = r.objects.filter((o) => o.kind === 'PodDisruptionBudget');
  for (const d of r.objects.filter((o) => o.kind === 'Deployment')) {
    const labels = d.spec?.template?.metadata?.labels ?? {};
    const covering = budgets.filter((b) => {
      const sel = b.spec?.selector?.matchLabels ?? {};
      return Object.keys(sel).length > 0 && Object.entries(sel).every(([k, v]) => labels[k] === v);
    });
    if (covering.length !== 1) problems.push(`${where(r, d)}: ${covering.length} PodDisruptionBudgets cover its pods (want 1)`);
    for (const b of covering) {
      if (b.spec?.minAvailable !== undefined || !(Number(b.spec?.maxUnavailable) >= 1))
        problems.push(`${where(r, b)}: maxUnavailable ≥ 1 and no minAvailable, so a single-replica Deployment never blocks a drain`);
    }
  }
  return problems;
}

/**
 * Every stage worker has a startupProbe on /healthz (it answers 200 once the stage's models are
 * loaded) allowing at least 2 minutes, and its livenessProbe waits for it instead of a fixed delay.
 */
export function checkStartupProbes(r: RenderedOverlay, stages: readonly StageSpec[]): string[] {
  const problems: string[] = [];
  for (const stage of stages) {
    const d = findObject(r, 'Deployment', workerName(stage.name));
    for (const c of d ? containersOf(d) : []) {
      const probe = c.startupProbe;
      const allowsSec = (probe?.periodSeconds ?? 10) * (probe?.failureThreshold ?? 3);
      if (probe?.httpGet?.path !== '/healthz') problems.push(`${where(r, d!)} container ${c.name}: no startupProbe on /healthz`);
      else if (allowsSec < 120) problems.push(`${where(r, d!)} container ${c.name}: startupProbe allows ${allowsSec} s for model loading (want ≥ 120)`);
      if (c.livenessProbe?.initialDelaySeconds)
        problems.push(`${where(r, d!)} container ${c.name}: livenessProbe has an initialDelaySeconds the startupProbe replaces`);
    }
  }
  return problems;
}
