import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { formatTable, readResults } from './report.ts';

/** Collects every scenario's line into one table, printed once the suite is done. */
export default function setup() {
  const dir = mkdtempSync(path.join(tmpdir(), 'podpreview-faults-'));
  const report = path.join(dir, 'results.jsonl');
  writeFileSync(report, '');
  process.env.PODPREVIEW_FAULTS_REPORT = report;
  return () => {
    const rows = readResults(report);
    console.log(`\nFault suite (${rows.length} scenarios):\n${formatTable(rows)}\n`);
    rmSync(dir, { recursive: true, force: true });
  };
}
