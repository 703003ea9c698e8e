import type { Server } from 'node:http';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { checkDashboardBind, createLogger, loadConfig } from '@podpreview/shared';
import { createBlobStore } from '@podpreview/storage';
import { clipLocations, outcomeTable, runEnqueue } from '@podpreview/producer/enqueue';

/**
 * `npm run demo [files…]`: the bundled sample episodes (plus any files given) end to end, on
 * the configured Redis or a private one, with every stage's worker in this process.
 * `npm run demo -- --serve` then keeps the workers running and serves the dashboard until ^C.
 */
const samplesDir = fileURLToPath(new URL('../../../samples', import.meta.url));
const args = process.argv.slice(2);
const serve = args.includes('--serve');
const files = args.filter((a) => a !== '--serve');
let config = loadConfig();
// The dashboard and Bull Board it serves trust every caller without users: refused off loopback, before anything starts.
if (serve) {
  try {
    checkDashboardBind(config.dashboard);
  } catch (err) {
    process.stderr.write(`npm run demo -- --serve: ${(err as Error).message}\n`);
    process.exit(1);
  }
}
const log = createLogger(config.logLevel === 'info' ? 'warn' : config.logLevel, { app: 'demo' }, config);
const started = performance.now();

// Serving needs the pipeline (and its Redis) to outlive the sample runs: start it here.
const { startLocalPipeline } = serve ? await import('@podpreview/pipeline/worker') : { startLocalPipeline: undefined };
const pipeline = startLocalPipeline
  ? await startLocalPipeline({ ...config, inputs: { ...config.inputs, roots: [...config.inputs.roots, samplesDir] } }, log)
  : undefined;
if (pipeline && typeof pipeline.redis === 'string') config = { ...config, redisUrl: pipeline.redis };

// Re-running the demo should show the pipeline, not the dedup shortcut, so it forces.
const rows = await runEnqueue([samplesDir, ...files], { wait: true, force: true }, config, log);
const blobs = createBlobStore(config);
process.stdout.write(`\n${outcomeTable(rows)}\n\nPreview clips:\n${clipLocations(rows, blobs)}`);
process.stdout.write(`\nResults table: ${config.sink.kind === 'local' ? config.sink.dbPath : `BigQuery ${config.sink.dataset}.${config.sink.table}`}\n`);
process.stdout.write(`Demo wall time: ${((performance.now() - started) / 1000).toFixed(1)} s (${path.relative(process.cwd(), samplesDir) || samplesDir})\n`);
if (rows.some((r) => r.status === 'failed')) process.exitCode = 2;

if (pipeline) {
  const [{ createDashboard }, { startMonitor }, { createResultsSink }] = await Promise.all([
    import('@podpreview/dashboard/app'),
    import('@podpreview/ops'),
    import('@podpreview/storage'),
  ]);
  const queues = pipeline.fleet.queues;
  const results = createResultsSink(config);
  const monitor = startMonitor({ queues, results, config, log });
  const app = createDashboard({ config, queues, results, blobs, monitor, log });
  const server = await new Promise<Server>((resolve, reject) => {
    const s = app.listen(config.dashboard.port, config.dashboard.host, () => resolve(s));
    s.once('error', reject);
  });
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : config.dashboard.port;
  process.stdout.write(
    `\nDashboard: http://${config.dashboard.host}:${port}/  (Bull Board: /admin/queues; workers and Redis: ${pipeline.redisUrl}; ^C stops)\n`,
  );
  const stop = async () => {
    monitor.stop();
    server.closeAllConnections();
    server.close();
    await results.close();
    await pipeline.stop();
    process.exit(process.exitCode ?? 0);
  };
  process.once('SIGINT', () => void stop());
  process.once('SIGTERM', () => void stop());
}
