import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { LocalBlobStore } from '@podpreview/storage';
import { afterEach, describe, expect, it } from 'vitest';
import { keepSelectionInputs, loadKeptRuns } from './kept-runs.ts';

const dirs: string[] = [];
afterEach(async () => {
  await Promise.all(dirs.splice(0).map((d) => rm(d, { recursive: true, force: true })));
});

function selectionInput(runId: string, withSentences: boolean) {
  const base = `episodes/eval-ep01/${runId}`;
  return {
    v: 1,
    runId,
    episodeId: 'eval-ep01',
    enqueuedAtMs: 1,
    priority: false,
    force: true,
    timingsMs: {},
    sourceKey: `${base}/source`,
    pcmKey: `${base}/pcm.s16`,
    sampleRateHz: 16000,
    durationSec: 12,
    contentHash: 'a'.repeat(64),
    tracks: { vad: { key: `${base}/tracks/vad.f32`, frameSec: 0.032, channels: ['speech'] } },
    models: [],
    modelStats: {},
    ...(withSentences ? { sentencesKey: `${base}/sentences.json` } : {}),
  };
}

describe('kept selection inputs', () => {
  it('copies what selection read (tracks, sentences, not the audio) and reads it back by episode', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'podpreview-kept-'));
    dirs.push(dir);
    const from = new LocalBlobStore(path.join(dir, 'run'));
    const a = selectionInput('run-aaaaaaaa', true);
    const b = selectionInput('run-bbbbbbbb', false);
    await from.put(a.tracks.vad.key, new Uint8Array([1, 2, 3, 4]));
    await from.put(a.sentencesKey!, new TextEncoder().encode('{"version":1,"sentences":[]}'));
    await from.put(a.pcmKey, new Uint8Array(8));
    await from.put(b.tracks.vad.key, new Uint8Array([5, 6, 7, 8]));
    const jobs: Record<string, unknown> = { [a.runId]: a, [b.runId]: b, 'run-cccccccc': { not: 'an input' } };
    const queue = { getJob: async (id: string) => (id in jobs ? { data: jobs[id] } : undefined) };

    const kept = await keepSelectionInputs(
      queue,
      from,
      [
        { episodeId: 'ep01', runId: a.runId },
        { episodeId: 'ep02', runId: b.runId },
        { episodeId: 'ep03', runId: 'run-cccccccc' },
        { episodeId: 'ep04', runId: 'run-dddddddd' },
      ],
      path.join(dir, 'kept'),
    );
    expect(kept).toBe(2);
    const back = await loadKeptRuns(path.join(dir, 'kept'));
    expect(Object.keys(back.inputs).sort()).toEqual(['ep01', 'ep02']);
    expect(back.inputs.ep01?.sentencesKey).toBe(a.sentencesKey);
    expect([...(await back.blobs.get(a.tracks.vad.key))]).toEqual([1, 2, 3, 4]);
    expect([...(await back.blobs.get(b.tracks.vad.key))]).toEqual([5, 6, 7, 8]);
    expect(await back.blobs.exists(a.pcmKey)).toBe(false);
  });

  it('says which command makes the kept run when there is none', async () => {
    await expect(loadKeptRuns(path.join(tmpdir(), 'podpreview-no-such-kept-run'))).rejects.toThrow(/run `npm run eval` with the same --seed first/);
  });
});
