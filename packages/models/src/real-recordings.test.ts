import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadRealClips, measureRealRecordings, type RealClip, REAL_AUDIO_ROOT, realRecordingsAvailable } from './evaluation/real-recordings.ts';
import { modelsForStage, readManifest, type ModelEntry } from '@podpreview/model-manifest';
import { ModelThreads } from './model-threads.ts';
import { createModelSession, type ModelSession } from './session.ts';

/** VAD and sed-mini on recordings no synthesizer made (see evaluation/real-recordings.ts). */
const available = realRecordingsAvailable();

let vad: { entry: ModelEntry; session: ModelSession };
let sed: { entry: ModelEntry; session: ModelSession; front?: ModelSession };
let threads: ModelThreads;
let clips: RealClip[] = [];

beforeAll(async () => {
  if (!available) throw new Error(`${REAL_AUDIO_ROOT} is missing: npm test fetches the real recordings (bash scripts/real-audio.sh)`);
  const models = modelsForStage(await readManifest(), 'ensemble-a');
  threads = new ModelThreads(2);
  const open = async (id: string) => {
    const entry = models.find((m) => m.id === id)!;
    const front = models.find((m) => m.id === entry.frontEnd);
    return {
      entry,
      session: await createModelSession(entry, 'cpu', { threads }),
      ...(front ? { front: await createModelSession(front, 'cpu', { threads }) } : {}),
    };
  };
  vad = await open('silero-vad');
  sed = await open('sed-mini');
  clips = loadRealClips();
}, 120_000);

describe('real recordings (Debian packages)', () => {
  it('VAD: speech in recorded dialog, none in recorded music and noise; sed-mini names each class', async () => {
    const { counts, figures, misses } = await measureRealRecordings(vad, sed, clips);
    console.log(
      `real recordings (${counts.speech} dialog lines, ${counts.music} music, ${counts.noise} noise), per-class accuracy: ${Object.entries(figures)
        .map(([k, v]) => `${k} ${(v * 100).toFixed(0)} %`)
        .join(', ')}`,
    );
    console.log(`  misses: ${misses.join('; ')}`);
    // Floors a little under what the shipped models measure (figures in training/audio/README.md):
    // VAD holds up on real audio; sed-mini, trained with recorded voices and music (dry and in
    // reverberant rooms) but never on these packages, hears nearly every dialog line as speech,
    // and still hears hums as music or speech.
    expect(figures.vadSpeech).toBeGreaterThanOrEqual(0.85);
    expect(figures.vadMusic).toBeGreaterThanOrEqual(0.9);
    expect(figures.vadNoise).toBeGreaterThanOrEqual(0.85);
    expect(figures.sedMusic).toBeGreaterThanOrEqual(0.8);
    expect(figures.sedSpeech).toBeGreaterThanOrEqual(0.9);
    expect(figures.sedNoise).toBeGreaterThanOrEqual(0.25);
  }, 300_000);

  afterAll(async () => {
    await threads?.close();
  });
});
