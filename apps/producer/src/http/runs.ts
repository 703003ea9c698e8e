import { answerVariantsOf, episodeAnswer, episodeRunIdsAllVariants, latestResultFor, runStatus, runStatusForListing, type StageQueues } from '@podpreview/runs';
import type { BlobStore, Config, ResultRow, ResultsSink } from '@podpreview/shared';
import type { ClipLocation, Run, RunStatus } from './api.schemas.ts';
import { type ClipLocator, rowView, runView } from './run-view.ts';
import type { Holders } from './tenancy.ts';

export interface RunReaderDeps {
  config: Config;
  queues: StageQueues;
  results: ResultsSink;
  blobs: BlobStore;
  /** Which runs the reader may see (PODPREVIEW_API_TENANCY); absent: all (callbacks, which go to whoever asked). */
  visible?: (who: Holders) => boolean;
}

const seen = (deps: RunReaderDeps, who: Holders) => deps.visible?.(who) ?? true;

/**
 * Where a client gets a run's clip. Always the API's own route (it serves the file with Range
 * support, or redirects to a fresh signed URL when the store is a bucket); where the store can
 * sign and `sign` is set (single-run answers and callbacks), also a signed, expiring URL that
 * needs no credential.
 */
export function clipLocator(deps: RunReaderDeps, baseUrl: string, o: { sign: boolean }): ClipLocator {
  return async (episodeId, runId, clipKey): Promise<ClipLocation | null> => {
    if (!clipKey) return null;
    const served = `${baseUrl}/v1/episodes/${encodeURIComponent(episodeId)}/runs/${encodeURIComponent(runId)}/clip`;
    if (o.sign && deps.blobs.signedUrl) {
      const signed = await deps.blobs.signedUrl(clipKey, deps.config.clipUrlTtlSec);
      return { url: signed.url, expiresAt: signed.expiresAt.toISOString(), contentType: 'audio/mpeg' };
    }
    return { url: served, expiresAt: null, contentType: 'audio/mpeg' };
  };
}

/** One run of an episode: Redis while it holds the run's state, then the results table. */
export async function readRun(deps: RunReaderDeps, episodeId: string, runId: string, clip: ClipLocator): Promise<Run | undefined> {
  const [status, row] = await Promise.all([runStatus(deps.queues, runId), deps.results.forRun(runId)]);
  if (row && row.episodeId !== episodeId) return undefined;
  if (!row && (status.state === 'unknown' || (status.episodeId && status.episodeId !== episodeId))) return undefined;
  if (!seen(deps, { owner: status.owner ?? row?.owner, readers: status.readers })) return undefined;
  return runView(episodeId, status, row, clip);
}

/**
 * The run that answers for an episode to this reader, and its row: the episode's answering run
 * (episodeAnswer, else the results table's) when the reader may see it, else the newest run of
 * the episode the reader may see. Undefined: none.
 */
export async function readEpisodeAnswer(
  deps: RunReaderDeps,
  episodeId: string,
  clip: ClipLocator,
): Promise<{ run: Run; row: ResultRow | undefined } | undefined> {
  const answer = await episodeAnswer(deps, episodeId);
  if (!answer) return undefined;
  const { status, result: row } = answer;
  if (!status) return row && seen(deps, { owner: row.owner }) ? { run: await rowView(row, clip), row } : undefined;
  if (seen(deps, { owner: status.owner ?? row?.owner, readers: status.readers })) return { run: await runView(episodeId, status, row, clip), row };
  const own = (await readEpisodeRuns(deps, episodeId, deps.config.apiPageMax, clip))[0];
  const run = own && (await readRun(deps, episodeId, own.runId, clip));
  return run ? { run, row: await deps.results.forRun(run.runId) } : undefined;
}

/**
 * An episode's runs, newest first (ended ones without their stages, as in listings), its fallback
 * variant's among them: those Redis indexes, else the answering row the results table has.
 */
export async function readEpisodeRuns(deps: RunReaderDeps, episodeId: string, limit: number, clip: ClipLocator): Promise<Run[]> {
  const ids = (await episodeRunIdsAllVariants(deps.queues, episodeId)).slice(0, limit);
  if (ids.length === 0) {
    const row = await latestResultFor(deps.results, answerVariantsOf(deps.config), episodeId);
    return row && seen(deps, { owner: row.owner }) ? [await rowView(row, clip)] : [];
  }
  const runs = await Promise.all(
    ids.map(async (id) => {
      const s = await runStatusForListing(deps.queues, id);
      if (s) return seen(deps, s) ? runView(episodeId, s, undefined, clip) : undefined;
      // Its record expired before the index entry: the results table has it.
      const row = await deps.results.forRun(id);
      return row && seen(deps, { owner: row.owner }) ? rowView(row, clip) : undefined;
    }),
  );
  return runs.filter((r): r is Run => r !== undefined);
}

/** Opaque to clients: the enqueue time and run id of the last item of the previous page. */
export function encodeCursor(c: { atMs: number; runId: string }): string {
  return Buffer.from(JSON.stringify([c.atMs, c.runId])).toString('base64url');
}

export function decodeCursor(s: string): { atMs: number; runId: string } | undefined {
  try {
    const v = JSON.parse(Buffer.from(s, 'base64url').toString('utf8')) as unknown;
    if (Array.isArray(v) && Number.isFinite(v[0]) && typeof v[1] === 'string') return { atMs: v[0] as number, runId: v[1] };
  } catch {}
  return undefined;
}

/**
 * A page of runs across episodes, newest first, from the run index in Redis (the window of
 * PODPREVIEW_RUN_STATE_TTL_MS). With a status filter, at most a few pages' worth of the index is
 * read per request: a page may then come back short, with a cursor to go on from.
 */
export async function listRuns(
  deps: RunReaderDeps,
  q: { status?: RunStatus; sinceMs: number; cursor?: { atMs: number; runId: string }; limit: number },
  clip: ClipLocator,
): Promise<{ items: Run[]; nextCursor: string | null }> {
  const items: Run[] = [];
  let before = q.cursor;
  let scanned = 0;
  const scanMax = q.limit * 10;
  for (;;) {
    const batch = await deps.queues.runs.indexed({ sinceMs: q.sinceMs, count: q.limit, ...(before ? { before } : {}) });
    if (batch.length === 0) return { items, nextCursor: null };
    const views = await Promise.all(
      batch.map(async ({ runId }) => {
        const s = await runStatusForListing(deps.queues, runId);
        if (!s?.episodeId) return undefined; // expired between index and record
        return seen(deps, s) ? runView(s.episodeId, s, undefined, clip) : undefined;
      }),
    );
    for (let i = 0; i < batch.length; i++) {
      const v = views[i];
      before = { atMs: batch[i]!.enqueuedAtMs, runId: batch[i]!.runId };
      scanned++;
      if (v && (!q.status || v.status === q.status)) items.push(v);
      if (items.length === q.limit) return { items, nextCursor: encodeCursor(before) };
    }
    if (batch.length < q.limit) return { items, nextCursor: null };
    if (scanned >= scanMax && before) return { items, nextCursor: encodeCursor(before) };
  }
}
