import { describe, expect, it } from 'vitest';
import type { ResultRow } from '@podpreview/shared';
import { compareRows } from './compare.ts';

const row = (o: Partial<ResultRow>): ResultRow => ({
  runId: 'run-1',
  episodeId: 'ep',
  contentHash: 'h',
  status: 'succeeded',
  previewStartSec: 10,
  previewEndSec: 70,
  durationSec: 600,
  speechFraction: 0.9,
  score: 1,
  path: 'audio-only',
  clipKey: 'k',
  failedStage: null,
  errorClass: null,
  errorCode: null,
  errorMessage: null,
  stageTimingsMs: {},
  models: [
    { id: 'silero-vad', version: '5.1' },
    { id: 'sed-mini', version: '1' },
  ],
  modelStats: null,
  enqueuedAtMs: 0,
  finishedAtMs: 1,
  latencyMs: 1,
  build: null,
  variant: 'production',
  ...o,
});

describe('comparing two variants’ previews of an episode', () => {
  it('measures the shared seconds against the longer window and names model versions that differ', () => {
    const c = compareRows(
      'ep',
      row({}),
      row({
        runId: 'run-2',
        previewStartSec: 40,
        previewEndSec: 70,
        models: [
          { id: 'silero-vad', version: '5.1' },
          { id: 'sed-mini', version: '2' },
          { id: 'ad-detector', version: '1' },
        ],
      }),
    );
    expect(c.overlapSec).toBe(30);
    expect(c.overlapFraction).toBeCloseTo(0.5);
    expect(c.modelChanges).toEqual(['ad-detector – → 1', 'sed-mini 1 → 2']);
    expect(c.a?.runId).toBe('run-1');
    expect(c.b?.runId).toBe('run-2');
  });

  it('is 1 for the same window and 0 for disjoint ones', () => {
    expect(compareRows('ep', row({}), row({})).overlapFraction).toBe(1);
    expect(compareRows('ep', row({}), row({})).modelChanges).toEqual([]);
    const apart = compareRows('ep', row({}), row({ previewStartSec: 100, previewEndSec: 160 }));
    expect([apart.overlapSec, apart.overlapFraction]).toEqual([0, 0]);
  });

  it('has no overlap when a variant failed or has no row, and keeps what the other chose', () => {
    const failed = compareRows('ep', row({}), row({ status: 'failed', previewStartSec: null, previewEndSec: null, errorCode: 'no_speech' }));
    expect(failed.overlapSec).toBeNull();
    expect(failed.b).toMatchObject({ status: 'failed', errorCode: 'no_speech' });
    const missing = compareRows('ep', row({}), undefined);
    expect(missing).toMatchObject({ b: null, overlapSec: null, modelChanges: [] });
    expect(missing.a?.previewStartSec).toBe(10);
  });
});
