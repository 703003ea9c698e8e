import Table from 'cli-table3';
import type { Estimate } from './intervals.ts';
import type { OutcomeSummary, SummaryGroup } from './outcomes.ts';

/** Tables of figures with their 95 % intervals (the three reports of `npm run eval`). */

const HEAD = ['', 'good', 'hit (inside ideal zone)', 'starts on a sentence', 'bad overlap', 'ends cleanly', 'n', 'no preview'];

export function shareCell(e: Estimate): string {
  return Number.isFinite(e.value) ? `${e.value.toFixed(3)} [${e.lo.toFixed(3)}, ${e.hi.toFixed(3)}]` : '-';
}

export function secondsCell(e: Estimate): string {
  return Number.isFinite(e.value) ? `${e.value.toFixed(2)} s [${e.lo.toFixed(2)}, ${e.hi.toFixed(2)}]` : '-';
}

function cells(s: OutcomeSummary): string[] {
  return [shareCell(s.good), shareCell(s.hit), shareCell(s.sentence), secondsCell(s.badSec), shareCell(s.endsCleanly), String(s.n), String(s.missing)];
}

export function intervalTable(groups: readonly SummaryGroup[]): string {
  const table = new Table({ head: HEAD, style: { head: [], border: [] } });
  for (const g of groups) table.push([g.name, ...cells(g.summary)]);
  return table.toString();
}

export function intervalMarkdown(groups: readonly SummaryGroup[]): string {
  return [
    `| ${HEAD.join(' | ')} |`,
    `|${HEAD.map((_, i) => (i === 0 ? '---' : '---:')).join('|')}|`,
    ...groups.map((g) => `| ${[g.name, ...cells(g.summary)].join(' | ')} |`),
  ].join('\n');
}

export const INTERVALS_NOTE =
  'figures with their 95 % intervals: Wilson for shares, a percentile bootstrap (4,000 resamples, seeded) for mean bad overlap; ' +
  'good = inside an ideal zone, starting on a sentence and 60 ± 1 s long; a run without a preview counts as a miss with 60 s of bad overlap.';
