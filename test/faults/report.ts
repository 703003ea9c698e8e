import { appendFileSync, readFileSync } from 'node:fs';

/** One line of the fault suite's table. */
export interface ScenarioResult {
  scenario: string;
  /** Accepted submissions (requests answered 202, or enqueued); joined ones count each. */
  submitted: number;
  /** Distinct runs with their terminal row in the results table, read from the table. */
  rowsWritten: number;
  /** Distinct runs whose row waits in the dead-letter list (the table was down): not yet delivered, not lost. */
  deadLettered: number;
  /** Of the rows written: succeeded or deduplicated. */
  succeeded: number;
  /** Of the rows written: failed (or cancelled) by reason code. */
  failed: Record<string, number>;
  /** Runs a submission was answered with that have no row in the table and none waiting in the dead-letter list. Must be 0. */
  lost: number;
  /** Episodes with more than one run or result row for one submission. Must be 0. */
  duplicated: number;
  /** Seconds from the fault (or its end) to the pipeline working again; null when not applicable. */
  recoverySec: number | null;
  notes?: string;
}

const file = () => process.env.PODPREVIEW_FAULTS_REPORT;

export function record(r: ScenarioResult): void {
  const line = JSON.stringify(r);
  console.log(`fault scenario: ${line}`);
  const f = file();
  if (f) appendFileSync(f, `${line}\n`);
}

export function readResults(path: string): ScenarioResult[] {
  return readFileSync(path, 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((l) => JSON.parse(l) as ScenarioResult);
}

export function formatTable(rows: ScenarioResult[]): string {
  const head = ['scenario', 'submitted', 'rows written', 'dead-lettered', 'succeeded', 'failed (by reason)', 'lost', 'duplicated', 'recovery'];
  const body = rows.map((r) => [
    r.scenario,
    String(r.submitted),
    String(r.rowsWritten),
    String(r.deadLettered),
    String(r.succeeded),
    Object.entries(r.failed)
      .sort()
      .map(([k, v]) => `${k} ${v}`)
      .join(', ') || '0',
    String(r.lost),
    String(r.duplicated),
    r.recoverySec === null ? '-' : `${r.recoverySec.toFixed(1)} s`,
  ]);
  const widths = head.map((h, i) => Math.max(h.length, ...body.map((b) => b[i]!.length)));
  const line = (cells: string[]) => `| ${cells.map((c, i) => c.padEnd(widths[i]!)).join(' | ')} |`;
  const notes = rows.filter((r) => r.notes).map((r) => `- ${r.scenario}: ${r.notes}`);
  return [line(head), `|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`, ...body.map(line), ...(notes.length ? ['', ...notes] : [])].join('\n');
}
