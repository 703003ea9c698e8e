import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { enqueueEpisode, waitForRuns } from '@podpreview/runs';
import { startLocalPipeline } from '@podpreview/pipeline/worker';
import { createLogger, EnqueueRequest, type Config } from '@podpreview/shared';
import { keepSelectionInputs } from './kept-runs.ts';
import type { EpisodeLabels } from './labels.ts';
import type { SystemRun } from './report.ts';

export interface PipelineRunOptions {
  /** Where selection's inputs are kept for eval:reselect; none are kept without it. */
  keptDir?: string;
  say: (line: string) => void;
}

/**
 * Runs the real pipeline (every stage in this process, a private redis-server, a temp data dir)
 * on a generated set's episodes and returns each run's preview, or why there is none. Pipeline
 * logs are silenced: every failed run carries its reason instead.
 */
export async function runPipeline(
  episodes: readonly EpisodeLabels[],
  setDir: string,
  base: Config,
  o: PipelineRunOptions,
): Promise<{ runs: SystemRun[]; seconds: number; previewSec: number }> {
  const t0 = performance.now();
  const work = await mkdtemp(path.join(tmpdir(), 'podpreview-eval-'));
  const dataDir = path.join(work, 'data');
  // The queues, blobs and results are always private to this run.
  const config: Config = {
    ...base,
    redisUrl: undefined,
    queuePrefix: 'podpreview-eval',
    dataDir,
    storage: { kind: 'local' },
    sink: { kind: 'local', dbPath: path.join(dataDir, 'results.duckdb') },
    logLevel: 'fatal',
    inputs: { ...base.inputs, roots: [setDir] },
    // Selection's inputs are kept for eval:reselect; the temp dir goes when the eval ends.
    keepIntermediateBlobs: o.keptDir !== undefined,
  };
  const pipeline = await startLocalPipeline(config, createLogger('fatal', { app: 'eval' }));
  try {
    const runIds: string[] = [];
    const kept: { episodeId: string; runId: string }[] = [];
    for (const e of episodes) {
      const req = EnqueueRequest.parse({
        id: `eval-${e.id}`,
        audioUri: path.join(setDir, e.file),
        ...(e.transcript ? { transcriptUri: path.join(setDir, e.transcript) } : {}),
        force: true,
      });
      const { runId } = await enqueueEpisode(pipeline.fleet.queues, config, req);
      runIds.push(runId);
      kept.push({ episodeId: e.id, runId });
    }
    let shown = 0;
    const step = Math.max(6, Math.round(runIds.length / 10));
    const statuses = await waitForRuns(pipeline.fleet.queues, runIds, {
      pollMs: 100,
      // Speech-to-text (PODPREVIEW_ASR=inline) and hundreds of episodes on a busy machine take long.
      timeoutMs: (60 + runIds.length) * 60_000,
      onProgress: (done) => {
        if (done >= shown + step || (done === runIds.length && done > shown)) {
          shown = done;
          o.say(`  pipeline: ${shown}/${runIds.length} runs finished`);
        }
      },
    });
    const seconds = (performance.now() - t0) / 1000;
    if (o.keptDir) {
      const n = await keepSelectionInputs(pipeline.fleet.queues.selection, pipeline.fleet.services.blobs, kept, o.keptDir);
      o.say(`  kept selection's inputs of ${n} runs in ${path.relative(process.cwd(), o.keptDir)} (npm run eval:reselect)`);
    }
    const runs: SystemRun[] = [];
    for (const s of statuses) {
      const row = await pipeline.fleet.services.results.forRun(s.runId);
      const startSec = row?.previewStartSec ?? null;
      const endSec = row?.previewEndSec ?? null;
      const ok = row?.status === 'succeeded' && startSec !== null && endSec !== null;
      runs.push({
        status: row?.status ?? s.state,
        window: ok ? { startSec, endSec } : null,
        path: row?.path ?? null,
        reason: ok ? null : (row?.errorMessage ?? s.reason ?? 'no result row'),
      });
    }
    return { runs, seconds, previewSec: config.previewSec };
  } finally {
    await pipeline.stop();
    await rm(work, { recursive: true, force: true });
  }
}
