/** Escapes text for HTML element content and attribute values. */
export const esc = (v: unknown): string => String(v ?? '').replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

const STYLE = `
body{font:14px/1.4 system-ui,sans-serif;margin:24px;color:#222}
table{border-collapse:collapse;margin:8px 0 20px}th,td{border:1px solid #ddd;padding:4px 8px;text-align:right}
th:first-child,td:first-child{text-align:left}th{background:#f5f5f5}
.ok{background:#e8f5e9}.warn{background:#fff8e1}.critical{background:#ffebee}
.level{font-weight:600;text-transform:uppercase}.muted{color:#777}a{color:#1565c0}
nav a{margin-right:16px}code{background:#f5f5f5;padding:1px 4px}
.chart-pair{display:flex;flex-wrap:wrap;gap:12px;margin-bottom:12px}svg.chart{border:1px solid #eee;background:#fff}
`;

/** One page: no scripts or styles from anywhere but here. */
export function page(title: string, body: string, o: { refreshSec?: number } = {}): string {
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>${esc(title)}</title>${
    o.refreshSec ? `<meta http-equiv="refresh" content="${o.refreshSec}">` : ''
  }<style>${STYLE}</style></head><body><nav><a href="/">overview</a><a href="/admin/queues">Bull Board</a><a href="/metrics">metrics</a></nav><h1>${esc(title)}</h1>${body}</body></html>`;
}

export const ms = (v: number | null | undefined) =>
  v === null || v === undefined ? '–' : v >= 10_000 ? `${(v / 1000).toFixed(0)} s` : v >= 1000 ? `${(v / 1000).toFixed(1)} s` : `${Math.round(v)} ms`;
