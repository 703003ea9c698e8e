import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ModelEntry, modelsForStage, readManifest } from '@podpreview/model-manifest';
import { ModelThreads } from './model-threads.ts';
import { toSharedPcm } from './pcm.ts';
import { createModelSession, type ModelSession } from './session.ts';
import { SOUND_EVENTS_WINDOW_SAMPLES as W } from './sound-events.ts';
import { PcmStream } from './pcm-stream.ts';
import { runSpectral, runSpectralStreamed, type SpectralHead } from './spectral.ts';
import { windowSpectra } from './testing/fixtures.ts';
import { UsageMeter } from './usage.ts';

// 37.3 s: stretches of rows on two lanes, blocks of 4 rows inside each (the row carried from one
// block to the next), and a last window that runs past the end of the audio.
const SECONDS = 37.3;
const pcm = Int16Array.from({ length: Math.round(SECONDS * 16_000) }, (_, i) => {
  const t = i / 16_000;
  const tone = Math.sin(2 * Math.PI * (200 + 40 * t) * t) * (Math.floor(t) % 3 === 0 ? 0.4 : 0.05);
  const noise = Math.sin(i * i * 0.001) * (Math.floor(t * 2) % 5 === 0 ? 0.2 : 0.01);
  return Math.round(12_000 * (tone + noise));
});

let entries: ModelEntry[];
let threads: ModelThreads;
const local: Record<string, ModelSession> = {};
const threaded: Record<string, ModelSession> = {};

beforeAll(async () => {
  entries = modelsForStage(await readManifest(), 'ensemble-a');
  threads = new ModelThreads(2);
  for (const id of ['audio-spectra', 'sed-mini', 'voice-embed']) {
    const entry = entries.find((e) => e.id === id)!;
    // The front end in blocks of 4 rows: several blocks per stretch.
    const e = id === 'audio-spectra' ? { ...entry, batching: { ...entry.batching, maxBatch: 4 } } : entry;
    local[id] = await createModelSession(e, 'cpu');
    threaded[id] = await createModelSession(e, 'cpu', { threads });
  }
});
afterAll(async () => {
  for (const s of [...Object.values(local), ...Object.values(threaded)]) await s.dispose();
  await threads?.close();
});

const heads = (s: Record<string, ModelSession>): SpectralHead[] => [
  { session: s['sed-mini']!, hopSec: 0.5, output: { name: 'probs', width: 3 } },
  { session: s['voice-embed']!, hopSec: 1, output: { name: 'embedding', width: 32 } },
];

/** A head's output for window i, computed alone: its second of audio (zero past the end) through the front end and the head. */
async function alone(head: SpectralHead, i: number): Promise<Float32Array> {
  const from = Math.round(i * head.hopSec * 16_000);
  const x = new Float32Array(W);
  for (let k = 0; k < W && from + k < pcm.length; k++) x[k] = pcm[from + k]! / 32_768;
  const out = await head.session.run({ spectra: await windowSpectra(local['audio-spectra']!, x, 1) });
  return out[head.output.name]!.data as Float32Array;
}

describe('the shared front end (runSpectral)', () => {
  it('gives every window of every head what the front end and the head give it alone, on model threads and on the calling thread', async () => {
    const meter = new UsageMeter();
    const wrapped = Object.fromEntries(Object.entries(threaded).map(([id, s]) => [id, meter.wrap(s)]));
    const onThreads = await runSpectral(wrapped['audio-spectra']!, heads(wrapped), toSharedPcm(pcm));
    const here = await runSpectral(local['audio-spectra']!, heads(local), pcm);
    const expectedWindows = [Math.ceil((pcm.length - W) / 8000) + 1, Math.ceil((pcm.length - W) / 16_000) + 1];
    expect(onThreads.map((r) => r.values.length)).toEqual([expectedWindows[0]! * 3, expectedWindows[1]! * 32]);
    expect(onThreads.map((r) => r.frameSec)).toEqual([0.5, 1]);
    for (const [h, head] of heads(local).entries()) {
      const width = head.output.width;
      for (let i = 0; i < expectedWindows[h]!; i++) {
        const want = await alone(head, i);
        for (let k = 0; k < width; k++) {
          expect(Math.abs(onThreads[h]!.values[i * width + k]! - want[k]!), `${head.session.entry.id} window ${i}`).toBeLessThan(1e-4);
          expect(Math.abs(here[h]!.values[i * width + k]! - want[k]!)).toBeLessThan(1e-4);
        }
      }
      expect(onThreads[h]!.batchSizes.every((b) => b <= head.session.entry.batching.maxBatch)).toBe(true);
      expect(onThreads[h]!.batchSizes.reduce((a, b) => a + b, 0)).toBe(expectedWindows[h]);
    }
    // Loud and quiet stretches differ: the windows are not all one answer.
    expect(new Set(onThreads[0]!.values).size).toBeGreaterThan(20);
    // The heads ran on the model threads, past their sessions' wrappers: still counted as theirs.
    const usage = meter.snapshot();
    expect(usage[`sed-mini@${threaded['sed-mini']!.entry.version}`]?.items).toBe(expectedWindows[0]);
    expect(usage[`voice-embed@${threaded['voice-embed']!.entry.version}`]?.items).toBe(expectedWindows[1]);
    // The front end computed each row (one second) once, plus the row after each stretch: 38
    // rows (the last voice window starts in row 37) in 4 stretches of at most 12 rows.
    expect(usage[`audio-spectra@${threaded['audio-spectra']!.entry.version}`]?.items).toBe(38 + 4);
  });

  it('gives the same tracks (to float rounding) over audio that arrives while it runs as over the finished audio', async () => {
    const whole = await runSpectral(threaded['audio-spectra']!, heads(threaded), toSharedPcm(pcm));
    const bytes = new Uint8Array(pcm.buffer, pcm.byteOffset, pcm.byteLength);
    for (const session of [threaded, local]) {
      const stream = new PcmStream(pcm.length);
      // Odd-sized chunks (a sample split between two), a few milliseconds apart: tasks run
      // while the audio still arrives, and the rest once it has.
      const feeding = (async () => {
        for (let at = 0; at < bytes.length; at += 40_001) {
          stream.append(bytes.subarray(at, Math.min(bytes.length, at + 40_001)));
          await new Promise((r) => setTimeout(r, 2));
        }
        stream.end();
      })();
      // Which of the front end's tasks started before the audio had all arrived.
      const early: boolean[] = [];
      const front = session['audio-spectra']!;
      const watched: ModelSession = front.kernel
        ? {
            ...front,
            kernel: (...a: Parameters<NonNullable<ModelSession['kernel']>>) => {
              early.push(!stream.ended);
              return front.kernel!(...a);
            },
          }
        : front;
      const streamed = await runSpectralStreamed(watched, heads(session), stream);
      await feeding;
      if (front.kernel) expect(early.filter(Boolean).length).toBeGreaterThan(0);
      expect(streamed.map((r) => r.frameSec)).toEqual(whole.map((r) => r.frameSec));
      for (const [h, r] of streamed.entries()) {
        expect(r.values.length).toBe(whole[h]!.values.length);
        // Alike to float rounding: a window batched with others or alone may take another of
        // ONNX Runtime's matrix kernels (as with runSpectral on fewer or more lanes).
        for (let i = 0; i < r.values.length; i++) expect(Math.abs(r.values[i]! - whole[h]!.values[i]!)).toBeLessThan(1e-5);
      }
    }
  });

  it('stops a streamed pass when the decoding fails or the caller aborts', async () => {
    const failing = new PcmStream(pcm.length);
    const run = runSpectralStreamed(threaded['audio-spectra']!, heads(threaded), failing);
    failing.append(new Uint8Array(pcm.buffer, 0, 200_000));
    failing.fail(new Error('ffmpeg exited with code 1'));
    await expect(run).rejects.toThrow(/ffmpeg exited/);
    const waiting = new PcmStream(pcm.length);
    const controller = new AbortController();
    const aborted = runSpectralStreamed(threaded['audio-spectra']!, heads(threaded), waiting, { signal: controller.signal });
    controller.abort(new Error('not handed on'));
    waiting.append(new Uint8Array(pcm.buffer, 0, pcm.byteLength));
    await expect(aborted).rejects.toThrow(/not handed on/);
    // Dropped once the audio has all arrived (a duplicate found after the decode): the tasks
    // left are not run.
    const decoded = new PcmStream(pcm.length);
    decoded.append(new Uint8Array(pcm.buffer, 0, pcm.byteLength));
    decoded.end();
    const dropping = new AbortController();
    const front = threaded['audio-spectra']!;
    let calls = 0;
    const counted: ModelSession = {
      ...front,
      kernel: (...a: Parameters<NonNullable<ModelSession['kernel']>>) => {
        calls++;
        dropping.abort(new Error('a duplicate'));
        return front.kernel!(...a);
      },
    };
    await expect(runSpectralStreamed(counted, heads(threaded), decoded, { lanes: 1, signal: dropping.signal })).rejects.toThrow(/a duplicate/);
    expect(calls).toBe(1);
  });

  it('refuses a head whose hop is not a whole number of frames', async () => {
    await expect(runSpectral(local['audio-spectra']!, [{ ...heads(local)[0]!, hopSec: 0.51 }], pcm)).rejects.toThrow(/whole number of audio-spectra's frames/);
  });
});
