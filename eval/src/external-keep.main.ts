/**
 * `npm run eval:external-keep`: runs the real pipeline (every stage in this process, a private
 * redis-server, a temp data dir) on the external validation set, prints score.py's table for
 * those previews, and keeps what selection read for each episode (audio tracks, scored
 * sentences) in `.data/eval-kept-external`, so `npm run eval:reselect -- --external` re-runs
 * only the choice of window on them in seconds. Same models and settings as the CLI that
 * `../shared/eval-external/run.sh` drives; a change to a model needs this run again.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { enqueueEpisode, waitForRuns } from '@podpreview/runs';
import { startLocalPipeline } from '@podpreview/pipeline/worker';
import { type Config, createLogger, EnqueueRequest, loadConfig } from '@podpreview/shared';
import { EXTERNAL_KEPT_DIR, EXTERNAL_SET_DIR, type ExternalPredictions, listExternalEpisodes, scoreExternal } from './external.ts';
import { keepSelectionInputs } from './kept-runs.ts';

const say = (line: string) => process.stdout.write(`${line}\n`);
const episodes = listExternalEpisodes();
const base = loadConfig();
const work = await mkdtemp(path.join(tmpdir(), 'podpreview-external-'));
const dataDir = path.join(work, 'data');
const config: Config = {
  ...base,
  redisUrl: undefined,
  queuePrefix: 'podpreview-external',
  dataDir,
  storage: { kind: 'local' },
  sink: { kind: 'local', dbPath: path.join(dataDir, 'results.duckdb') },
  logLevel: 'fatal',
  inputs: { ...base.inputs, roots: [path.join(EXTERNAL_SET_DIR, 'episodes')] },
  keepIntermediateBlobs: true,
};
const pipeline = await startLocalPipeline(config, createLogger('fatal', { app: 'eval-external' }));
try {
  const runIds: string[] = [];
  for (const e of episodes) {
    const req = EnqueueRequest.parse({ id: e.id, audioUri: e.audioPath, ...(e.transcriptPath ? { transcriptUri: e.transcriptPath } : {}), force: true });
    runIds.push((await enqueueEpisode(pipeline.fleet.queues, config, req)).runId);
  }
  let shown = 0;
  const statuses = await waitForRuns(pipeline.fleet.queues, runIds, {
    pollMs: 200,
    timeoutMs: 60 * 60_000,
    onProgress: (done) => {
      if (done === shown) return;
      shown = done;
      say(`  pipeline: ${done}/${runIds.length} runs finished`);
    },
  });
  const kept = await keepSelectionInputs(
    pipeline.fleet.queues.selection,
    pipeline.fleet.services.blobs,
    episodes.map((e, i) => ({ episodeId: e.id, runId: runIds[i]! })),
    EXTERNAL_KEPT_DIR,
  );
  say(`kept selection's inputs of ${kept} runs in ${path.relative(process.cwd(), EXTERNAL_KEPT_DIR)} (npm run eval:reselect -- --external)`);
  const predictions: ExternalPredictions = {};
  for (const [i, s] of statuses.entries()) {
    const row = await pipeline.fleet.services.results.forRun(s.runId);
    if (row?.status === 'succeeded' && row.previewStartSec !== null && row.previewEndSec !== null) {
      predictions[episodes[i]!.id] = { start: row.previewStartSec, end: row.previewEndSec };
    } else say(`  ${episodes[i]!.id}: ${row?.status ?? s.state} (${row?.errorMessage ?? s.reason ?? 'no result row'})`);
  }
  process.stdout.write(scoreExternal(predictions, EXTERNAL_KEPT_DIR));
} finally {
  await pipeline.stop();
  await rm(work, { recursive: true, force: true });
}
