import { existsSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { enqueueEpisode, waitForRuns } from '@podpreview/pipeline/client';
import { type LocalPipeline, startLocalPipeline } from '@podpreview/pipeline/worker';
import { EnqueueRequest, getJsonBlob, runBlobKeys, SelectionBlob } from '@podpreview/shared';
import { SAMPLES_DIR, startTestEnv, type TestEnv } from './harness.ts';

const installed = existsSync('/usr/bin/pocketsphinx_continuous') && existsSync('/usr/share/pocketsphinx/model/en-us/en-us.lm.bin');
if (!installed)
  console.log('speech-to-text pipeline test skipped: pocketsphinx or pocketsphinx-en-us is missing (apt-get install -y pocketsphinx pocketsphinx-en-us)');

let env: TestEnv;
let pipeline: LocalPipeline;

describe.skipIf(!installed)('PODPREVIEW_ASR=inline: an episode without a transcript is transcribed before the text models', () => {
  beforeAll(async () => {
    env = await startTestEnv({ PODPREVIEW_ASR: 'inline', PODPREVIEW_KEEP_INTERMEDIATE_BLOBS: 'true' });
    pipeline = await startLocalPipeline(env.config, env.log);
  });
  afterAll(async () => {
    await pipeline?.stop();
    await env?.cleanup();
  });

  it('runs pocketsphinx, scores its words with the text models and selects on the asr path', async () => {
    const receipt = await enqueueEpisode(
      pipeline.fleet.queues,
      env.config,
      EnqueueRequest.parse({ id: 'asr-sample', audioUri: path.join(SAMPLES_DIR, 'tech-talk.mp3') }),
    );
    const [status] = await waitForRuns(pipeline.fleet.queues, [receipt.runId], { timeoutMs: 240_000 });
    expect(status!.state, status!.reason ?? '').toBe('succeeded');
    const row = await pipeline.fleet.services.results.forRun(receipt.runId);
    expect(row).toMatchObject({ status: 'succeeded', path: 'asr' });
    expect(row!.models.map((m) => m.id)).toEqual(expect.arrayContaining(['pocketsphinx-en-us', 'ad-detector', 'intro-outro', 'voice-embed']));
    expect(row!.modelStats!['pocketsphinx-en-us']!.items).toBeGreaterThan(20); // words recognised
    const keys = runBlobKeys('asr-sample', receipt.runId);
    const selection = await getJsonBlob(pipeline.fleet.services.blobs, keys.selection, SelectionBlob);
    expect(selection.path).toBe('asr');
    // The words' text-model evidence is on the timeline (topicality is non-zero where words are).
    expect(selection.timelinePerSec.centrality!.some((v) => v > 0)).toBe(true);
    expect(row!.previewEndSec! - row!.previewStartSec!).toBeGreaterThan(58.9);
  }, 300_000);
});
