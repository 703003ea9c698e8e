import type { Overview } from '@podpreview/ops';
import { esc, ms, page } from './html.ts';

const pct = (r: number) => `${(r * 100).toFixed(1)} %`;

/** The overview: this variant's stage queues with alert states, every other queue, the charts, the last hour's runs. */
export function overviewPage(o: Overview, refreshMs: number, charts: { hour: string[]; day: string[] }): string {
  const rows = o.queues
    .map(
      (q) => `<tr class="${q.alert.level}" data-stage="${esc(q.stage)}">
<td>${esc(q.stage)}</td><td data-field="waiting">${q.waiting}</td><td data-field="active">${q.active}</td><td data-field="delayed">${q.delayed}</td><td data-field="failed">${q.failed}</td>
<td data-field="done">${q.completedLastMin}</td><td>${q.oldestWaitingSec > 0 ? `${q.oldestWaitingSec.toFixed(0)} s` : '–'}</td><td>${ms(q.processingP50Ms)}</td><td>${ms(q.processingP95Ms)}</td>
<td>${pct(q.failureRate)}</td><td data-field="workers">${q.workers}</td>
<td class="level" data-field="alert">${q.alert.level}</td><td class="muted" style="text-align:left">${esc(q.alert.reasons.join('; '))}</td></tr>`,
    )
    .join('');
  const others = o.others
    .map(
      (
        q,
      ) => `<tr data-queue="${esc(q.key)}"><td>${esc(q.variant)}</td><td>${esc(q.name)}</td><td data-field="waiting">${q.waiting}</td><td data-field="active">${q.active}</td>
<td data-field="delayed">${q.delayed}</td><td data-field="failed">${q.failed}</td><td data-field="done">${q.completedLastMin}</td><td>${q.oldestWaitingSec > 0 ? `${q.oldestWaitingSec.toFixed(0)} s` : '–'}</td>
<td>${pct(q.failureRate)}</td><td data-field="workers">${q.workers}</td></tr>`,
    )
    .join('');
  const failures = Object.entries(o.failuresByReason).sort((a, b) => b[1] - a[1]);
  const body = `
<p class="muted">As of ${esc(new Date(o.atMs).toISOString())}; refreshes every ${(refreshMs / 1000).toFixed(0)} s. Done / min: the last whole minute (BullMQ's metrics); p50/p95: runs of the last hour.</p>
<table id="queues"><thead><tr><th>stage</th><th>waiting</th><th>active</th><th>delayed</th><th>failed</th><th>done / min</th><th>oldest waiting</th><th>p50</th><th>p95</th><th>failure rate</th><th>workers</th><th>alert</th><th>why</th></tr></thead><tbody>${rows}</tbody></table>
<h2>Other queues</h2>
<table id="other-queues"><thead><tr><th>variant</th><th>queue</th><th>waiting</th><th>active</th><th>delayed</th><th>failed</th><th>done / min</th><th>oldest waiting</th><th>failure rate</th><th>workers</th></tr></thead><tbody>${others}</tbody></table>
<p id="dead-letters" class="${o.deadLetterRows > 0 ? 'warn' : 'muted'}">Result rows waiting for the results table: ${o.deadLetterRows}</p>
<h2>Trends</h2>
<div id="charts" class="charts">${charts.hour.map((h, i) => `<div class="chart-pair">${h}${charts.day[i] ?? ''}</div>`).join('')}</div>
<h2>Last hour</h2>
<p id="latency">Ingest → preview over ${o.latency.runs} runs: p50 ${ms(o.latency.p50Ms)}, p95 ${ms(o.latency.p95Ms)}</p>
<table id="failures"><thead><tr><th>failure reason</th><th>runs</th></tr></thead><tbody>${
    failures.length > 0
      ? failures.map(([code, n]) => `<tr><td><code>${esc(code)}</code></td><td>${n}</td></tr>`).join('')
      : '<tr><td colspan="2" class="muted">none</td></tr>'
  }</tbody></table>
<form action="/episodes" method="get"><label>Episode <input name="id" required pattern="[A-Za-z0-9][A-Za-z0-9._-]*"></label> <button>show</button></form>`;
  return page('podpreview', body, { refreshSec: Math.max(1, Math.round(refreshMs / 1000)) });
}
