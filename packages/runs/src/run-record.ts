import { z } from 'zod';
import { RECORD_STATES, type RecordState, type ResultRow, STAGE_NAMES, VARIANT_NAMES, type VariantName } from '@podpreview/shared';

/** What Redis remembers of a run apart from its jobs: enough for status once they are trimmed. */
export interface RunRecord {
  runId: string;
  episodeId: string;
  state: RecordState;
  enqueuedAtMs: number;
  /** What was submitted, so the run can be retried (`podpreview retry`) while its record lasts. */
  request?: { audioUri: string; transcriptUri?: string; priority: boolean; transcribe?: boolean };
  /** A client asked to cancel the run; workers stop it at the next stage boundary. */
  cancelRequested?: boolean;
  /** The variant whose queues run it (absent in records from before variants: production). */
  variant?: VariantName;
  /** The fallback variant's run this run was handed to (it failed, or passed its deadline). */
  fallbackRunId?: string;
  /** The API credential that started it (PODPREVIEW_API_TENANCY=owner: it reads the run); absent for runs from the command line. */
  owner?: string;
  /** Other credentials whose identical request joined it: they may read it too. */
  readers?: string[];
  /** The terminal row's facts, once the run has ended. */
  outcome?: Pick<ResultRow, 'previewStartSec' | 'previewEndSec' | 'speechFraction' | 'latencyMs' | 'clipKey' | 'failedStage' | 'errorCode' | 'errorMessage'>;
}

/** Where a run's result is POSTed when it ends, and whose secret signs it. */
export interface CallbackTarget {
  url: string;
  credential: string;
}

const json = <T extends z.ZodType>(schema: T) =>
  z
    .string()
    .transform((s) => JSON.parse(s) as unknown)
    .pipe(schema);

/** A run record as the hash in Redis holds it (every field a string). */
const StoredRun = z.object({
  episodeId: z.string(),
  state: z.enum(RECORD_STATES),
  enqueuedAtMs: z.coerce.number(),
  request: json(z.object({ audioUri: z.string(), transcriptUri: z.string().optional(), priority: z.boolean(), transcribe: z.boolean().optional() })).optional(),
  cancelRequested: z
    .literal('1')
    .transform(() => true)
    .optional(),
  variant: z.enum(VARIANT_NAMES).optional(),
  fallbackRunId: z.string().optional(),
  owner: z.string().optional(),
  readers: z
    .string()
    .transform((s) => s.split(',').filter(Boolean))
    .optional(),
  outcome: json(
    z.object({
      previewStartSec: z.number().nullable(),
      previewEndSec: z.number().nullable(),
      speechFraction: z.number().nullable(),
      latencyMs: z.number(),
      clipKey: z.string().nullable(),
      failedStage: z.enum(STAGE_NAMES).nullable(),
      errorCode: z.string().nullable(),
      errorMessage: z.string().nullable(),
    }),
  ).optional(),
});

/** A stored record, parsed; undefined when it is empty (never existed, expired) or written by an incompatible version. */
export function parseRunRecord(runId: string, stored: Record<string, string>): RunRecord | undefined {
  try {
    const parsed = StoredRun.safeParse(stored);
    return parsed.success ? { runId, ...parsed.data } : undefined;
  } catch {
    return undefined; // `request` or `outcome` is not JSON
  }
}

/** The row's facts the record keeps once the run has ended. */
export function outcomeOf(row: ResultRow): NonNullable<RunRecord['outcome']> {
  const { previewStartSec, previewEndSec, speechFraction, latencyMs, clipKey, failedStage, errorCode, errorMessage } = row;
  return { previewStartSec, previewEndSec, speechFraction, latencyMs, clipKey, failedStage, errorCode, errorMessage };
}

/** Callback targets as stored (JSON strings); malformed ones are dropped. */
export function parseTargets(list: string[]): CallbackTarget[] {
  return list.flatMap((raw) => {
    try {
      const t = JSON.parse(raw) as CallbackTarget;
      return typeof t.url === 'string' && typeof t.credential === 'string' ? [t] : [];
    } catch {
      return [];
    }
  });
}
