import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decodeAudio } from '@podpreview/audio';
import { ModelRegistry, ModelThreads } from '@podpreview/models';
import type { EnsembleAInput } from '@podpreview/shared';
import { LocalBlobStore } from '@podpreview/storage';
import { getTrack } from '../tracks.ts';
import { createEnsembleAStage, frontEndsWhileDecoding } from './ensemble-a.stage.ts';
import { EarlyStageA } from './stage-a.early.ts';

let dir: string;
let blobs: LocalBlobStore;
beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'podpreview-ensemble-a-'));
  blobs = new LocalBlobStore(dir);
});
afterAll(() => rm(dir, { recursive: true, force: true }));

const input = (durationSec: number, runId = 'run-00000001'): EnsembleAInput => ({
  v: 1,
  runId,
  episodeId: 'ep-1',
  enqueuedAtMs: 0,
  priority: false,
  force: false,
  timingsMs: {},
  sourceKey: `episodes/ep-1/${runId}/source`,
  pcmKey: `episodes/ep-1/${runId}/audio.pcm`,
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

describe('stage A begun while the episode decodes (EarlyStageA)', () => {
  it('gives the tracks stage A gives from storage, reading the audio from memory, with every model counted', async () => {
    const threads = new ModelThreads(2);
    const registry = await ModelRegistry.open({ stage: 'ensemble-a', provider: 'cpu', threads });
    try {
      const audio = await decodeAudio(fileURLToPath(new URL('../../../../samples/tech-talk.mp3', import.meta.url)));
      const bytes = new Uint8Array(audio.samples.buffer, audio.samples.byteOffset, audio.samples.byteLength);
      const stored = input(audio.durationSec, 'run-stored-001');
      await blobs.put(stored.pcmKey, bytes);
      const plain = await createEnsembleAStage({ blobs, models: () => registry.lease() })(stored);

      const early = new EarlyStageA({
        start: frontEndsWhileDecoding(() => registry.lease()),
        maxEpisodes: 2,
        keepMs: 60_000,
        maxSamples: audio.samples.length,
      });
      // Nothing under this run's audio key: the job must take the audio from memory.
      const inMemory = input(audio.durationSec, 'run-early-0001');
      const stream = early.begin(inMemory.pcmKey, { urgent: false })!;
      // As preprocess hands it on: in 4 MB reads of the decoded file, a 30th of that here.
      for (let at = 0; at < bytes.length; at += 131_072) {
        stream.append(bytes.subarray(at, at + 131_072));
        await new Promise((r) => setImmediate(r));
      }
      stream.end();
      early.settle(inMemory.pcmKey, stream, true);
      const fromMemory = await createEnsembleAStage({ blobs, models: () => registry.lease(), early })(inMemory);
      if (plain.kind !== 'next' || fromMemory.kind !== 'next') throw new Error('stage A did not hand on');
      expect(Object.keys(fromMemory.payload.tracks).sort()).toEqual(Object.keys(plain.payload.tracks).sort());
      for (const name of Object.keys(plain.payload.tracks)) {
        const [a, b] = [await getTrack(blobs, plain.payload.tracks[name]!), await getTrack(blobs, fromMemory.payload.tracks[name]!)];
        expect(b.data.length, name).toBe(a.data.length);
        for (let i = 0; i < a.data.length; i++) expect(Math.abs(b.data[i]! - a.data[i]!), `${name} ${i}`).toBeLessThan(1e-5);
      }
      expect(fromMemory.payload.models).toEqual(plain.payload.models);
      // The front ends' calls, made before the job began, are the job's as much as Silero's.
      expect(Object.keys(fromMemory.payload.modelStats ?? {}).sort()).toEqual(Object.keys(plain.payload.modelStats ?? {}).sort());
      expect(await blobs.exists(inMemory.pcmKey)).toBe(false);
    } finally {
      await registry.dispose();
      await threads.close();
    }
  });
});
