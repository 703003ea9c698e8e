import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
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
