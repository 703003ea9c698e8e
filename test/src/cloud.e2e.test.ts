import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { enqueueEpisode, waitForRuns } from '@podpreview/runs';
import { type LocalPipeline, startLocalPipeline } from '@podpreview/pipeline/worker';
import { EnqueueRequest } from '@podpreview/shared';
import { startBigQueryStandin, startGcsStandin, type BigQueryStandin, type GcsStandin } from '@podpreview/storage/testing';
import { SAMPLES_DIR, startTestEnv, type TestEnv } from './harness.ts';

/**
 * The production backends (GCS for blobs and inputs, BigQuery for results) through their real
 * client libraries, against local HTTP stand-ins of the few REST calls they make.
 */
let gcs: GcsStandin;
let bq: BigQueryStandin;
let env: TestEnv;
let pipeline: LocalPipeline;

beforeAll(async () => {
  gcs = await startGcsStandin();
  bq = await startBigQueryStandin();
  env = await startTestEnv({
    PODPREVIEW_STORAGE: 'gcs',
    PODPREVIEW_GCS_BUCKET: 'previews',
    PODPREVIEW_GCS_API_ENDPOINT: gcs.url,
    PODPREVIEW_SINK: 'bigquery',
    PODPREVIEW_GCP_PROJECT: 'test-project',
    PODPREVIEW_BQ_API_ENDPOINT: bq.url,
    PODPREVIEW_INPUT_BUCKETS: 'incoming',
  });
  pipeline = await startLocalPipeline(env.config, env.log);
});

afterAll(async () => {
  await pipeline?.stop();
  await env?.cleanup();
  await gcs?.close();
  await bq?.close();
});

describe('GCS storage and BigQuery results', () => {
  it('processes gs:// inputs, stores every artefact in the bucket and writes rows to BigQuery', async () => {
    gcs.putObject('incoming', 'shows/news-brief.mp3', await readFile(path.join(SAMPLES_DIR, 'news-brief.mp3')));
    gcs.putObject('incoming', 'shows/news-brief.vtt', await readFile(path.join(SAMPLES_DIR, 'news-brief.vtt')));
    const q = pipeline.fleet.queues;
    const ok = await enqueueEpisode(
      q,
      env.config,
      EnqueueRequest.parse({ id: 'gcs-news', audioUri: 'gs://incoming/shows/news-brief.mp3', transcriptUri: 'gs://incoming/shows/news-brief.vtt' }),
    );
    const missing = await enqueueEpisode(q, env.config, EnqueueRequest.parse({ id: 'gcs-missing', audioUri: 'gs://incoming/shows/nope.mp3' }));
    const [good, bad] = await waitForRuns(q, [ok.runId, missing.runId], { timeoutMs: 60_000 });
    expect(good!.state).toBe('succeeded');
    expect(good!.summary!.previewStartSec!).toBeGreaterThanOrEqual(12);
    expect(bad!.state).toBe('failed');
    expect(bad!.reason).toMatch(/^input_not_found/);

    const clip = gcs.getObject('previews', good!.summary!.clipKey!);
    expect(clip?.byteLength).toBeGreaterThan(10_000);
    // The explanation stays beside the clip; the decoded PCM and the tracks are deleted once the
    // run ends (just after its record says so: waited for, up to 10 s, on a busy machine).
    expect(gcs.getObject('previews', `episodes/gcs-news/${ok.runId}/selection.json`)).toBeDefined();
    const intermediates = [`episodes/gcs-news/${ok.runId}/pcm.s16`, `episodes/gcs-news/${ok.runId}/tracks/vad.f32`];
    for (const deadline = Date.now() + 10_000; Date.now() < deadline && intermediates.some((k) => gcs.getObject('previews', k)); ) {
      await new Promise((r) => setTimeout(r, 50));
    }
    expect(gcs.getObject('previews', intermediates[0]!)).toBeUndefined();
    expect(gcs.getObject('previews', intermediates[1]!)).toBeUndefined();

    const rows = bq.rows('test-project', 'podpreview', 'previews');
    expect(rows.map((r) => r.status).sort()).toEqual(['failed', 'succeeded']);
    const row = await pipeline.fleet.services.results.forRun(ok.runId);
    expect(row).toMatchObject({ status: 'succeeded', episodeId: 'gcs-news', path: 'transcript' });
    expect(gcs.unhandled).toEqual([]);
    expect(bq.unhandled).toEqual([]);
    expect([...gcs.authorized, ...bq.authorized]).toEqual([]);
  });
});
