import { STAGE_NAMES, type StageName } from '@podpreview/shared';
import type { History } from './history.ts';
import { percentile } from './queue-stats.ts';

/** One line of a chart; null values are gaps (no point recorded). */
export interface ChartLine {
  name: string;
  color: string;
  values: (number | null)[];
  /** Thin for the secondary lines (per-stage latencies under the ingest figures). */
  thin?: boolean;
}

export interface ChartSpec {
  /** `backlog`, `throughput`, `latency`: the `data-chart` attribute. */
  id: string;
  window: ChartWindow;
  title: string;
  unit: string;
  fromMs: number;
  stepMs: number;
  lines: ChartLine[];
}

export type ChartWindow = 'hour' | 'day';
const WINDOWS: Record<ChartWindow, { minutes: number; stepMin: number }> = { hour: { minutes: 60, stepMin: 1 }, day: { minutes: 1440, stepMin: 10 } };

const STAGE_COLORS: Record<StageName, string> = {
  preprocess: '#1565c0',
  'ensemble-a': '#2e7d32',
  'ensemble-b': '#6a1b9a',
  selection: '#ef6c00',
  sink: '#c62828',
};

const W = 560;
const H = 210;
const PAD = { left: 52, right: 12, top: 26, bottom: 58 };

const esc = (v: string) => v.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
const hhmm = (ms: number) => new Date(ms).toISOString().slice(11, 16);
/** 1, 2, 5 × 10^n at or above v, so the axis ends on a round number. */
function niceMax(v: number): number {
  if (!(v > 0)) return 1;
  const mag = 10 ** Math.floor(Math.log10(v));
  return ([1, 2, 5, 10].find((m) => m * mag >= v) ?? 10) * mag;
}
const fmt = (v: number, unit: string) =>
  unit === 's' ? `${v >= 10 ? v.toFixed(0) : v.toFixed(1)} s` : v >= 1000 ? `${(v / 1000).toFixed(1)}k` : `${+v.toFixed(1)}`;

/**
 * A line chart as an SVG element, drawn on the server (no script, no CDN): a round y axis from
 * 0, UTC times on the x axis, a legend, one path per line (`data-series`), broken where a value
 * is missing.
 */
export function lineChart(c: ChartSpec): string {
  const n = Math.max(1, ...c.lines.map((l) => l.values.length));
  const max = niceMax(Math.max(0, ...c.lines.flatMap((l) => l.values.filter((v): v is number => v !== null))));
  const plotW = W - PAD.left - PAD.right;
  const plotH = H - PAD.top - PAD.bottom;
  const x = (i: number) => PAD.left + (n <= 1 ? 0 : (i / (n - 1)) * plotW);
  const y = (v: number) => PAD.top + plotH - (v / max) * plotH;
  const grid = [0, 0.5, 1]
    .map((f) => {
      const gy = y(max * f).toFixed(1);
      return `<line x1="${PAD.left}" x2="${W - PAD.right}" y1="${gy}" y2="${gy}" stroke="#e0e0e0"/><text x="${PAD.left - 6}" y="${gy}" dy="4" text-anchor="end">${fmt(max * f, c.unit)}</text>`;
    })
    .join('');
  // The last label is the window's end (now), anchored so it stays inside the picture.
  const times = [
    [0, 'start', c.fromMs],
    [Math.floor((n - 1) / 2), 'middle', c.fromMs + Math.floor((n - 1) / 2) * c.stepMs],
    [n - 1, 'end', c.fromMs + n * c.stepMs],
  ]
    .map(([i, anchor, t]) => `<text x="${x(i as number).toFixed(1)}" y="${PAD.top + plotH + 16}" text-anchor="${anchor}">${hhmm(t as number)}</text>`)
    .join('');
  const paths = c.lines
    .map((l) => {
      let d = '';
      let pen = false;
      l.values.forEach((v, i) => {
        if (v === null) {
          pen = false;
          return;
        }
        d += `${pen ? 'L' : 'M'}${x(i).toFixed(1)},${y(v).toFixed(1)}`;
        pen = true;
      });
      // A value with no neighbour draws no line: a dot shows it (the current minute, a lone recorded one).
      const dots = l.values
        .map((v, i) =>
          v !== null && (l.values[i - 1] ?? null) === null && (l.values[i + 1] ?? null) === null
            ? `<circle cx="${x(i).toFixed(1)}" cy="${y(v).toFixed(1)}" r="2.5" fill="${l.color}"/>`
            : '',
        )
        .join('');
      const values = l.values.filter((v): v is number => v !== null);
      const last = values.at(-1);
      return `<path data-series="${esc(l.name)}" data-points="${values.length}" data-sum="${+values.reduce((a, b) => a + b, 0).toFixed(3)}" data-last="${last === undefined ? '' : +last.toFixed(3)}" d="${d || 'M0,0'}" fill="none" stroke="${l.color}" stroke-width="${l.thin ? 1 : 2}"${l.thin ? ' stroke-dasharray="4 3"' : ''}/>${dots}`;
    })
    .join('');
  const legend = c.lines
    .map((l, i) => {
      const lx = PAD.left + (i % 4) * 128;
      const ly = H - 26 + Math.floor(i / 4) * 14;
      return `<rect x="${lx}" y="${ly - 8}" width="10" height="3" fill="${l.color}"/><text x="${lx + 14}" y="${ly - 4}">${esc(l.name)}</text>`;
    })
    .join('');
  return `<svg class="chart" data-chart="${esc(c.id)}" data-window="${c.window}" xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}" viewBox="0 0 ${W} ${H}" role="img" aria-label="${esc(c.title)}" font-family="system-ui,sans-serif" font-size="11" fill="#444"><text x="${PAD.left}" y="14" font-size="13" font-weight="600" fill="#222">${esc(c.title)}</text>${grid}${times}<line x1="${PAD.left}" x2="${PAD.left}" y1="${PAD.top}" y2="${PAD.top + plotH}" stroke="#9e9e9e"/>${paths}${legend}</svg>`;
}

/** Buckets of `stepMin` minutes over the window ending with the current minute; each gets what `pick` makes of its values. */
function bucket<T>(window: ChartWindow, nowMs: number, items: { atMs: number; v: T }[], pick: (vs: T[]) => number | null) {
  const { minutes, stepMin } = WINDOWS[window];
  const stepMs = stepMin * 60_000;
  const endMs = (Math.floor(nowMs / 60_000) + 1) * 60_000;
  const fromMs = endMs - minutes * 60_000;
  const groups: T[][] = Array.from({ length: minutes / stepMin }, () => []);
  for (const it of items) {
    const i = Math.floor((it.atMs - fromMs) / stepMs);
    if (i >= 0 && i < groups.length) groups[i]!.push(it.v);
  }
  return { fromMs, stepMs, values: groups.map((g) => (g.length === 0 ? null : pick(g))) };
}

const max = (vs: (number | null)[]) => {
  const xs = vs.filter((v): v is number => v !== null);
  return xs.length === 0 ? null : Math.max(...xs);
};
const median = (vs: (number | null)[]) =>
  percentile(
    vs.filter((v): v is number => v !== null).sort((a, b) => a - b),
    0.5,
  );
const mean = (vs: number[]) => vs.reduce((a, b) => a + b, 0) / vs.length;

/**
 * The overview's three charts over one window, per stage: backlog (jobs waiting; over a day the
 * highest of each 10 minutes), throughput (jobs done per minute, from BullMQ's own metrics; over
 * a day the mean of each 10 minutes) and ingest→preview p50/p95 with each stage's p95 (over a
 * day the median p50 and the highest p95 of each 10 minutes).
 */
export function overviewCharts(h: History, window: ChartWindow): string[] {
  const points = h.points.map((p) => ({ atMs: p.atMs, v: p }));
  const backlog = STAGE_NAMES.map((s) => ({ s, b: bucket(window, h.atMs, points, (ps) => Math.max(...ps.map((p) => p.backlog[s]))) }));
  const done = STAGE_NAMES.map((s) => ({
    s,
    b: bucket(
      window,
      h.atMs,
      h.throughput.perMinute[s].map((v, i) => ({ atMs: h.throughput.fromMs + i * 60_000, v })),
      mean,
    ),
  }));
  const p50 = bucket(window, h.atMs, points, (ps) => median(ps.map((p) => p.ingestP50Ms)));
  const p95 = bucket(window, h.atMs, points, (ps) => max(ps.map((p) => p.ingestP95Ms)));
  const stageP95 = STAGE_NAMES.map((s) => ({ s, b: bucket(window, h.atMs, points, (ps) => max(ps.map((p) => p.stageP95Ms[s]))) }));
  const sec = (vs: (number | null)[]) => vs.map((v) => (v === null ? null : v / 1000));
  const label = window === 'hour' ? 'last hour' : 'last day';
  const { fromMs, stepMs } = p50;
  return [
    lineChart({
      id: 'backlog',
      window,
      title: `Backlog, jobs waiting (${label})`,
      unit: '',
      fromMs,
      stepMs,
      lines: backlog.map(({ s, b }) => ({ name: s, color: STAGE_COLORS[s], values: b.values })),
    }),
    lineChart({
      id: 'throughput',
      window,
      title: `Throughput, jobs done per minute (${label})`,
      unit: '',
      fromMs,
      stepMs,
      lines: done.map(({ s, b }) => ({ name: s, color: STAGE_COLORS[s], values: b.values })),
    }),
    lineChart({
      id: 'latency',
      window,
      title: `Ingest → preview p50 / p95, stage p95 (${label})`,
      unit: 's',
      fromMs,
      stepMs,
      lines: [
        { name: 'ingest→preview p50', color: '#455a64', values: sec(p50.values) },
        { name: 'ingest→preview p95', color: '#000000', values: sec(p95.values) },
        ...stageP95.map(({ s, b }) => ({ name: `${s} p95`, color: STAGE_COLORS[s], values: sec(b.values), thin: true })),
      ],
    }),
  ];
}
