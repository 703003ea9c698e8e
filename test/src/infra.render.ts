import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseAllDocuments } from 'yaml';

// Not harness.ts's REPO_ROOT: importing the harness would load the pipeline (Redis, models) too.
const REPO_ROOT = fileURLToPath(new URL('../..', import.meta.url));

/** The kustomize overlays under infra/k8s/overlays, each rendered and checked on its own. */
export const OVERLAYS = ['local', 'gke', 'gke-staging', 'gke-fallback'] as const;
export type OverlayName = (typeof OVERLAYS)[number];

/**
 * The kustomize that renders the overlays: kubectl's own when it bundles kustomize v5, else the
 * one scripts/kustomize.sh fetched from Debian's archive (`npm test` runs it first). Throws, naming
 * the fix, when neither is here.
 */
export function kustomizeCommand(): string[] {
  const kubectl = spawnSync('kubectl', ['version', '--client'], { encoding: 'utf8' });
  if (kubectl.status === 0 && /^Kustomize Version: v5/m.test(kubectl.stdout)) return ['kubectl', 'kustomize'];
  const fetched = path.join(REPO_ROOT, '.data/tools/kustomize/x/usr/bin/kustomize');
  if (existsSync(fetched)) return [fetched, 'build'];
  throw new Error(
    'no kustomize v5 to render infra/k8s: kubectl is missing or bundles an older kustomize (Debian 12 ships kubectl 1.20 with v2.0.3); ' +
      "run `bash scripts/kustomize.sh` (npm test does) to fetch Debian 13's kustomize package",
  );
}

/** The few fields of rendered Kubernetes objects the infra checks read; everything optional. */
export interface K8sContainer {
  name?: string;
  image?: string;
  command?: string[];
  args?: string[];
  env?: { name: string; value?: string; valueFrom?: unknown }[];
  envFrom?: { configMapRef?: { name: string } }[];
  ports?: { name?: string; containerPort?: number }[];
  resources?: { requests?: Record<string, string | number>; limits?: Record<string, string | number> };
  startupProbe?: K8sProbe;
  livenessProbe?: K8sProbe;
}

export interface K8sProbe {
  httpGet?: { path?: string; port?: string | number };
  periodSeconds?: number;
  failureThreshold?: number;
  initialDelaySeconds?: number;
}

export interface K8sPodSpec {
  terminationGracePeriodSeconds?: number;
  nodeSelector?: Record<string, string>;
  tolerations?: { key?: string; operator?: string; value?: string; effect?: string }[];
  containers?: K8sContainer[];
}

export interface K8sObject {
  apiVersion?: string;
  kind: string;
  metadata: { name: string; namespace?: string; labels?: Record<string, string> };
  spec?: {
    template?: { metadata?: { labels?: Record<string, string> }; spec?: K8sPodSpec };
    selector?: { matchLabels?: Record<string, string> };
    maxUnavailable?: number | string;
    minAvailable?: number | string;
  };
  data?: Record<string, string>;
}

/** One overlay, rendered: its name (for messages) and every object kustomize printed. */
export interface RenderedOverlay {
  overlay: string;
  objects: K8sObject[];
}

/** `kustomize build infra/k8s/overlays/<overlay>` as text; throws with kustomize's stderr. */
export function kustomize(overlay: string): string {
  const dir = path.join(REPO_ROOT, 'infra/k8s/overlays', overlay);
  const [cmd, ...args] = kustomizeCommand() as [string, ...string[]];
  const run = spawnSync(cmd, [...args, dir], { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  if (run.error) throw new Error(`kustomize infra/k8s/overlays/${overlay}: ${run.error.message}`);
  if (run.status !== 0) throw new Error(`kustomize infra/k8s/overlays/${overlay} exited ${run.status}: ${run.stderr.trim()}`);
  return run.stdout;
}

/** Parses a multi-document YAML stream into objects; a syntax error or a document without kind/name throws. */
export function parseManifests(yamlText: string, label: string): K8sObject[] {
  const objects: K8sObject[] = [];
  for (const [i, doc] of parseAllDocuments(yamlText).entries()) {
    if (doc.errors.length > 0) throw new Error(`${label}: YAML document ${i}: ${doc.errors.map((e) => e.message).join('; ')}`);
    const value = doc.toJS() as unknown;
    if (value === null || value === undefined) continue;
    const obj = value as Partial<K8sObject>;
    if (typeof obj.kind !== 'string' || typeof obj.metadata?.name !== 'string') {
      throw new Error(`${label}: YAML document ${i} has no kind or metadata.name`);
    }
    objects.push(obj as K8sObject);
  }
  return objects;
}

/** Renders one overlay and parses the result. */
export function renderOverlay(overlay: string): RenderedOverlay {
  return { overlay, objects: parseManifests(kustomize(overlay), `infra/k8s/overlays/${overlay}`) };
}

/** Renders lazily and once, so a kustomize failure fails each check that needs it, with the reason. */
export function lazyRender(overlay: string): () => RenderedOverlay {
  let result: { ok: RenderedOverlay } | { err: unknown } | undefined;
  return () => {
    if (!result) {
      try {
        result = { ok: renderOverlay(overlay) };
      } catch (err) {
        result = { err };
      }
    }
    if ('err' in result) throw result.err;
    return result.ok;
  };
}

/** `Kind/name`, the way messages name an object. */
export function ref(obj: Pick<K8sObject, 'kind' | 'metadata'>): string {
  return `${obj.kind}/${obj.metadata.name}`;
}

export function findObject(rendered: RenderedOverlay, kind: string, name: string): K8sObject | undefined {
  return rendered.objects.find((o) => o.kind === kind && o.metadata.name === name);
}

export function containersOf(obj: K8sObject): K8sContainer[] {
  return obj.spec?.template?.spec?.containers ?? [];
}

/** configMapGenerator appends a content hash: podpreview-config-<hash>. */
export const CONFIG_MAP_PREFIX = 'podpreview-config';

export function configMapsOf(rendered: RenderedOverlay): K8sObject[] {
  return rendered.objects.filter((o) => o.kind === 'ConfigMap' && o.metadata.name.startsWith(`${CONFIG_MAP_PREFIX}-`));
}

/** The generated ConfigMap's data as an environment (values as strings). */
export function configMapEnv(rendered: RenderedOverlay): Record<string, string> {
  const maps = configMapsOf(rendered);
  if (maps.length !== 1) {
    throw new Error(`${rendered.overlay}: expected one ConfigMap ${CONFIG_MAP_PREFIX}-<hash>, found ${maps.map(ref).join(', ') || 'none'}`);
  }
  return Object.fromEntries(Object.entries(maps[0]!.data ?? {}).map(([k, v]) => [k, String(v ?? '')]));
}

/**
 * The environment one container starts with, as far as the manifests decide it: every ConfigMap
 * in its envFrom, then its own env literals (which win, as in Kubernetes). Image ENV is not seen.
 */
export function containerEnv(rendered: RenderedOverlay, container: K8sContainer): Record<string, string> {
  const env: Record<string, string> = {};
  for (const source of container.envFrom ?? []) {
    const name = source.configMapRef?.name;
    if (!name) continue;
    const map = findObject(rendered, 'ConfigMap', name);
    if (!map) throw new Error(`${rendered.overlay}: container ${container.name ?? '?'} reads ConfigMap/${name}, which is not rendered`);
    for (const [k, v] of Object.entries(map.data ?? {})) env[k] = String(v ?? '');
  }
  for (const e of container.env ?? []) if (e.value !== undefined) env[e.name] = String(e.value);
  return env;
}
