import { z } from 'zod';
import { InvalidPayloadError, StageOutputError } from './errors/index.ts';
import { RESULT_STATUSES } from './run-states.ts';
import { STAGE_NAMES, STAGES, type StageName } from './stages.ts';

/**
 * One schema per queue hop. Each hop's payload extends the previous one, so a job carries the
 * episode's small facts forward (ids, storage keys, scalars) and never audio or feature arrays:
 * those live in the blob store under the keys named here.
 */

/** Episode ids end up in storage keys and job ids, so they are kept to a safe alphabet. */
export const EpisodeId = z
  .string()
  .min(1)
  .max(128)
  .regex(/^[A-Za-z0-9][A-Za-z0-9._-]*$/, 'letters, digits, ".", "_" and "-" only, starting with a letter or digit');

export const AudioUri = z
  .string()
  .min(1)
  .max(2048)
  .refine((u) => !/^[a-z][a-z0-9+.-]*:\/\//i.test(u) || /^(file|gs|https?):\/\//i.test(u), 'must be a path, or a file://, gs://, https:// or http:// URI');

export const ModelRef = z.object({ id: z.string(), version: z.string() });
/** Which selection path ran: with a transcript, with words from speech-to-text, or from the audio alone. */
export const SelectionPath = z.enum(['transcript', 'asr', 'audio-only']);
export type SelectionPath = z.infer<typeof SelectionPath>;
export type ModelRef = z.infer<typeof ModelRef>;

const RunFields = z.object({
  v: z.literal(1),
  runId: z.string().min(8).max(64),
  episodeId: EpisodeId,
  enqueuedAtMs: z.number().int().nonnegative(),
  priority: z.boolean(),
  force: z.boolean(),
  /** Speech-to-text when there is no transcript, whatever PODPREVIEW_ASR says (the upgrade pass's runs). */
  transcribe: z.boolean().optional(),
  /**
   * The API credential that started the run (null: none, e.g. the CLI), which its result row
   * records: carried here so that ending a run needs no read of its record. Absent from jobs
   * queued by older producers; the worker then reads the record.
   */
  owner: z.string().max(256).nullable().optional(),
  /**
   * Milliseconds spent in each finished stage (processing time, not queue wait). An object of
   * the stage names rather than a record: zod checks an object's keys in compiled code, a
   * record's one by one (a third of the parse time of a late hop's payload).
   */
  timingsMs: z.strictObject(
    Object.fromEntries(STAGE_NAMES.map((s) => [s, z.number().nonnegative().optional()])) as Record<StageName, z.ZodOptional<z.ZodNumber>>,
  ),
});

export const PreprocessInput = RunFields.extend({
  audioUri: AudioUri,
  transcriptUri: AudioUri.optional(),
});

export const EnsembleAInput = RunFields.extend({
  sourceKey: z.string(),
  pcmKey: z.string(),
  transcriptKey: z.string().optional(),
  sampleRateHz: z.number().int().positive(),
  durationSec: z.number().positive(),
  contentHash: z.string().regex(/^[0-9a-f]{64}$/),
});

/** A per-frame feature track in the blob store: float32, `channels` interleaved per frame. */
export const TrackRef = z.object({
  key: z.string(),
  frameSec: z.number().positive(),
  /** How much audio one frame describes when frames overlap (defaults to frameSec). */
  spanSec: z.number().positive().optional(),
  channels: z.array(z.string()).min(1),
});
export type TrackRef = z.infer<typeof TrackRef>;

/** Per-episode model totals, summed over the stages that ran models. */
export const ModelStats = z.record(z.string(), z.object({ calls: z.number().int(), items: z.number().int(), inferenceMs: z.number() }));
export type ModelStats = z.infer<typeof ModelStats>;

export const EnsembleBInput = EnsembleAInput.extend({
  /** Audio model outputs by name: `vad` always, `sound-events` when that model ran. */
  tracks: z.record(z.string(), TrackRef).refine((t) => 'vad' in t, 'a vad track is required'),
  models: z.array(ModelRef),
  modelStats: ModelStats,
});

export const SelectionInput = EnsembleBInput.extend({
  /** The transcript's sentences with every text model's scores; absent without a transcript. */
  sentencesKey: z.string().optional(),
});

export const SinkInput = SelectionInput.extend({
  selectionKey: z.string(),
  path: SelectionPath,
  previewStartSec: z.number().nonnegative(),
  previewEndSec: z.number().positive(),
  speechFraction: z.number().min(0).max(1),
  score: z.number(),
});

export type PreprocessInput = z.infer<typeof PreprocessInput>;
export type EnsembleAInput = z.infer<typeof EnsembleAInput>;
export type EnsembleBInput = z.infer<typeof EnsembleBInput>;
export type SelectionInput = z.infer<typeof SelectionInput>;
export type SinkInput = z.infer<typeof SinkInput>;

/** The payload schema each stage's queue accepts. */
export const STAGE_INPUTS = {
  preprocess: PreprocessInput,
  'ensemble-a': EnsembleAInput,
  'ensemble-b': EnsembleBInput,
  selection: SelectionInput,
  sink: SinkInput,
} as const satisfies Record<StageName, z.ZodType>;

export type StageInput<S extends StageName> = z.infer<(typeof STAGE_INPUTS)[S]>;

/** Jobs stay small: Redis holds ids and keys, the blob store holds data. */
export const MAX_PAYLOAD_BYTES = 10_000;

/**
 * Checks a payload picked up from a stage's queue against its contract: once per hop, on the
 * consuming side. Who is to blame for a mismatch depends on who wrote it. The first stage's jobs
 * come from producers (the API, the CLI, whoever else can reach Redis): that is bad input, and
 * fails at once. Every later stage's jobs come from our own previous stage: that is a bug or a
 * version skew between workers, never the episode's fault, so it is a retryable internal error.
 */
export function parseStageInput<S extends StageName>(stage: S, data: unknown): StageInput<S> {
  const parsed = STAGE_INPUTS[stage].safeParse(data);
  if (parsed.success) return parsed.data as StageInput<S>;
  const from = STAGES.find((s) => s.next === stage)?.name;
  throw from ? new StageOutputError(from, stage, issuesText(parsed.error)) : new InvalidPayloadError(stage, issuesText(parsed.error));
}

const issuesText = (error: z.ZodError) => error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`).join('; ');

/** What a stage job returns to BullMQ: visible in Bull Board, read back by status and `--wait`. */
export const JobSummary = z.discriminatedUnion('status', [
  z.object({ status: z.literal('forwarded'), next: z.enum(STAGE_NAMES) }),
  z.object({
    status: z.enum(RESULT_STATUSES).exclude(['failed']),
    previewStartSec: z.number().nullable(),
    previewEndSec: z.number().nullable(),
    speechFraction: z.number().nullable(),
    latencyMs: z.number(),
    clipKey: z.string().nullable(),
  }),
]);
export type JobSummary = z.infer<typeof JobSummary>;

/** An http(s) URL without credentials; whether its host may be reached is checked where it is called. */
export const CallbackUrl = z
  .url({ protocol: /^https?$/ })
  .max(2048)
  .refine((u) => !/^[a-z]+:\/\/[^/]*@/i.test(u), 'must not carry credentials');

/** Body of `POST /v1/episodes` and one line of a manifest file. */
export const EnqueueRequest = z
  .object({
    id: EpisodeId,
    audioUri: AudioUri,
    transcriptUri: AudioUri.optional(),
    priority: z.boolean().optional().default(false),
    force: z.boolean().optional().default(false),
    /** Where the service POSTs the run's result when it ends (signed; see docs/api.md, "Completion callbacks"). */
    callbackUrl: CallbackUrl.optional(),
    /** Run speech-to-text when there is no transcript (slower; the upgrade pass asks for it). */
    transcribe: z.boolean().optional(),
  })
  .strict();
export type EnqueueRequest = z.infer<typeof EnqueueRequest>;

/** Formats zod issues as "field: message" lines for error replies. */
export function describeIssues(error: z.ZodError): { field: string; message: string }[] {
  return error.issues.flatMap((i) => {
    const at = (key?: string) => [...i.path, ...(key === undefined ? [] : [key])].join('.') || '(body)';
    // Name each unknown key as its own field, so a client sees which of its fields is wrong.
    if (i.code === 'unrecognized_keys') return i.keys.map((k) => ({ field: at(k), message: 'unknown field' }));
    return [{ field: at(), message: i.message }];
  });
}
