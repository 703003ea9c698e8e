import { describe, expect, it } from 'vitest';
import { JobSummary, parseStageInput } from './contracts.ts';
import { errorCode, InvalidPayloadError, type PodpreviewError, StageOutputError } from './errors/index.ts';

const runFields = { v: 1, runId: 'run-00000001', episodeId: 'ep-1', enqueuedAtMs: 1, priority: false, force: false, timingsMs: {} };
const ensembleA = { ...runFields, sourceKey: 's', pcmKey: 'p', sampleRateHz: 16000, durationSec: 10, contentHash: 'a'.repeat(64) };

describe('payload contracts at the two ends of a hop', () => {
  it('parses a good payload on pick-up and rejects a bad producer payload as bad input (not retryable)', () => {
    expect(parseStageInput('ensemble-a', ensembleA).pcmKey).toBe('p');
    const preprocess = { ...ensembleA, audioUri: '/a.mp3' };
    expect(parseStageInput('preprocess', preprocess).audioUri).toBe('/a.mp3');
    const err = (() => {
      try {
        parseStageInput('preprocess', { ...preprocess, episodeId: '../etc' });
      } catch (e) {
        return e;
      }
    })();
    expect(err).toBeInstanceOf(InvalidPayloadError);
    expect((err as PodpreviewError).retryable).toBe(false);
    expect(errorCode(err)).toBe('invalid_payload');
    expect((err as Error).message).toMatch(/episodeId/);
  });

  it('blames our own stage, retryably, when a later stage picks up a payload that breaks its contract', () => {
    try {
      parseStageInput('ensemble-a', { ...ensembleA, durationSec: -1 });
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(StageOutputError);
      expect(errorCode(e)).toBe('stage_output_invalid');
      expect((e as PodpreviewError).retryable).toBe(true);
      expect((e as Error).message).toMatch(/preprocess produced an invalid ensemble-a payload: durationSec/);
    }
  });

  it('takes stage timings by stage name only, and the run owner as a name or null', () => {
    const timed = { ...ensembleA, timingsMs: { preprocess: 12 }, owner: 'alice' };
    expect(parseStageInput('ensemble-a', timed)).toMatchObject({ timingsMs: { preprocess: 12 }, owner: 'alice' });
    expect(parseStageInput('ensemble-a', { ...timed, owner: null }).owner).toBeNull();
    expect(() => parseStageInput('ensemble-a', { ...timed, timingsMs: { preprocess: 12, mystery: 1 } })).toThrow(/timingsMs/);
    expect(() => parseStageInput('ensemble-a', { ...timed, timingsMs: { preprocess: -1 } })).toThrow(/timingsMs\.preprocess/);
    expect(() => parseStageInput('ensemble-a', { ...timed, owner: 7 })).toThrow(/owner/);
  });

  it('blames the producer, without retries, when the first stage picks up a bad payload', () => {
    expect(() => parseStageInput('preprocess', { ...ensembleA })).toThrow(InvalidPayloadError);
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

describe('bytesToFloat32', () => {
  it('views aligned bytes without a copy, and copies unaligned ones', async () => {
    const { bytesToFloat32, float32ToBytes } = await import('./blobs/float32.ts');
    const samples = Float32Array.from([0.5, -0.25, 1]);
    const aligned = bytesToFloat32(float32ToBytes(samples));
    expect(aligned.buffer).toBe(samples.buffer);
    expect(Array.from(aligned)).toEqual([0.5, -0.25, 1]);
    const odd = new Uint8Array(13);
    odd.set(float32ToBytes(samples), 1);
    const copied = bytesToFloat32(odd.subarray(1));
    expect(copied.buffer).not.toBe(odd.buffer);
    expect(Array.from(copied)).toEqual([0.5, -0.25, 1]);
  });
});
