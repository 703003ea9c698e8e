import { describe, expect, it } from 'vitest';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { type Monitor, queueMetricsRegistry } from '@podpreview/ops';
import { runBlobKeys, STAGES } from '@podpreview/shared';
import {
  OVERLAY_AUTOSCALES,
  OVERLAY_FALLBACK_OF,
  OVERLAY_HAS_GPUS,
  OVERLAY_SCALES_TO_ZERO,
  OVERLAY_SERVES_API,
  OVERLAY_SHADOWS,
  checkConfigMapVariables,
  checkSelectionWeights,
  checkDisruptionBudgets,
  checkFallbackVariant,
  checkGpuPlacement,
  checkGracePeriods,
  checkLoadConfig,
  checkProducer,
  checkRedis,
  checkRedisAuth,
  checkRendered,
  checkScalers,
  checkShadowVariant,
  checkStageWorkers,
  checkStartupProbes,
} from './infra.checks.ts';
import { OVERLAYS, lazyRender } from './infra.render.ts';

const REPO_ROOT_DIR = fileURLToPath(new URL('../..', import.meta.url));

// Offline checks of infra/k8s: each overlay rendered with kustomize v5 (kubectl's or Debian's),
// parsed, and held to what infra/README.md promises. No cluster or network needed.
describe.each(OVERLAYS)('infra/k8s/overlays/%s', (overlay) => {
  const rendered = lazyRender(overlay);
  const gpus = OVERLAY_HAS_GPUS[overlay];
  const gpuStages = STAGES.filter((s) => s.gpu).map((s) => s.name);

  it('renders with kustomize, each object once', () => {
    expect(checkRendered(rendered())).toEqual([]);
  });

  it(`has a Deployment worker-<stage> running --stages <stage> for ${STAGES.map((s) => s.name).join(', ')}`, () => {
    expect(checkStageWorkers(rendered(), STAGES)).toEqual([]);
  });

  it(
    gpus
      ? `puts ${gpuStages.join(', ')} on T4 nodes (nvidia.com/gpu, selector, toleration, GPU image); CPU stages off them`
      : `runs every stage CPU-only (no nvidia.com/gpu, T4 selector, toleration or GPU image)`,
    () => {
      expect(checkGpuPlacement(rendered(), STAGES, gpus)).toEqual([]);
    },
  );

  it(
    OVERLAY_AUTOSCALES[overlay]
      ? `scales every stage on its own backlog and oldest waiting job (a KEDA ScaledObject per worker Deployment, min ${OVERLAY_SCALES_TO_ZERO[overlay] ? '0' : '≥ 1'})`
      : 'renders no ScaledObject (no KEDA here)',
    () => {
      // Only the gauges' names are read (no scrape), so no monitor is needed behind them.
      const gauges = queueMetricsRegistry({} as Monitor)
        .getMetricsAsArray()
        .map((m) => m.name);
      expect(
        checkScalers(rendered(), STAGES, { autoscales: OVERLAY_AUTOSCALES[overlay], scalesToZero: OVERLAY_SCALES_TO_ZERO[overlay], exportedGauges: gauges }),
      ).toEqual([]);
    },
  );

  it('gives every worker a terminationGracePeriodSeconds above PODPREVIEW_SHUTDOWN_GRACE_MS', () => {
    expect(checkGracePeriods(rendered(), STAGES)).toEqual([]);
  });

  it('covers every Deployment with one PodDisruptionBudget that never blocks a drain', () => {
    expect(checkDisruptionBudgets(rendered())).toEqual([]);
  });

  it('gives every worker a startupProbe for model loading, and a liveness probe without a fixed delay', () => {
    expect(checkStartupProbes(rendered(), STAGES)).toEqual([]);
  });

  const shadows = OVERLAY_SHADOWS[overlay];
  if (shadows) {
    it(`has no Redis of its own: it works on ${shadows}'s, on queues of its own, admitted by ${shadows}'s NetworkPolicy`, () => {
      expect(checkShadowVariant(rendered(), lazyRender(shadows)())).toEqual([]);
    });
  } else {
    it('runs Redis with maxmemory-policy noeviction and appendonly yes', () => {
      expect(checkRedis(rendered())).toEqual([]);
    });
  }

  if (OVERLAY_SERVES_API[overlay]) {
    it('runs podpreview serve in the producer on containerPort PODPREVIEW_HTTP_PORT', () => {
      expect(checkProducer(rendered())).toEqual([]);
    });
  } else {
    it('runs no API of its own (production’s answers for it and delivers its callbacks)', () => {
      expect(
        rendered()
          .objects.filter((o) => o.metadata.name === 'producer')
          .map((o) => o.kind),
      ).toEqual([]);
    });
  }

  const takesOverFrom = OVERLAY_FALLBACK_OF[overlay];
  if (takesOverFrom) {
    it(`is ${takesOverFrom}'s fallback: says so, has no fallback of its own, writes ${takesOverFrom}'s bucket and results table`, () => {
      expect(checkFallbackVariant(rendered(), lazyRender(takesOverFrom)())).toEqual([]);
    });
  }

  it('gives Redis a password and every process of ours that password, from a Secret', () => {
    expect(checkRedisAuth(rendered())).toEqual([]);
  });

  it('names every configuration variable in the ConfigMap, and only those', () => {
    expect(checkConfigMapVariables(rendered())).toEqual([]);
  });

  it('sets selection weights to the evaluated values', () => {
    expect(checkSelectionWeights(rendered())).toEqual([]);
  });

  it('passes loadConfig with the ConfigMap and with each Deployment’s own environment', () => {
    expect(checkLoadConfig(rendered())).toEqual([]);
  });
});

describe('GCS bucket lifecycle (infra/k8s/overlays/gke/gcs-lifecycle.json)', () => {
  const lifecycle = JSON.parse(readFileSync(path.join(REPO_ROOT_DIR, 'infra/k8s/overlays/gke/gcs-lifecycle.json'), 'utf8')) as {
    rule: { action: { type: string }; condition: { age: number; matchesPrefix?: string[]; matchesSuffix?: string[] } }[];
  };
  const deletesWithinDays = (key: string) =>
    lifecycle.rule
      .filter(
        (r) =>
          r.action.type === 'Delete' &&
          (r.condition.matchesPrefix ?? ['']).some((p) => key.startsWith(p)) &&
          (r.condition.matchesSuffix ?? ['']).some((s) => key.endsWith(s)),
      )
      .map((r) => r.condition.age);

  it('deletes a run’s intermediates within 2 days (left by a run that died), clips and explanations later', () => {
    const keys = runBlobKeys('ep-1', 'run-1');
    for (const key of [keys.source, keys.pcm, keys.track('vad'), keys.transcript, keys.sentences]) {
      expect(Math.min(...deletesWithinDays(key)), key).toBeLessThanOrEqual(2);
    }
    for (const key of [keys.clip, keys.selection]) {
      expect(Math.min(...deletesWithinDays(key)), key).toBeGreaterThan(2);
    }
  });
});

describe('images (infra/docker)', () => {
  const dockerfiles = ['Dockerfile', 'Dockerfile.gpu'].map((f) => ({ f, text: readFileSync(path.join(REPO_ROOT_DIR, 'infra/docker', f), 'utf8') }));
  /** The instructions of the last stage (the runtime image), continuation lines joined. */
  const runtimeStage = (text: string) => {
    const lines = text.replace(/\\\n\s*/g, ' ').split('\n');
    const from = lines.map((l) => /^FROM\s/.test(l)).lastIndexOf(true);
    return lines.slice(from).filter((l) => l.trim() !== '' && !l.startsWith('#'));
  };

  it.each(dockerfiles)('$f: the runtime layer gets the bundles, production dependencies and data files only', ({ text }) => {
    const stage = runtimeStage(text);
    expect(
      stage.filter((l) => /^COPY\s+(?!--from=)/.test(l)),
      'nothing from the build context',
    ).toEqual([]);
    expect(
      stage.filter((l) => /npm (ci|install)|scripts\/build\.mjs|tsx/.test(l)),
      'no install or build in the runtime layer',
    ).toEqual([]);
    const fromBuild = stage.flatMap((l) => /^COPY --from=build \/app\/(\S+) /.exec(l)?.[1] ?? []);
    expect(
      fromBuild.filter((p) => !/\/(dist|bin)$/.test(p) && !p.endsWith('launch.mjs') && !p.startsWith('packages/models/')),
      'only bundles, bins and model data',
    ).toEqual([]);
    // Every file copied from the sources still exists (a moved file breaks the image, not a run).
    for (const p of fromBuild.filter((p) => !p.endsWith('/dist'))) expect(existsSync(path.join(REPO_ROOT_DIR, p)), p).toBe(true);
    // The model threads' script starts from the sources, not a bundle: what it imports is copied too.
    const threadScript = 'packages/models/src/session.thread.mjs';
    const imported = [...readFileSync(path.join(REPO_ROOT_DIR, threadScript), 'utf8').matchAll(/from '\.\/([^']+)'/g)].map(
      (m) => `packages/models/src/${m[1]}`,
    );
    expect(imported.length).toBeGreaterThan(0);
    expect(fromBuild).toEqual(expect.arrayContaining([threadScript, ...imported]));
    expect(stage.filter((l) => /^COPY --from=deps \/app\/ \.\/$/.test(l))).toHaveLength(1);
    expect(stage.some((l) => /^USER node$/.test(l))).toBe(true);
    // The stages that install are each named by FROM ${NODE_IMAGE} (a digest goes in one ARG).
    expect(text).toMatch(/^ARG NODE_IMAGE=node:24\.21\.0-bookworm-slim(@sha256:[0-9a-f]{64})?$/m);
  });

  it('production dependencies hold no build tool (tsx, esbuild, typescript, vitest, turbo)', () => {
    // What `npm ci --omit=dev` leaves out is what the lockfile marks dev or devOptional (an optional peer only a dev tool satisfies).
    const lock = JSON.parse(readFileSync(path.join(REPO_ROOT_DIR, 'package-lock.json'), 'utf8')) as {
      packages: Record<string, { dev?: boolean; devOptional?: boolean }>;
    };
    const installed = Object.entries(lock.packages).filter(([where, p]) => where.includes('node_modules/') && !p.dev && !p.devOptional);
    const tools = installed.map(([where]) => where).filter((where) => /node_modules\/(tsx|esbuild|@esbuild\/[^/]+|typescript|vitest|turbo)$/.test(where));
    expect(tools).toEqual([]);
    expect(installed.length).toBeGreaterThan(50);
  });

  it('declares every package the build scripts import (esbuild for scripts/build.mjs)', () => {
    const root = JSON.parse(readFileSync(path.join(REPO_ROOT_DIR, 'package.json'), 'utf8')) as Record<string, Record<string, string>>;
    const declared = new Set([...Object.keys(root.dependencies ?? {}), ...Object.keys(root.devDependencies ?? {})]);
    for (const script of ['build.mjs', 'launch.mjs', 'prereqs.mjs', 'test.mjs']) {
      const source = readFileSync(path.join(REPO_ROOT_DIR, 'scripts', script), 'utf8');
      const imported = [...source.matchAll(/(?:from|import\()\s*'([^'.][^']*)'/g)].map((m) =>
        m[1]!
          .split('/')
          .slice(0, m[1]!.startsWith('@') ? 2 : 1)
          .join('/'),
      );
      for (const name of imported.filter((n) => !n.startsWith('node:'))) expect(declared.has(name), `${script} imports ${name}`).toBe(true);
    }
    expect(declared.has('esbuild')).toBe(true);
  });
});
