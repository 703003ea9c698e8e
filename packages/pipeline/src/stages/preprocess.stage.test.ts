import { copyFile, mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Config, loadConfig, type PreprocessInput, type ResultRow, type ResultsSink, TranscriptError } from '@podpreview/shared';
import { decodeAudio } from '@podpreview/audio';
import { createResultsSink, fetchSource, LocalBlobStore } from '@podpreview/storage';
import { succeededRow } from '@podpreview/storage/testing';
import { type ModelLease, type PcmStream, UsageMeter } from '@podpreview/models';
import { createPreprocessStage } from './preprocess.stage.ts';
import { EarlyStageA } from './stage-a.early.ts';

// The preprocess stage function on real files, a real blob store and a real DuckDB table.

const SAMPLES = fileURLToPath(new URL('../../../../samples', import.meta.url));
let dir: string;
let config: Config;
let blobs: LocalBlobStore;
let results: ResultsSink;
let stage: ReturnType<typeof createPreprocessStage>;
const signal = new AbortController().signal;

beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'podpreview-preprocess-'));
  config = loadConfig({ PODPREVIEW_DATA_DIR: path.join(dir, 'data'), PODPREVIEW_INPUT_ROOTS: dir, PODPREVIEW_MAX_TRANSCRIPT_BYTES: '4096' }, dir);
  blobs = new LocalBlobStore(path.join(config.dataDir, 'blobs'));
  results = createResultsSink(config);
  stage = createPreprocessStage(deps());
  await copyFile(path.join(SAMPLES, 'short-note.ogg'), path.join(dir, 'ep.ogg'));
});

afterAll(async () => {
  await results.close();
  await rm(dir, { recursive: true, force: true });
});

const deps = () => ({
  blobs,
  results,
  fetchSource: (uri: string, o: Parameters<Parameters<typeof createPreprocessStage>[0]['fetchSource']>[1]) =>
    fetchSource(uri, { policy: config.inputs, tmpDir: path.join(dir, 'tmp'), ...o }),
  maxDurationSec: 3600,
  fetchAttempts: 2,
  maxTranscriptBytes: config.inputs.maxTranscriptBytes,
  maxTranscriptCues: 3,
  tempDir: path.join(dir, 'scratch'),
});

/** A successful run's row of episode `ep`, for the audio hashed `contentHash`, with its clip. */
const succeeded = (runId: string, contentHash: string): ResultRow =>
  succeededRow({ runId, episodeId: 'ep', contentHash, clipKey: `episodes/ep/${runId}/preview.mp3` });

const input = (runId: string, extra: Partial<PreprocessInput> = {}): PreprocessInput => ({
  v: 1,
  runId,
  episodeId: 'ep',
  enqueuedAtMs: Date.now(),
  priority: false,
  force: false,
  timingsMs: {},
  audioUri: path.join(dir, 'ep.ogg'),
  ...extra,
});

describe('preprocess', () => {
  it('stores the decoded PCM without holding it, the same bytes and hash as decoding into memory, and leaves no scratch file', async () => {
    const out = await stage(input('run-pcm-0001'), { signal });
    if (out.kind !== 'next') throw new Error(`expected next, got ${out.kind}`);
    const inMemory = await decodeAudio(path.join(dir, 'ep.ogg'));
    const stored = await blobs.get(out.payload.pcmKey);
    expect(stored.equals(Buffer.from(inMemory.samples.buffer, inMemory.samples.byteOffset, inMemory.samples.byteLength))).toBe(true);
    expect(out.payload.contentHash).toBe(inMemory.contentHash);
    expect(out.payload.durationSec).toBe(inMemory.durationSec);
    expect(await readdir(path.join(dir, 'scratch'))).toEqual([]);
  });

  it('feeds stage A begun early the audio it stores, and hands it on; a duplicate is dropped', async () => {
    const streams: PcmStream[] = [];
    const early = new EarlyStageA({
      start: async (stream) => {
        streams.push(stream);
        return { lease: { release: () => {} } as unknown as ModelLease, meter: new UsageMeter(), tracks: [] };
      },
      maxEpisodes: 2,
      keepMs: 60_000,
      maxSamples: 3600 * 16_000,
    });
    const withEarly = createPreprocessStage({ ...deps(), early });
    const out = await withEarly(input('run-early-0001', { episodeId: 'ep-early' }), { signal });
    if (out.kind !== 'next') throw new Error(`expected next, got ${out.kind}`);
    const stored = await blobs.get(out.payload.pcmKey);
    const taken = early.take(out.payload.pcmKey)!;
    expect(taken.stream).toBe(streams[0]);
    expect(taken.stream.ended).toBe(true);
    expect(Buffer.from(taken.stream.view().buffer, 0, stored.length).equals(stored)).toBe(true);
    // Its first run succeeded (a row with a clip): the next run of the same audio is a duplicate.
    await results.write({ ...succeeded('run-early-0001', out.payload.contentHash), episodeId: 'ep-early', clipKey: null });
    const dup = await withEarly(input('run-early-0002', { episodeId: 'ep-early' }), { signal });
    expect(dup.kind).toBe('done');
    expect(early.size).toBe(0);
    expect(early.take('episodes/ep-early/run-early-0002/audio.pcm')).toBeUndefined();
  });

  it('does not deduplicate against a run whose clip retention has deleted: the run goes on', async () => {
    const first = await stage(input('run-first-0001'), { signal });
    expect(first.kind).toBe('next');
    const hash = first.kind === 'next' ? first.payload.contentHash : '';
    const clipKey = 'episodes/ep/run-first-0001/preview.mp3';
    const row = succeeded('run-first-0001', hash);
    await results.write(row);
    await blobs.put(clipKey, Buffer.from('ID3 clip'));
    const dup = await stage(input('run-second-0002'), { signal });
    expect(dup).toMatchObject({ kind: 'done', result: { status: 'deduplicated', clipKey } });
    // Retention (the bucket's lifecycle rule, an operator) deletes the clip.
    await blobs.delete(clipKey);
    const again = await stage(input('run-third-00003'), { signal });
    expect(again.kind).toBe('next');
  });

  it('refuses a transcript over PODPREVIEW_MAX_TRANSCRIPT_BYTES, or with more cues than allowed, as bad_transcript', async () => {
    const cue = (i: number) => `00:00:0${i}.000 --> 00:00:0${i}.500\nline ${i}\n`;
    await writeFile(path.join(dir, 'big.vtt'), `WEBVTT\n\n${'NOTE padding\n\n'.repeat(400)}${cue(1)}`);
    await writeFile(path.join(dir, 'many.vtt'), `WEBVTT\n\n${[1, 2, 3, 4].map(cue).join('\n')}`);
    await writeFile(path.join(dir, 'few.vtt'), `WEBVTT\n\n${[1, 2, 3].map(cue).join('\n')}`);
    const big = await stage(input('run-big-000001', { force: true, transcriptUri: path.join(dir, 'big.vtt') }), { signal }).catch((e: unknown) => e);
    expect(big).toBeInstanceOf(TranscriptError);
    expect((big as Error).message).toMatch(/larger than 4096 bytes/);
    const many = await stage(input('run-many-00001', { force: true, transcriptUri: path.join(dir, 'many.vtt') }), { signal }).catch((e: unknown) => e);
    expect(many).toBeInstanceOf(TranscriptError);
    expect((many as Error).message).toMatch(/more than 3 cues/);
    const few = await stage(input('run-few-000001', { force: true, transcriptUri: path.join(dir, 'few.vtt') }), { signal });
    expect(few).toMatchObject({ kind: 'next', payload: { transcriptKey: expect.any(String) } });
  });
});
