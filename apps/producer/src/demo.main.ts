import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { createLogger, loadConfig } from '@podpreview/shared';
import { createBlobStore } from '@podpreview/storage';
import { clipLocations, outcomeTable, runEnqueue } from './enqueue.command.ts';

/**
 * `npm run demo [files…]`: the bundled sample episodes (plus any files given) end to end, on
 * the configured Redis or a private one, with every stage's worker in this process.
 */
const samplesDir = fileURLToPath(new URL('../../../samples', import.meta.url));
const config = loadConfig();
const log = createLogger(config.logLevel === 'info' ? 'warn' : config.logLevel, { app: 'demo' });
const started = performance.now();
// Re-running the demo should show the pipeline, not the dedup shortcut, so it forces.
const rows = await runEnqueue([samplesDir, ...process.argv.slice(2)], { wait: true, force: true }, config, log);
const blobs = createBlobStore(config);
process.stdout.write(`\n${outcomeTable(rows)}\n\nPreview clips:\n${clipLocations(rows, blobs)}`);
process.stdout.write(`\nResults table: ${config.sink.kind === 'local' ? config.sink.dbPath : `BigQuery ${config.sink.dataset}.${config.sink.table}`}\n`);
process.stdout.write(`Demo wall time: ${((performance.now() - started) / 1000).toFixed(1)} s (${path.relative(process.cwd(), samplesDir) || samplesDir})\n`);
if (rows.some((r) => r.status === 'failed')) process.exitCode = 2;
