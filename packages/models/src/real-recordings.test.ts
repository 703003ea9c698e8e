import { existsSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { runCommandSync } from '@podpreview/shared';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { modelsForStage, readManifest, type ModelEntry } from './manifest.ts';
import { ModelThreads } from './model-threads.ts';
import { createModelSession, type ModelSession } from './session.ts';
import { runSoundEvents, SOUND_EVENT_CLASSES } from './sound-events.ts';
import { runSileroVad } from './vad.silero.ts';

/**
 * VAD and sed-mini on recordings no synthesizer made, from Debian packages (scripts/real-audio.sh
 * unpacks them under .data/real-audio; .ci/run fetches them): Dutch dialog lines recorded by voice
 * actors (fillets-ng-data-nl), recorded musical loops, guitar, piano and choir (sonic-pi-samples),
 * and hum, buzz, hiss and machine noise (sonic-pi-samples, alsa-utils).
 */
const ROOT = fileURLToPath(new URL('../../../.data/real-audio/x/usr/share/', import.meta.url));
const SPEECH_DIR = path.join(ROOT, 'games/fillets-ng/sound');
const SONIC = path.join(ROOT, 'sonic-pi/samples');
const MUSIC = [
  'loop_amen_full',
  'loop_breakbeat',
  'loop_compus',
  'loop_electric',
  'loop_garzul',
  'loop_mika',
  'loop_safari',
  'loop_tabla',
  'loop_mehackit1',
  'loop_mehackit2',
  'guit_em9',
  'guit_e_fifths',
  'guit_harmonics',
  'ambi_piano',
  'ambi_choir',
];
const NOISE = ['vinyl_hiss', 'ambi_soft_buzz', 'ambi_haunted_hum', 'ambi_glass_hum', 'loop_3d_printer', 'ambi_sauna', 'ambi_drone'];
const SPEECH_CLIPS = 60;
const available = existsSync(SPEECH_DIR) && existsSync(SONIC);
if (!available) console.log(`real-recordings tests skipped: ${ROOT} is missing (run bash scripts/real-audio.sh; it needs Debian's archive)`);

/** 16 kHz mono 16-bit PCM; loops and textures repeated to `seconds`. */
function decode(file: string, seconds?: number): Int16Array {
  const loop = seconds ? ['-stream_loop', '-1'] : [];
  const limit = seconds ? ['-t', String(seconds)] : [];
  const b = runCommandSync('ffmpeg', ['-nostdin', '-loglevel', 'error', ...loop, '-i', file, ...limit, '-ac', '1', '-ar', '16000', '-f', 's16le', 'pipe:1']);
  return new Int16Array(b.buffer, b.byteOffset, Math.floor(b.byteLength / 2));
}

interface Clip {
  name: string;
  truth: (typeof SOUND_EVENT_CLASSES)[number];
  pcm: Int16Array;
}

let vad: { entry: ModelEntry; session: ModelSession };
let sed: { entry: ModelEntry; session: ModelSession };
let threads: ModelThreads;
const clips: Clip[] = [];

beforeAll(async () => {
  if (!available) return;
  const models = modelsForStage(await readManifest(), 'ensemble-a');
  threads = new ModelThreads(2);
  const open = async (id: string) => {
    const entry = models.find((m) => m.id === id)!;
    return { entry, session: await createModelSession(entry, 'cpu', { threads }) };
  };
  vad = await open('silero-vad');
  sed = await open('sed-mini');
  // Every k-th dialog line over all the game's levels: many scenes, both fish, all lengths.
  const lines = readdirSync(SPEECH_DIR)
    .flatMap((level) => {
      const nl = path.join(SPEECH_DIR, level, 'nl');
      return existsSync(nl) ? readdirSync(nl).map((f) => path.join(nl, f)) : [];
    })
    .filter((f) => f.endsWith('.ogg'))
    .sort();
  const step = Math.max(1, Math.floor(lines.length / SPEECH_CLIPS));
  for (let i = 0; i < lines.length && clips.length < SPEECH_CLIPS; i += step)
    clips.push({ name: path.basename(lines[i]!), truth: 'speech', pcm: decode(lines[i]!) });
  for (const m of MUSIC) clips.push({ name: m, truth: 'music', pcm: decode(path.join(SONIC, `${m}.flac`), 10) });
  for (const n of NOISE) clips.push({ name: n, truth: 'noise', pcm: decode(path.join(SONIC, `${n}.flac`), 10) });
  clips.push({ name: 'alsa Noise.wav', truth: 'noise', pcm: decode(path.join(ROOT, 'sounds/alsa/Noise.wav'), 10) });
}, 120_000);

describe.skipIf(!available)('real recordings (Debian packages)', () => {
  it('VAD: speech in recorded dialog, none in recorded music and noise; sed-mini names each class', async () => {
    const rows: (Clip & { speechFrac: number; predicted: Clip['truth'] })[] = [];
    for (const c of clips) {
      const v = await runSileroVad(vad.session, c.pcm, { ...vad.entry.batching, lanes: 2, sampleRateHz: 8000 });
      const speechFrac = v.probs.reduce((a, p) => a + (p >= 0.5 ? 1 : 0), 0) / v.probs.length;
      const s = await runSoundEvents(sed.session, c.pcm, { maxBatch: sed.entry.batching.maxBatch, lanes: 2 });
      const k = SOUND_EVENT_CLASSES.length;
      const frames = s.probs.length / k;
      const means = SOUND_EVENT_CLASSES.map((_, j) => {
        let sum = 0;
        for (let f = 0; f < frames; f++) sum += s.probs[f * k + j]!;
        return sum / frames;
      });
      const predicted = SOUND_EVENT_CLASSES[means.indexOf(Math.max(...means))]!;
      rows.push({ ...c, speechFrac, predicted });
    }
    const accuracy = (truth: Clip['truth'], ok: (r: (typeof rows)[number]) => boolean) => {
      const of = rows.filter((r) => r.truth === truth);
      return of.filter(ok).length / of.length;
    };
    const figures = {
      // Dialog lines are 2–7 s with pauses and breaths: a quarter of frames is a line that was heard.
      vadSpeech: accuracy('speech', (r) => r.speechFrac >= 0.25),
      vadMusic: accuracy('music', (r) => r.speechFrac < 0.2),
      vadNoise: accuracy('noise', (r) => r.speechFrac < 0.2),
      sedSpeech: accuracy('speech', (r) => r.predicted === 'speech'),
      sedMusic: accuracy('music', (r) => r.predicted === 'music'),
      sedNoise: accuracy('noise', (r) => r.predicted === 'noise'),
    };
    console.log(
      `real recordings (${rows.filter((r) => r.truth === 'speech').length} dialog lines, ${MUSIC.length} music, ${NOISE.length + 1} noise), per-class accuracy: ${Object.entries(
        figures,
      )
        .map(([k, v]) => `${k} ${(v * 100).toFixed(0)} %`)
        .join(', ')}`,
    );
    const misses = rows.filter((x) => (x.truth === 'speech' ? x.speechFrac < 0.25 : x.speechFrac >= 0.2) || x.predicted !== x.truth);
    console.log(`  misses: ${misses.map((r) => `${r.truth} ${r.name} (VAD ${(r.speechFrac * 100).toFixed(0)} %, sed-mini ${r.predicted})`).join('; ')}`);
    // Floors a little under what the shipped models measured (2026-11-26): VAD holds up on real
    // audio; sed-mini, trained on synthetic audio only, often hears recorded voices as music and
    // hums as music (its speech and noise figures are what a retrain on recordings must raise).
    expect(figures.vadSpeech).toBeGreaterThanOrEqual(0.85);
    expect(figures.vadMusic).toBeGreaterThanOrEqual(0.9);
    expect(figures.vadNoise).toBeGreaterThanOrEqual(0.85);
    expect(figures.sedMusic).toBeGreaterThanOrEqual(0.75);
    expect(figures.sedSpeech).toBeGreaterThanOrEqual(0.35);
    expect(figures.sedNoise).toBeGreaterThanOrEqual(0.25);
  }, 300_000);

  afterAll(async () => {
    await threads?.close();
  });
});
