import { randomUUID } from 'node:crypto';
import type { ResultRow } from '@podpreview/shared';

/**
 * Result rows for tests: complete, realistic, every field set. Kept apart from the contract
 * suite (which imports vitest) so the child process of results.duckdb.test.ts can use them.
 */
export const T0 = 1_763_900_000_000; // a realistic epoch-ms value: beyond 32 bits, exact as a double

/** A complete succeeded row; tests override what they care about. */
export function succeededRow(overrides: Partial<ResultRow> = {}): ResultRow {
  return {
    runId: `run-${randomUUID()}`,
    episodeId: 'ep-1',
    contentHash: 'a'.repeat(64),
    status: 'succeeded',
    previewStartSec: 123.456,
    previewEndSec: 183.456,
    durationSec: 3599.987,
    speechFraction: 0.875,
    score: -1.25,
    path: 'transcript',
    clipKey: 'clips/ep-1/run.mp3',
    failedStage: null,
    errorClass: null,
    errorCode: null,
    errorMessage: null,
    stageTimingsMs: { preprocess: 1520, 'ensemble-a': 8042, 'ensemble-b': 311, selection: 12, sink: 905 },
    models: [
      { id: 'silero-vad', version: '5.1' },
      { id: 'sentence-split', version: '2024-06' },
    ],
    modelStats: { 'silero-vad@5.1': { calls: 188, items: 1504, inferenceMs: 412 } },
    enqueuedAtMs: T0,
    finishedAtMs: T0 + 10_790,
    latencyMs: 10_790,
    build: '0123456789abcdef',
    variant: 'production',
    owner: 'platform',
    ...overrides,
  };
}

export function failedRow(overrides: Partial<ResultRow> = {}): ResultRow {
  return succeededRow({
    status: 'failed',
    contentHash: null,
    previewStartSec: null,
    previewEndSec: null,
    durationSec: null,
    speechFraction: null,
    score: null,
    path: null,
    clipKey: null,
    failedStage: 'preprocess',
    errorClass: 'CorruptAudioError',
    errorCode: 'corrupt_audio',
    errorMessage: `cannot decode audio gs://in/ep "1".mp3: Invalid data found\nline 2 — ünïcode ✓`,
    stageTimingsMs: { preprocess: 40 },
    models: [],
    modelStats: null,
    ...overrides,
  });
}
