import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';
import type { StageName } from '@podpreview/shared';
import { ModelIntegrityError } from './errors/model-integrity.error.ts';

const ModelEntry = z.object({
  id: z.string(),
  version: z.string(),
  /** `transcribe`: speech-to-text, run beside the pipeline's stages rather than as one of them. */
  stage: z.enum(['ensemble-a', 'ensemble-b', 'transcribe']),
  /** Which runner drives the model (the stage code dispatches on it). */
  kind: z.enum(['vad', 'spectra', 'sound-events', 'voice-embedding', 'text-classifier', 'sentence-context', 'speech-to-text']),
  /**
   * The front end this model reads its input from (a `spectra` model of the same stage): run
   * once over the episode for every model that names it, instead of once per model and window.
   */
  frontEnd: z.string().optional(),
  /**
   * The weights, relative to the manifest: every ONNX file is checked in under `weights/`, ours
   * and third-party ones alike (their licences and sources in `weights/NOTICE.md`). The
   * speech-to-text model comes from a Debian package and is named by its absolute path.
   */
  file: z.string(),
  /** For a model installed from Debian's archive: the packages that provide it. */
  debianPackages: z.array(z.string()).optional(),
  sha256: z.string().regex(/^[0-9a-f]{64}$/),
  bytes: z.number().int().positive(),
  licence: z.string(),
  source: z.string(),
  inputs: z.record(z.string(), z.string()),
  outputs: z.record(z.string(), z.string()),
  batching: z.object({
    maxBatch: z.number().int().positive(),
    /** How long a partial micro-batch waits for more requests before it runs. */
    maxWaitMs: z.number().nonnegative(),
    segmentSec: z.number().positive().optional(),
    warmupFrames: z.number().int().nonnegative().optional(),
  }),
  /** Resident memory the session needs, measured by bench:models; used to size workers. */
  memoryMb: z.number().positive(),
  /** For models this project trains: how, on what, and how well on held-out data. */
  training: z.object({ script: z.string(), data: z.string(), heldOut: z.record(z.string(), z.union([z.number(), z.string()])) }).optional(),
  /** Free-form extras a runner needs (class names, hashing dims, frame sizes…). */
  params: z.record(z.string(), z.unknown()).optional(),
});
export type ModelEntry = z.infer<typeof ModelEntry>;
const Manifest = z.object({ models: z.array(ModelEntry).min(1) }).superRefine(({ models }, ctx) => {
  for (const [i, m] of models.entries()) {
    if (m.frontEnd === undefined) continue;
    const front = models.find((f) => f.id === m.frontEnd);
    if (front?.kind !== 'spectra' || front.stage !== m.stage) {
      ctx.addIssue({
        code: 'custom',
        path: ['models', i, 'frontEnd'],
        message: `${m.id} reads ${m.frontEnd}, which is not a spectra model of stage ${m.stage}`,
      });
    }
  }
});

// The manifest stays beside the weights it names, in the models package; this package only reads
// it. Found from this file's URL, which the bundles keep (scripts/build.mjs), so the images, which
// ship packages/models/manifest.json, find it at the same place.
export const DEFAULT_MANIFEST_PATH = fileURLToPath(new URL('../../models/manifest.json', import.meta.url));

export async function readManifest(manifestPath = DEFAULT_MANIFEST_PATH): Promise<ModelEntry[]> {
  return Manifest.parse(JSON.parse(await readFile(manifestPath, 'utf8'))).models;
}

export function modelsForStage(models: ModelEntry[], stage: StageName | 'transcribe'): ModelEntry[] {
  return models.filter((m) => m.stage === stage);
}

/** Absolute path of a model file: `file` is relative to the manifest's folder. */
export function resolveModelPath(entry: ModelEntry, manifestPath = DEFAULT_MANIFEST_PATH): string {
  return path.resolve(path.dirname(manifestPath), entry.file);
}

/** Reads the weights and refuses them unless size and sha256 match the manifest. */
export async function loadVerifiedWeights(entry: ModelEntry, manifestPath = DEFAULT_MANIFEST_PATH): Promise<Uint8Array> {
  const file = resolveModelPath(entry, manifestPath);
  const bytes = await readFile(file);
  const sha = createHash('sha256').update(bytes).digest('hex');
  if (bytes.byteLength !== entry.bytes || sha !== entry.sha256) {
    throw new ModelIntegrityError(
      `model ${entry.id}@${entry.version} at ${file}: expected sha256 ${entry.sha256} (${entry.bytes} bytes), got ${sha} (${bytes.byteLength} bytes)`,
    );
  }
  return bytes;
}
