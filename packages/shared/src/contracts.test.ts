import { describe, expect, it } from 'vitest';
import { checkStageOutput, JobSummary, parseStageInput } from './contracts.ts';
import { errorCode, InvalidPayloadError, type PodpreviewError, StageOutputError } from './errors/index.ts';

const runFields = { v: 1, runId: 'run-00000001', episodeId: 'ep-1', enqueuedAtMs: 1, priority: false, force: false, timingsMs: {} };
const ensembleA = { ...runFields, sourceKey: 's', pcmKey: 'p', sampleRateHz: 16000, durationSec: 10, contentHash: 'a'.repeat(64) };

describe('payload contracts at the two ends of a hop', () => {
  it('parses a good payload on pick-up and rejects a bad one as bad input (not retryable)', () => {
    expect(parseStageInput('ensemble-a', ensembleA).pcmKey).toBe('p');
    const err = (() => {
      try {
        parseStageInput('ensemble-a', { ...ensembleA, contentHash: 'nope' });
      } catch (e) {
        return e;
      }
    })();
    expect(err).toBeInstanceOf(InvalidPayloadError);
    expect((err as PodpreviewError).retryable).toBe(false);
    expect(errorCode(err)).toBe('invalid_payload');
    expect((err as Error).message).toMatch(/contentHash/);
  });

  it('blames our own stage, retryably, when its output breaks the next contract', () => {
    expect(() => checkStageOutput('preprocess', 'ensemble-a', { ...ensembleA, durationSec: -1 })).toThrow(StageOutputError);
    try {
      checkStageOutput('preprocess', 'ensemble-a', { ...ensembleA, durationSec: -1 });
    } catch (e) {
      expect(errorCode(e)).toBe('stage_output_invalid');
      expect((e as PodpreviewError).retryable).toBe(true);
      expect((e as Error).message).toMatch(/preprocess produced an invalid ensemble-a payload: durationSec/);
    }
  });

  it('refuses to queue a payload that carries data instead of keys', () => {
    expect(() => checkStageOutput('preprocess', 'ensemble-a', { ...ensembleA, pcmKey: 'x'.repeat(20_000) })).toThrow(/jobs carry keys, not data/);
  });

  it('reads job summaries by parsing them', () => {
    expect(JobSummary.safeParse({ status: 'forwarded', next: 'sink' }).success).toBe(true);
    expect(JobSummary.safeParse({ status: 'forwarded', next: 'nowhere' }).success).toBe(false);
    expect(JobSummary.safeParse({ status: 'succeeded', previewStartSec: 1 }).success).toBe(false);
  });

  it('gives unknown errors the code internal, whatever fields they carry', () => {
    expect(errorCode(Object.assign(new Error('x'), { code: 'ENOENT' }))).toBe('internal');
    expect(errorCode('a string')).toBe('internal');
  });
});
