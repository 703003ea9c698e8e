import type { StageHandlers, TerminalFields } from '../runtime/outcome.ts';

/** The content hash the trivial stages report. */
export const TRIVIAL_CONTENT_HASH = 'a'.repeat(64);

/** A succeeded run's end as a sink reports it, for stage bodies that do no work. */
export function succeededResult(overrides: Partial<TerminalFields> = {}): TerminalFields {
  return {
    status: 'succeeded',
    contentHash: TRIVIAL_CONTENT_HASH,
    previewStartSec: 0,
    previewEndSec: 60,
    durationSec: 60,
    speechFraction: 1,
    score: 1,
    path: 'audio-only',
    clipKey: null,
    models: [],
    modelStats: null,
    ...overrides,
  };
}

/**
 * Stage functions that do nothing but hand on a payload of the next hop's shape: what a test of
 * the runtime or the chain bench puts behind the real queues when the chain itself is measured.
 * `onSink` runs as each run's sink ends it.
 */
export function trivialStageHandlers(onSink?: () => void): StageHandlers {
  return {
    preprocess: async (i) => ({
      kind: 'next',
      payload: { ...i, sourceKey: 's', pcmKey: 'p', sampleRateHz: 16_000, durationSec: 60, contentHash: TRIVIAL_CONTENT_HASH },
    }),
    'ensemble-a': async (i) => ({
      kind: 'next',
      payload: { ...i, tracks: { vad: { key: 'v', frameSec: 0.032, channels: ['speech'] } }, models: [], modelStats: {} },
    }),
    'ensemble-b': async (i) => ({ kind: 'next', payload: i }),
    selection: async (i) => ({
      kind: 'next',
      payload: { ...i, selectionKey: 'x', path: 'audio-only', previewStartSec: 0, previewEndSec: 60, speechFraction: 1, score: 1 },
    }),
    sink: async () => {
      onSink?.();
      return { kind: 'done', result: succeededResult() };
    },
  };
}
