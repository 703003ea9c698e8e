import path from 'node:path';
import Table from 'cli-table3';
import { compareVariants, type EpisodeComparison, recentEpisodes, type VariantChoice } from '@podpreview/ops';
import { type Config, loadVariantConfig } from '@podpreview/shared';
import { createResultsSink } from '@podpreview/storage';

export interface CompareOptions {
  against: string;
  sinceMin: number;
}

export interface VariantComparison {
  labels: [string, string];
  episodes: EpisodeComparison[];
}

/**
 * `podpreview compare`: this variant's previews (its results table) beside another's (the table
 * its configuration file names), episode by episode: the given episodes, or those this variant
 * finished in the last `sinceMin` minutes.
 */
export async function runCompare(episodeIds: string[], o: CompareOptions, config: Config): Promise<VariantComparison> {
  const other = loadVariantConfig(o.against);
  const [a, b] = [createResultsSink(config), createResultsSink(other)];
  try {
    const ids = episodeIds.length > 0 ? episodeIds : await recentEpisodes(a, Date.now() - o.sinceMin * 60_000, 1000);
    const name = path.basename(o.against).replace(/\.[^.]*$/, '');
    const labels: [string, string] = config.queuePrefix === other.queuePrefix ? ['this', name] : [config.queuePrefix, other.queuePrefix];
    return { labels, episodes: await compareVariants(ids, a, b) };
  } finally {
    await Promise.all([a.close(), b.close()]);
  }
}

const cell = (c: VariantChoice | null): string => {
  if (!c) return '–';
  if (c.status === 'failed') return `failed: ${c.errorCode ?? '?'}`;
  const window = `${c.previewStartSec?.toFixed(1)}–${c.previewEndSec?.toFixed(1)} s`;
  return c.status === 'deduplicated' ? `${window} (dedup)` : window;
};

export function comparisonTable(c: VariantComparison): string {
  const table = new Table({ head: ['episode', c.labels[0], c.labels[1], 'overlap', 'models that differ'] });
  for (const e of c.episodes) {
    const overlap = e.overlapSec === null ? '–' : `${e.overlapSec.toFixed(1)} s (${Math.round((e.overlapFraction ?? 0) * 100)} %)`;
    table.push([e.episodeId, cell(e.a), cell(e.b), overlap, e.modelChanges.join(', ') || (e.a && e.b ? 'same' : '–')]);
  }
  return table.toString();
}
