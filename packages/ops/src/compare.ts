import type { ModelRef, ResultRow, ResultsSink } from '@podpreview/shared';

/** What one variant made of an episode: its newest run. */
export interface VariantChoice {
  runId: string;
  status: ResultRow['status'];
  previewStartSec: number | null;
  previewEndSec: number | null;
  errorCode: string | null;
  models: ModelRef[];
}

export interface EpisodeComparison {
  episodeId: string;
  /** null: the variant has no row for the episode. */
  a: VariantChoice | null;
  b: VariantChoice | null;
  /** Seconds both previews share; null unless both variants chose a window. */
  overlapSec: number | null;
  /** overlapSec over the longer of the two windows: 1 is the same window, 0 none in common. */
  overlapFraction: number | null;
  /** Models one variant ran in another version or not at all: `id a-version → b-version` (`–` for absent). */
  modelChanges: string[];
}

const choice = (r: ResultRow | undefined): VariantChoice | null =>
  r ? { runId: r.runId, status: r.status, previewStartSec: r.previewStartSec, previewEndSec: r.previewEndSec, errorCode: r.errorCode, models: r.models } : null;

/** Two variants' rows for one episode, side by side. */
export function compareRows(episodeId: string, a: ResultRow | undefined, b: ResultRow | undefined): EpisodeComparison {
  const window = (r: ResultRow | undefined) =>
    r && r.status !== 'failed' && r.previewStartSec !== null && r.previewEndSec !== null ? [r.previewStartSec, r.previewEndSec] : null;
  const [wa, wb] = [window(a), window(b)];
  let overlapSec: number | null = null;
  let overlapFraction: number | null = null;
  if (wa && wb) {
    // Rounded to the millisecond: the row's times are, and 29.999999 s helps nobody.
    const round = (x: number) => Math.round(x * 1000) / 1000;
    overlapSec = round(Math.max(0, Math.min(wa[1]!, wb[1]!) - Math.max(wa[0]!, wb[0]!)));
    const longer = Math.max(wa[1]! - wa[0]!, wb[1]! - wb[0]!);
    overlapFraction = longer > 0 ? round(overlapSec / longer) : 1;
  }
  const versions = (r: ResultRow | undefined) => new Map((r?.models ?? []).map((m) => [m.id, m.version]));
  const [va, vb] = [versions(a), versions(b)];
  const modelChanges =
    a && b
      ? [...new Set([...va.keys(), ...vb.keys()])]
          .sort()
          .filter((id) => va.get(id) !== vb.get(id))
          .map((id) => `${id} ${va.get(id) ?? '–'} → ${vb.get(id) ?? '–'}`)
      : [];
  return { episodeId, a: choice(a), b: choice(b), overlapSec, overlapFraction, modelChanges };
}

/** The newest row of each episode in both variants' results tables. */
export async function compareVariants(episodeIds: readonly string[], a: ResultsSink, b: ResultsSink): Promise<EpisodeComparison[]> {
  return Promise.all(
    episodeIds.map(async (id) => {
      const [ra, rb] = await Promise.all([a.latestForEpisode(id), b.latestForEpisode(id)]);
      return compareRows(id, ra, rb);
    }),
  );
}

/** Episodes a variant finished since `sinceMs`, newest first, each once. */
export async function recentEpisodes(results: ResultsSink, sinceMs: number, limit: number): Promise<string[]> {
  return [...new Set((await results.finishedSince(sinceMs, limit)).map((r) => r.episodeId))];
}
