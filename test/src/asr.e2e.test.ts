import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { enqueueEpisode, waitForRuns } from '@podpreview/runs';
import { type LocalPipeline, startLocalPipeline } from '@podpreview/pipeline/worker';
import { EnqueueRequest, getJsonBlob, runBlobKeys, runCommandSync, SelectionBlob } from '@podpreview/shared';
import { SAMPLES_DIR, startTestEnv, type TestEnv } from './harness.ts';

const installed = existsSync('/usr/bin/pocketsphinx_continuous') && existsSync('/usr/share/pocketsphinx/model/en-us/en-us.lm.bin');
const notInstalled = 'pocketsphinx or pocketsphinx-en-us is missing: npm test installs them (apt-get install -y pocketsphinx pocketsphinx-en-us)';

// Speech-to-text costs about half a core-second per audio second, so the talk is cut short: without
// its music intro and just over a preview's length (66 s) for the inline run, whose window is
// checked, and 30 s for the upgrade's mechanics.
const dir = mkdtempSync(path.join(tmpdir(), 'podpreview-asr-e2e-'));
const excerpt = (name: string, seconds: number) => {
  const out = path.join(dir, name);
  runCommandSync('ffmpeg', [
    '-nostdin',
    '-loglevel',
    'error',
    '-ss',
    '14',
    '-t',
    String(seconds),
    '-i',
    path.join(SAMPLES_DIR, 'tech-talk.mp3'),
    '-c',
    'copy',
    out,
  ]);
  return out;
};
const EPISODE = excerpt('talk.mp3', 66);
const SHORT = excerpt('short.mp3', 30);
afterAll(() => rmSync(dir, { recursive: true, force: true }));

let env: TestEnv;
let pipeline: LocalPipeline;

describe('PODPREVIEW_ASR=inline: an episode without a transcript is transcribed before the text models', () => {
  beforeAll(async () => {
    if (!installed) throw new Error(notInstalled);
    env = await startTestEnv({ PODPREVIEW_ASR: 'inline', PODPREVIEW_KEEP_INTERMEDIATE_BLOBS: 'true' });
    pipeline = await startLocalPipeline(env.config, env.log);
  });
  afterAll(async () => {
    await pipeline?.stop();
    await env?.cleanup();
  });

  it('runs pocketsphinx, scores its words with the text models and selects on the asr path', async () => {
    const receipt = await enqueueEpisode(pipeline.fleet.queues, env.config, EnqueueRequest.parse({ id: 'asr-sample', audioUri: EPISODE }));
    const [status] = await waitForRuns(pipeline.fleet.queues, [receipt.runId], { timeoutMs: 480_000 });
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
  }, 540_000);
});

describe('PODPREVIEW_ASR=upgrade: the audio-only preview first, then a transcribing run that supersedes it', () => {
  let upgradeEnv: TestEnv;
  let upgradePipeline: LocalPipeline;
  beforeAll(async () => {
    if (!installed) throw new Error(notInstalled);
    upgradeEnv = await startTestEnv({ PODPREVIEW_ASR: 'upgrade' });
    upgradePipeline = await startLocalPipeline(upgradeEnv.config, upgradeEnv.log);
  });
  afterAll(async () => {
    await upgradePipeline?.stop();
    await upgradeEnv?.cleanup();
  });

  it('ships the audio-only preview, then queues one upgrade run that transcribes and becomes the newest', async () => {
    const { queues, services } = upgradePipeline.fleet;
    const receipt = await enqueueEpisode(queues, upgradeEnv.config, EnqueueRequest.parse({ id: 'upgrade-sample', audioUri: SHORT }));
    const [first] = await waitForRuns(queues, [receipt.runId], { timeoutMs: 240_000 });
    expect(first!.state, first!.reason ?? '').toBe('succeeded');
    expect(await services.results.forRun(receipt.runId)).toMatchObject({ status: 'succeeded', path: 'audio-only' });
    // The upgrade run is queued as the first run ends.
    let upgrade: string | undefined;
    for (let i = 0; i < 100 && (upgrade === undefined || upgrade === receipt.runId); i++) {
      upgrade = await queues.runs.latestRunOf('upgrade-sample');
      if (upgrade === receipt.runId) await new Promise((r) => setTimeout(r, 100));
    }
    expect(upgrade).toBeDefined();
    expect(upgrade).not.toBe(receipt.runId);
    const [second] = await waitForRuns(queues, [upgrade!], { timeoutMs: 480_000 });
    expect(second!.state, second!.reason ?? '').toBe('succeeded');
    const row = await services.results.forRun(upgrade!);
    expect(row).toMatchObject({ status: 'succeeded', path: 'asr', episodeId: 'upgrade-sample' });
    expect(row!.models.map((m) => m.id)).toContain('pocketsphinx-en-us');
    expect((await queues.runs.read(upgrade!))?.request).toMatchObject({ transcribe: true });
    // A transcribing run is never upgraded again: the episode's newest run stays the upgrade.
    await new Promise((r) => setTimeout(r, 1500));
    expect(await queues.runs.latestRunOf('upgrade-sample')).toBe(upgrade);
  }, 780_000);
});
