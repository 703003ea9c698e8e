import { describe, expect, it } from 'vitest';
import type { RunStatus as PipelineRunStatus } from '@podpreview/runs';
import type { ResultRow } from '@podpreview/shared';
import { Run } from './api.schemas.ts';
import { type ClipLocator, rowView, runView, stageStatus } from './run-view.ts';

const noClip: ClipLocator = async () => null;
const clipAt: ClipLocator = async (e, r, key) =>
  key ? { url: `https://api.example/v1/episodes/${e}/runs/${r}/clip`, expiresAt: null, contentType: 'audio/mpeg' } : null;
const absent = { preprocess: 'absent', 'ensemble-a': 'absent', 'ensemble-b': 'absent', selection: 'absent', sink: 'absent' } as const;

describe('the product’s words for BullMQ’s states', () => {
  it.each([
    ['absent', 'pending'],
    ['unknown', 'pending'],
    ['waiting', 'queued'],
    ['prioritized', 'queued'],
    ['waiting-children', 'queued'],
    ['active', 'running'],
    ['delayed', 'retrying'],
    ['completed', 'done'],
    ['failed', 'failed'],
  ] as const)('stage %s is %s', (bull, ours) => {
    expect(stageStatus(bull)).toBe(ours);
  });
});

describe('runView', () => {
  it('shows a running run’s stages and nothing it does not have yet', async () => {
    const s: PipelineRunStatus = {
      runId: 'run-0001',
      state: 'running',
      stages: { ...absent, preprocess: 'completed', 'ensemble-a': 'active' },
      enqueuedAtMs: 1_000,
      variant: 'production',
    };
    const run = Run.parse(await runView('ep', s, undefined, noClip));
    expect(run).toMatchObject({
      status: 'running',
      stages: { preprocess: 'done', 'ensemble-a': 'running', sink: 'pending' },
      finishedAt: null,
      errorCode: null,
      clip: null,
    });
    expect(run.enqueuedAt).toBe('1970-01-01T00:00:01.000Z');
  });

  it('gives a failed run’s code, never its message', async () => {
    const s: PipelineRunStatus = {
      runId: 'run-0002',
      state: 'failed',
      stages: absent,
      failedStage: 'preprocess',
      reason: 'corrupt_audio: cannot decode /srv/secret/a.mp3',
      variant: 'production',
    };
    const run = await runView('ep', s, undefined, noClip);
    expect(run).toMatchObject({ status: 'failed', failedStage: 'preprocess', errorCode: 'corrupt_audio' });
    expect(JSON.stringify(run)).not.toContain('/srv/secret');
  });

  it('gives `internal` for a failure whose reason carries no code (retries ran out on an error of ours), never a piece of its message', async () => {
    for (const reason of [
      'rendering clip failed: /srv/secret/a.mp3: Invalid data',
      'fetching https://cdn.example/ep.mp3?X-Goog-Signature=abc: HTTP 503',
      'ENOENT: /srv/x',
    ]) {
      const s: PipelineRunStatus = { runId: 'run-0003', state: 'failed', stages: absent, failedStage: 'sink', reason, variant: 'production' };
      expect((await runView('ep', s, undefined, noClip)).errorCode, reason).toBe('internal');
    }
  });

  it('says cancelled, with the code `cancelled`, and where a cancel was asked of a live run', async () => {
    expect(await runView('ep', { runId: 'run-0003', state: 'cancelled', stages: absent, variant: 'production' }, undefined, noClip)).toMatchObject({
      status: 'cancelled',
      errorCode: 'cancelled',
      cancelRequested: true,
    });
    expect(
      await runView('ep', { runId: 'run-0004', state: 'running', stages: absent, cancelRequested: true, variant: 'production' }, undefined, noClip),
    ).toMatchObject({
      status: 'running',
      cancelRequested: true,
    });
  });

  it('answers from the result row once Redis has forgotten the run', async () => {
    const row = {
      runId: 'run-0005',
      episodeId: 'ep',
      status: 'succeeded',
      previewStartSec: 10,
      previewEndSec: 70,
      speechFraction: 0.9,
      clipKey: 'episodes/ep/run-0005/preview.mp3',
      failedStage: null,
      errorCode: null,
      enqueuedAtMs: 0,
      finishedAtMs: 5000,
      latencyMs: 5000,
    } as ResultRow;
    const fromRow = await runView('ep', { runId: 'run-0005', state: 'unknown', stages: absent, variant: 'production' }, row, clipAt);
    expect(fromRow).toEqual(await rowView(row, clipAt));
    expect(fromRow).toMatchObject({
      status: 'succeeded',
      stages: {},
      preview: { startSec: 10, endSec: 70, speechFraction: 0.9 },
      finishedAt: '1970-01-01T00:00:05.000Z',
    });
    expect(fromRow.clip!.url).toBe('https://api.example/v1/episodes/ep/runs/run-0005/clip');
  });
});
