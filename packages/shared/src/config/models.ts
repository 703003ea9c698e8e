import path from 'node:path';
import { z } from 'zod';
import { type EnvOf, int, type LoadContext, ratio, setting } from './setting.ts';

/** What a preview is, and how the models that find it run. */
export const modelSettings = {
  PODPREVIEW_PREVIEW_SEC: setting(int(60, 5), 'preview length in seconds'),
  PODPREVIEW_CLIP_BITRATE_KBPS: setting(z.coerce.number().int().min(32).max(320).default(96), "the preview clip's mp3 bitrate"),
  PODPREVIEW_CLIP_ENCODER_QUALITY: setting(
    z.coerce.number().int().min(0).max(9).default(5),
    "LAME's quality setting for the clip (0: slowest, 9: fastest): 5, LAME's \"good quality, fast\", costs 13 % less CPU per clip than LAME's own default 3, with the same signal-to-noise ratio on speech at 96 kb/s",
  ),
  PODPREVIEW_MIN_SPEECH_FRACTION: setting(
    ratio(0.3),
    'a run whose best window is less speech than this fails with `no_speech` instead of a preview of music or silence',
  ),
  PODPREVIEW_EXECUTION_PROVIDER: setting(z.enum(['cpu', 'cuda', 'auto']).default('auto'), '`cpu`, `cuda`, or `auto` (CUDA when installed, else CPU)'),
  PODPREVIEW_MODEL_MANIFEST: setting(
    z.string().min(1).optional(),
    'model manifest; edits (a new model version) are picked up between jobs, no restart',
    '`packages/models/manifest.json`',
  ),
  PODPREVIEW_MODEL_THREADS: setting(
    z.coerce.number().int().min(0).max(64).optional(),
    "model threads per model stage, each with a session of every model of the stage: the models and their batches run in parallel, off the event loop (0: on the event loop, one call at a time; CUDA sessions stay on the event loop's thread)",
    'cores, at most 4',
  ),
  PODPREVIEW_ASR: setting(
    z.enum(['off', 'inline', 'upgrade']).default('off'),
    "speech-to-text for episodes without a transcript (pocketsphinx, the manifest's `speech-to-text` model; its words go to the text models, path `asr`): `upgrade` ships the audio-only preview first, then a second run transcribes and selects again and, once it succeeds, is the episode's answer; `inline` transcribes before the first preview (about 0.35 core-s per audio second on its path); `off` only for runs submitted with `transcribe: true`",
  ),
  PODPREVIEW_ASR_LANES: setting(
    z.coerce.number().int().min(1).max(64).optional(),
    'speech-to-text engine processes per episode (the audio is cut into chunks at quiet points)',
    'cores, at most 4',
  ),
};

export interface ModelConfig {
  previewSec: number;
  /** How the preview clip is encoded (mp3). */
  clip: { bitrateKbps: number; encoderQuality: number };
  /** A preview whose best window is less speech than this fails with `no_speech`. */
  minSpeechFraction: number;
  executionProvider: 'cpu' | 'cuda' | 'auto';
  /** Model manifest to load (and watch for new versions); undefined = the one in packages/models. */
  modelManifestPath: string | undefined;
  /**
   * Model threads per model stage, each holding a session of every model of the stage (0: the
   * models run on the event loop's thread). Defaults to the cores this process may use, up to 4.
   */
  modelThreads: number;
  /**
   * Speech-to-text for episodes without a transcript, in ensemble-b before the text models:
   * `inline` in every such run; `upgrade` in a second run started when the audio-only preview
   * has shipped (it supersedes it); `off` never. `lanes` engine processes per job.
   */
  asr: { mode: 'off' | 'inline' | 'upgrade'; lanes: number };
}

export function modelConfig(e: EnvOf<typeof modelSettings>, { cwd, cores }: LoadContext): ModelConfig {
  return {
    previewSec: e.PODPREVIEW_PREVIEW_SEC,
    clip: { bitrateKbps: e.PODPREVIEW_CLIP_BITRATE_KBPS, encoderQuality: e.PODPREVIEW_CLIP_ENCODER_QUALITY },
    minSpeechFraction: e.PODPREVIEW_MIN_SPEECH_FRACTION,
    executionProvider: e.PODPREVIEW_EXECUTION_PROVIDER,
    modelManifestPath: e.PODPREVIEW_MODEL_MANIFEST ? path.resolve(cwd, e.PODPREVIEW_MODEL_MANIFEST) : undefined,
    modelThreads: e.PODPREVIEW_MODEL_THREADS ?? Math.min(4, cores),
    asr: { mode: e.PODPREVIEW_ASR, lanes: e.PODPREVIEW_ASR_LANES ?? Math.min(4, cores) },
  };
}
