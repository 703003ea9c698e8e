// docs/speed.md, written from bench/results/summary.json: the Speed section is the bench's own
// output, never edited by hand (`npm run bench` rewrites it; `npm run bench:doc` alone too).
import type { Figure } from './common.ts';

export interface Summary {
  measuredAt: string;
  machine: {
    cpus: number;
    model?: string | undefined;
    node: string;
    loadAvg1m?: number | undefined;
    /** Two bare decodes at once over one alone, at the run's start and end (host-check.ts). */
    twoCoreRatio?: { start: number; end: number } | undefined;
  };
  figures: (Figure & { median: number; met: boolean })[];
  raw: Record<string, unknown>;
  wallSec: number;
}

const fmt = (v: number, unit: string) => {
  if (!Number.isFinite(v)) return 'n/a';
  if (unit === 'rows/s' || unit === 'MiB' || unit === 'h/core-h') return v.toFixed(0);
  return v.toFixed(unit === 's' ? 2 : 3);
};
const withUnit = (v: number, unit: string) => `${fmt(v, unit)}${unit && unit !== '×' ? ` ${unit}` : ''}`;

/** Median seconds of each stage, from a `{ stage: seconds[] }` record. */
function stageLine(stageSec: unknown): string {
  if (!stageSec || typeof stageSec !== 'object') return '';
  const med = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? Number.NaN;
  return Object.entries(stageSec as Record<string, number[]>)
    .map(([stage, xs]) => `${stage} ${med(xs).toFixed(2)} s`)
    .join(', ');
}

export function speedDoc(s: Summary): string {
  const rows = s.figures.map(
    (f) =>
      `| ${f.label} | ${withUnit(Math.min(...f.values), f.unit)} | **${withUnit(f.median, f.unit)}** | ${withUnit(Math.max(...f.values), f.unit)} | ${f.goal === 'max' ? '≤' : '≥'} ${f.target}${f.unit && f.unit !== '×' ? ` ${f.unit}` : ''} | ${f.met ? 'yes' : '**no**'} | ${f.notes ?? ''} |`,
  );
  const episode = s.raw.episode as { queuedStageSec?: unknown } | undefined;
  const transcript = s.raw.transcriptEpisode as { queuedStageSec?: unknown; queuedSec?: number[] } | undefined;
  const load = s.machine.loadAvg1m === undefined ? '' : `, load average ${s.machine.loadAvg1m.toFixed(1)} when it started`;
  const cores = s.machine.twoCoreRatio;
  const hostCheck = cores
    ? ` Two bare decodes at once took ${cores.start.toFixed(2)}× one alone at the start and ${cores.end.toFixed(2)}× at the end (1.00: both cores free; a shared VM's neighbours take part of a core at times, and the two-core figures move with it).`
    : '';
  return [
    '# Speed',
    '',
    '<!-- Written by `npm run bench` (bench/src/figures/speed-doc.ts) from bench/results/summary.json: do not edit by hand. -->',
    '',
    '`npm run bench` measures every performance target side by side in one run (its own inputs and',
    'Redis; each figure three repeats or more, each ratio measured within one run with the side that',
    'goes first alternating), prints min / median / max against the target and writes',
    '[`bench/results/summary.json`](../bench/results/summary.json), the profile behind the figures',
    "included (each stage's seconds, in process and through the queues).",
    '',
    `Measured ${s.measuredAt.slice(0, 10)} on ${s.machine.cpus} cores (${s.machine.model ?? 'unknown CPU'}, Node ${s.machine.node}${load}); the run took ${(s.wallSec / 60).toFixed(1)} min.${hostCheck}`,
    '',
    '| figure | min | median | max | target | met | notes |',
    '|---|---:|---:|---:|---:|:---:|---|',
    ...rows,
    '',
    'Where the time goes (median seconds per stage through the queues, warm workers):',
    '',
    `- 30-minute episode, audio only: ${stageLine(episode?.queuedStageSec) || 'n/a'}`,
    `- 30-minute episode with a transcript (stage B's text models run): ${stageLine(transcript?.queuedStageSec) || 'n/a'}`,
    '',
    '`npm run bench:models` and `npm run bench:pipeline` give per-model and per-stage figures;',
    '`npm run bench:redis` what an episode costs Redis: see [speed-stages.md](speed-stages.md).',
    '',
  ].join('\n');
}
