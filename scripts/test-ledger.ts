import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Reporter, TestModule } from 'vitest/node';

/**
 * Where each vitest run writes what it ran: `npm test` reads these after the whole suite to
 * print which test files ran and which tests were skipped, and why.
 */
export const LEDGER_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '.data', 'test-ledger');

export interface LedgerEntry {
  cwd: string;
  files: { file: string; state: string }[];
  skipped: { file: string; name: string; note: string | null }[];
  failed: number;
}

/** A vitest reporter that leaves one JSON file per run in LEDGER_DIR. */
export class LedgerReporter implements Reporter {
  onTestRunEnd(modules: ReadonlyArray<TestModule>): void {
    const entry: LedgerEntry = { cwd: process.cwd(), files: [], skipped: [], failed: 0 };
    for (const m of modules) {
      const file = path.relative(path.dirname(LEDGER_DIR), m.moduleId).replace(/^\.\.\//, '');
      entry.files.push({ file, state: m.state() });
      for (const t of m.children.allTests()) {
        const r = t.result();
        if (r.state === 'skipped') entry.skipped.push({ file, name: t.fullName, note: r.note ?? null });
        if (r.state === 'failed') entry.failed += 1;
      }
    }
    mkdirSync(LEDGER_DIR, { recursive: true });
    writeFileSync(path.join(LEDGER_DIR, `${process.pid}-${Date.now()}.json`), JSON.stringify(entry));
  }
}
