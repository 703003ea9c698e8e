import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { EnsembleAInput } from '@podpreview/shared';
import { LocalBlobStore } from '@podpreview/storage';
import { createEnsembleAStage } from './ensemble-a.stage.ts';

let dir: string;
let blobs: LocalBlobStore;
beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'podpreview-ensemble-a-'));
  blobs = new LocalBlobStore(dir);
});
afterAll(() => rm(dir, { recursive: true, force: true }));

const input = (durationSec: number): EnsembleAInput => ({
  v: 1,
  runId: 'run-00000001',
  episodeId: 'ep-1',
  enqueuedAtMs: 0,
  priority: false,
  force: false,
  timingsMs: {},
  sourceKey: 'episodes/ep-1/run-00000001/source',
  pcmKey: 'episodes/ep-1/run-00000001/audio.pcm',
  sampleRateHz: 16_000,
  durationSec,
  contentHash: 'a'.repeat(64),
});

describe('stage A', () => {
  it('refuses decoded audio shorter than preprocess recorded (stored unsynced, cut short by an OS crash), before loading a model', async () => {
    // 2 s of PCM where the payload says 3 s.
    await blobs.put(input(3).pcmKey, new Uint8Array(2 * 16_000 * 2));
    let leased = false;
    const stage = createEnsembleAStage({
      blobs,
      models: async () => {
        leased = true;
        throw new Error('not needed');
      },
    });
    await expect(stage(input(3))).rejects.toThrow(/holds 32000 samples, not 48000: damaged in storage/);
    expect(leased).toBe(false);
  });
});
