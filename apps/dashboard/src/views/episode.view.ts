import { type EpisodeDetails, timelineSvg } from '@podpreview/ops';
import { STAGES } from '@podpreview/shared';
import { esc, ms, page } from './html.ts';

export function episodePage(d: EpisodeDetails, clipUrl: string | undefined): string {
  const r = d.result;
  const stages = STAGES.map(
    ({ name }) => `<tr><td>${esc(name)}</td><td>${esc(d.status?.stages[name] ?? '–')}</td><td>${ms(r?.stageTimingsMs[name])}</td></tr>`,
  ).join('');
  const error =
    r?.status === 'failed'
      ? `<p class="critical" id="error">Failed in <b>${esc(r.failedStage)}</b>: <code>${esc(r.errorCode)}</code> ${esc(r.errorMessage)}</p>`
      : '';
  const models = (r?.models ?? []).map((m) => `<li><code>${esc(m.id)}@${esc(m.version)}</code></li>`).join('');
  const body = `
<p>Run <code>${esc(d.runId)}</code>: <b id="state">${esc(r?.status ?? d.status?.state ?? 'unknown')}</b>${
    r?.previewStartSec != null
      ? `, preview ${r.previewStartSec.toFixed(1)}–${r.previewEndSec?.toFixed(1)} s, speech ${Math.round((r.speechFraction ?? 0) * 100)} %`
      : ''
  }${r ? `, ingest → preview ${ms(r.latencyMs)}` : ''}</p>
${error}
${clipUrl ? `<p><audio id="clip" controls preload="metadata" src="${esc(clipUrl)}"></audio></p>` : ''}
<h2>Why this window</h2>
${d.selection ? timelineSvg(d.selection) : '<p class="muted">No explanation stored for this run (it failed before selection, or it was deduplicated).</p>'}
${
  d.selection
    ? `<p class="muted">Path: ${esc(d.selection.path)}; contributions: ${esc(
        Object.entries(d.selection.choice.contributions)
          .map(([k, v]) => `${k} ${v}`)
          .join(', '),
      )}</p>`
    : ''
}
<h2>Stages</h2><table id="stages"><thead><tr><th>stage</th><th>state</th><th>time</th></tr></thead><tbody>${stages}</tbody></table>
<h2>Models</h2><ul id="models">${models || '<li class="muted">none recorded</li>'}</ul>`;
  return page(`episode ${d.episodeId}`, body);
}
