import { existsSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { runCommandSync } from '@podpreview/shared';
import type { ModelEntry } from '@podpreview/model-manifest';
import type { ModelSession } from '../session.ts';
import { runSoundEvents, SOUND_EVENT_CLASSES } from '../sound-events.ts';
import { runSileroVad } from '../vad.silero.ts';

/**
 * Recordings no synthesizer made, from Debian packages (scripts/real-audio.sh unpacks them under
 * .data/real-audio): Dutch dialog lines recorded by voice actors (fillets-ng-data-nl), recorded
 * musical loops, guitar, piano and choir (sonic-pi-samples), and hum, buzz, hiss and machine
 * noise (sonic-pi-samples, alsa-utils).
 */
export const REAL_AUDIO_ROOT = fileURLToPath(new URL('../../../../.data/real-audio/x/usr/share/', import.meta.url));
export const DIALOG_DIR = path.join(REAL_AUDIO_ROOT, 'games/fillets-ng/sound');
const SONIC = path.join(REAL_AUDIO_ROOT, 'sonic-pi/samples');
export const REAL_MUSIC = [
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
export const REAL_NOISE = ['vinyl_hiss', 'ambi_soft_buzz', 'ambi_haunted_hum', 'ambi_glass_hum', 'loop_3d_printer', 'ambi_sauna', 'ambi_drone'];
const SPEECH_CLIPS = 60;

export function realRecordingsAvailable(): boolean {
  return existsSync(DIALOG_DIR) && existsSync(SONIC);
}

/** 16 kHz mono 16-bit PCM; loops and textures repeated to `seconds`. */
export function decodeReal(file: string, seconds?: number): Int16Array {
  const loop = seconds ? ['-stream_loop', '-1'] : [];
  const limit = seconds ? ['-t', String(seconds)] : [];
  const b = runCommandSync('ffmpeg', ['-nostdin', '-loglevel', 'error', ...loop, '-i', file, ...limit, '-ac', '1', '-ar', '16000', '-f', 's16le', 'pipe:1']);
  return new Int16Array(b.buffer, b.byteOffset, Math.floor(b.byteLength / 2));
}

export interface RealClip {
  name: string;
  truth: (typeof SOUND_EVENT_CLASSES)[number];
  pcm: Int16Array;
}

/** Every k-th dialog line over all the game's levels (many scenes, both fish, all lengths), then music and noise. */
export function loadRealClips(): RealClip[] {
  const clips: RealClip[] = [];
  const lines = readdirSync(DIALOG_DIR)
    .flatMap((level) => {
      const nl = path.join(DIALOG_DIR, level, 'nl');
      return existsSync(nl) ? readdirSync(nl).map((f) => path.join(nl, f)) : [];
    })
    .filter((f) => f.endsWith('.ogg'))
    .sort();
  const step = Math.max(1, Math.floor(lines.length / SPEECH_CLIPS));
  for (let i = 0; i < lines.length && clips.length < SPEECH_CLIPS; i += step)
    clips.push({ name: path.basename(lines[i]!), truth: 'speech', pcm: decodeReal(lines[i]!) });
  for (const m of REAL_MUSIC) clips.push({ name: m, truth: 'music', pcm: decodeReal(path.join(SONIC, `${m}.flac`), 10) });
  for (const n of REAL_NOISE) clips.push({ name: n, truth: 'noise', pcm: decodeReal(path.join(SONIC, `${n}.flac`), 10) });
  clips.push({ name: 'alsa Noise.wav', truth: 'noise', pcm: decodeReal(path.join(REAL_AUDIO_ROOT, 'sounds/alsa/Noise.wav'), 10) });
  return clips;
}

/** A model, and the front end it reads where its entry names one. */
type Model = { entry: ModelEntry; session: ModelSession; front?: ModelSession };

export interface RealRecordingFigures {
  counts: Record<RealClip['truth'], number>;
  /** Per-class accuracy: VAD hears speech (≥ 25 % of frames) in dialog and none (< 20 %) in music and noise; sed-mini's top class is the truth. */
  figures: { vadSpeech: number; vadMusic: number; vadNoise: number; sedSpeech: number; sedMusic: number; sedNoise: number };
  misses: string[];
}

export async function measureRealRecordings(vad: Model, sed: Model, clips: RealClip[], lanes = 2): Promise<RealRecordingFigures> {
  const rows: (RealClip & { speechFrac: number; predicted: RealClip['truth'] })[] = [];
  for (const c of clips) {
    const v = await runSileroVad(vad.session, c.pcm, { ...vad.entry.batching, lanes, sampleRateHz: 8000 });
    const speechFrac = v.probs.reduce((a, p) => a + (p >= 0.5 ? 1 : 0), 0) / v.probs.length;
    const s = await runSoundEvents(sed.session, c.pcm, { maxBatch: sed.entry.batching.maxBatch, lanes, ...(sed.front ? { front: sed.front } : {}) });
    const k = SOUND_EVENT_CLASSES.length;
    const frames = s.probs.length / k;
    const means = SOUND_EVENT_CLASSES.map((_, j) => {
      let sum = 0;
      for (let f = 0; f < frames; f++) sum += s.probs[f * k + j]!;
      return sum / frames;
    });
    rows.push({ ...c, speechFrac, predicted: SOUND_EVENT_CLASSES[means.indexOf(Math.max(...means))]! });
  }
  const accuracy = (truth: RealClip['truth'], ok: (r: (typeof rows)[number]) => boolean) => {
    const of = rows.filter((r) => r.truth === truth);
    return of.filter(ok).length / of.length;
  };
  return {
    counts: {
      speech: rows.filter((r) => r.truth === 'speech').length,
      music: rows.filter((r) => r.truth === 'music').length,
      noise: rows.filter((r) => r.truth === 'noise').length,
    },
    figures: {
      // Dialog lines are 2–7 s with pauses and breaths: a quarter of frames is a line that was heard.
      vadSpeech: accuracy('speech', (r) => r.speechFrac >= 0.25),
      vadMusic: accuracy('music', (r) => r.speechFrac < 0.2),
      vadNoise: accuracy('noise', (r) => r.speechFrac < 0.2),
      sedSpeech: accuracy('speech', (r) => r.predicted === 'speech'),
      sedMusic: accuracy('music', (r) => r.predicted === 'music'),
      sedNoise: accuracy('noise', (r) => r.predicted === 'noise'),
    },
    misses: rows
      .filter((x) => (x.truth === 'speech' ? x.speechFrac < 0.25 : x.speechFrac >= 0.2) || x.predicted !== x.truth)
      .map((r) => `${r.truth} ${r.name} (VAD ${(r.speechFrac * 100).toFixed(0)} %, sed-mini ${r.predicted})`),
  };
}
