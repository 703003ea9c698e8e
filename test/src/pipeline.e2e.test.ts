import { execFileSync } from 'node:child_process';
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decodeAudio } from '@podpreview/audio';
import { enqueueEpisode, waitForRuns } from '@podpreview/runs';
import { type LocalPipeline, startLocalPipeline } from '@podpreview/pipeline/worker';
import { buildInfo, EnqueueRequest, getJsonBlob, runBlobKeys, SelectionBlob } from '@podpreview/shared';
import { readLabels, SAMPLES_DIR, startTestEnv, type SampleLabel, type TestEnv } from './harness.ts';

let env: TestEnv;
let pipeline: LocalPipeline;
let labels: SampleLabel[];

beforeAll(async () => {
  env = await startTestEnv();
  labels = await readLabels();
  pipeline = await startLocalPipeline(env.config, env.log);
});

afterAll(async () => {
  await pipeline?.stop();
  await env?.cleanup();
});

const request = (id: string, file: string, transcript?: string | null, extra: Partial<EnqueueRequest> = {}) =>
  EnqueueRequest.parse({ id, audioUri: path.join(SAMPLES_DIR, file), ...(transcript ? { transcriptUri: path.join(SAMPLES_DIR, transcript) } : {}), ...extra });

async function runAll(reqs: EnqueueRequest[]) {
  const receipts = [];
  for (const r of reqs) receipts.push(await enqueueEpisode(pipeline.fleet.queues, env.config, r));
  return waitForRuns(
    pipeline.fleet.queues,
    receipts.map((r) => r.runId),
    { timeoutMs: 100_000 },
  );
}

describe('the whole chain on real Redis, ffmpeg and Silero VAD', () => {
  it('puts every sample preview in speech, after any music or silence lead-in, starting on a sentence', async () => {
    const statuses = await runAll(labels.map((l) => request(l.file.replace(/\.\w+$/, ''), l.file, l.transcript)));
    for (const [i, s] of statuses.entries()) {
      const label = labels[i]!;
      expect(s.state, `${label.file}: ${s.reason ?? ''}`).toBe('succeeded');
      const start = s.summary!.previewStartSec!;
      const end = s.summary!.previewEndSec!;
      const firstSpeech = label.segments.find((g) => g.kind === 'speech')!.startSec;
      expect(start, `${label.file} starts in the lead-in`).toBeGreaterThanOrEqual(firstSpeech - 0.5);
      // 60 ± 1 s: the end moves up to a second to land after a sentence or in a pause.
      expect(Math.abs(end - start - Math.min(60, label.durationSec)), `${label.file} length ${end - start}`).toBeLessThanOrEqual(1.001);
      expect(s.summary!.speechFraction!).toBeGreaterThan(0.8);
      // Starts on a sentence: within half a second of a ground-truth sentence start.
      const nearest = Math.min(...label.sentences.map((x) => Math.abs(x.startSec - start)));
      expect(nearest, `${label.file} preview start ${start}`).toBeLessThan(0.5);
      const row = await pipeline.fleet.services.results.forRun(s.runId);
      expect(row).toMatchObject({ status: 'succeeded', episodeId: label.file.replace(/\.\w+$/, ''), path: label.transcript ? 'transcript' : 'audio-only' });
      expect(Object.keys(row!.stageTimingsMs).sort()).toEqual(['ensemble-a', 'ensemble-b', 'preprocess', 'selection', 'sink']);
      // The build that produced it: code and every installed package, as `podpreview doctor` shows.
      expect(row!.build).toBe(buildInfo().fingerprint);
      expect(row!.models.map((m) => m.id)).toEqual(
        expect.arrayContaining(['silero-vad', 'sed-mini', ...(label.transcript ? ['ad-detector', 'intro-outro', 'sentence-context'] : [])]),
      );
      // Per-episode model totals, and the explanation of the choice beside the clip.
      expect(row!.modelStats!['silero-vad@6.2+batched']!.calls).toBeGreaterThan(0);
      // Every sentence is also read in context (the sentence-context model, after the classifiers).
      if (label.transcript) expect(row!.modelStats!['sentence-context@1.0']!.items).toBe(row!.modelStats!['ad-detector@1.0']!.items);
      const selection = await getJsonBlob(pipeline.fleet.services.blobs, runBlobKeys(row!.episodeId, row!.runId).selection, SelectionBlob);
      expect(selection.path).toBe(row!.path);
      expect(selection.choice.startSec).toBe(start);
      expect(Object.keys(selection.choice.contributions)).toEqual(expect.arrayContaining(['speech', 'music', 'ad', 'introOutro', 'silence', 'centrality']));
      expect(selection.timelinePerSec.speech!.length).toBe(Math.ceil(label.durationSec));
    }
    // The rendered clip is real audio of the chosen length.
    const first = statuses[0]!;
    const clipPath = path.join(env.dataDir, 'clip-check.mp3');
    await pipeline.fleet.services.blobs.getToFile(first.summary!.clipKey!, clipPath);
    const clip = await decodeAudio(clipPath);
    expect(clip.durationSec).toBeGreaterThan(59);
    expect(clip.durationSec).toBeLessThan(61.5);
  });

  it('fails a corrupt file with a recorded reason while a good episode in the same run succeeds', async () => {
    const corrupt = path.join(env.dataDir, 'corrupt.mp3');
    await writeFile(corrupt, Buffer.from('ID3 this is not an mp3 file at all '.repeat(300)));
    const [bad, missing, good] = await runAll([
      EnqueueRequest.parse({ id: 'corrupt-one', audioUri: corrupt }),
      EnqueueRequest.parse({ id: 'missing-one', audioUri: path.join(env.dataDir, 'nope.mp3') }),
      request('good-one', 'tech-talk.mp3'),
    ]);
    expect(bad!.state).toBe('failed');
    expect(bad!.failedStage).toBe('preprocess');
    expect(bad!.reason).toMatch(/^corrupt_audio: cannot decode audio/);
    expect(missing!.state).toBe('failed');
    expect(missing!.reason).toMatch(/^input_not_found/);
    expect(good!.state).toBe('succeeded');
    const row = await pipeline.fleet.services.results.forRun(bad!.runId);
    expect(row).toMatchObject({ status: 'failed', failedStage: 'preprocess', errorCode: 'corrupt_audio', errorClass: 'CorruptAudioError' });
    expect(row!.errorMessage).toContain('corrupt.mp3');
    // Failed at once: bad input is not retried.
    const job = await pipeline.fleet.queues.preprocess.getJob(bad!.runId);
    expect(job!.attemptsMade).toBe(1);
  });

  it('fails silence and a pure tone with no_speech instead of a preview of nothing, and keeps no intermediates', async () => {
    const silence = path.join(env.dataDir, 'silence.mp3');
    const tone = path.join(env.dataDir, 'tone.ogg');
    execFileSync('ffmpeg', ['-nostdin', '-loglevel', 'error', '-f', 'lavfi', '-i', 'anullsrc=r=44100:cl=mono', '-t', '90', silence]);
    execFileSync('ffmpeg', ['-nostdin', '-loglevel', 'error', '-f', 'lavfi', '-i', 'sine=frequency=440:sample_rate=44100', '-t', '90', tone]);
    const statuses = await runAll([EnqueueRequest.parse({ id: 'silent-one', audioUri: silence }), EnqueueRequest.parse({ id: 'tone-one', audioUri: tone })]);
    for (const s of statuses) {
      expect(s.state).toBe('failed');
      expect(s.failedStage).toBe('selection');
      expect(s.reason).toMatch(/^no_speech: /);
      const row = await pipeline.fleet.services.results.forRun(s.runId);
      expect(row).toMatchObject({ status: 'failed', errorCode: 'no_speech', clipKey: null });
      // Bad input, so no retries; and the decoded PCM and tracks are gone with the run.
      expect((await pipeline.fleet.queues.selection.getJob(s.runId))!.attemptsMade).toBe(1);
      const keys = runBlobKeys(row!.episodeId, s.runId);
      expect(await pipeline.fleet.services.blobs.exists(keys.pcm)).toBe(false);
      expect(await pipeline.fleet.services.blobs.exists(keys.track('vad'))).toBe(false);
    }
  });

  it('reports the same episode with the same audio as deduplicated, and reprocesses it with force', async () => {
    const [again] = await runAll([request('short-note', 'short-note.ogg', 'short-note.vtt')]);
    expect(again!.state).toBe('deduplicated');
    const row = await pipeline.fleet.services.results.forRun(again!.runId);
    expect(row!.status).toBe('deduplicated');
    expect(row!.previewStartSec).not.toBeNull();
    const [forced] = await runAll([request('short-note', 'short-note.ogg', 'short-note.vtt', { force: true })]);
    expect(forced!.state).toBe('succeeded');
  });
});
