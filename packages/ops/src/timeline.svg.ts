import type { SelectionBlob } from '@podpreview/shared';

const TRACKS: { key: string; label: string; colour: string }[] = [
  { key: 'speech', label: 'speech', colour: '#2f7d32' },
  { key: 'music', label: 'music', colour: '#6a4fb3' },
  { key: 'ad', label: 'ad', colour: '#c62828' },
  { key: 'introOutro', label: 'intro/outro', colour: '#ef6c00' },
  { key: 'longSilence', label: 'silence', colour: '#757575' },
  { key: 'centrality', label: 'topicality', colour: '#1565c0' },
  { key: 'otherVoice', label: 'other voice', colour: '#ad1457' },
  { key: 'monologue', label: 'monologue', colour: '#00838f' },
];

const esc = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

/**
 * The episode's evidence over time, one lane per model (0..1 per second), with the chosen
 * window shaded: why the preview starts where it does, at a glance. Plain SVG, no script.
 */
export function timelineSvg(sel: SelectionBlob, width = 960): string {
  const laneH = 28;
  const left = 90;
  const plotW = width - left - 10;
  const seconds = Math.max(1, ...Object.values(sel.timelinePerSec).map((v) => v.length));
  const x = (sec: number) => left + (sec / seconds) * plotW;
  const lanes = TRACKS.filter((t) => sel.timelinePerSec[t.key]);
  const height = lanes.length * laneH + 30;
  const parts: string[] = [];
  parts.push(
    `<rect class="chosen" x="${x(sel.choice.startSec).toFixed(1)}" y="0" width="${(x(sel.choice.endSec) - x(sel.choice.startSec)).toFixed(1)}" height="${lanes.length * laneH}" fill="#ffd54f" fill-opacity="0.35"/>`,
  );
  lanes.forEach((t, i) => {
    const values = sel.timelinePerSec[t.key]!;
    const y0 = i * laneH;
    const points = values.map((v, s) => `${x(s).toFixed(1)},${(y0 + laneH - 4 - Math.max(0, Math.min(1, v)) * (laneH - 8)).toFixed(1)}`);
    parts.push(`<text x="4" y="${y0 + laneH / 2 + 4}" font-size="12">${esc(t.label)}</text>`);
    parts.push(`<line x1="${left}" x2="${left + plotW}" y1="${y0 + laneH - 4}" y2="${y0 + laneH - 4}" stroke="#ddd"/>`);
    if (points.length > 0)
      parts.push(`<polyline data-track="${esc(t.key)}" fill="none" stroke="${t.colour}" stroke-width="1.5" points="${points.join(' ')}"/>`);
  });
  const axisY = lanes.length * laneH + 16;
  for (let s = 0; s <= seconds; s += Math.max(10, Math.round(seconds / 10 / 10) * 10)) {
    parts.push(`<text x="${x(s).toFixed(1)}" y="${axisY}" font-size="10" text-anchor="middle">${s}s</text>`);
  }
  const title = `chosen window ${sel.choice.startSec.toFixed(1)}–${sel.choice.endSec.toFixed(1)} s, speech ${Math.round(sel.choice.speechFraction * 100)} %`;
  return `<svg xmlns="http://www.w3.org/2000/svg" role="img" aria-label="${esc(title)}" class="timeline" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}"><title>${esc(title)}</title>${parts.join('')}</svg>`;
}
