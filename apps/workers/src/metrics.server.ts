import http from 'node:http';
import type { Logger } from '@podpreview/shared';
import { type Fleet, fleetHealth, workerMetricsRegistry } from '@podpreview/pipeline/worker';

/**
 * `/metrics` for Prometheus (jobs, stage time, model batches and latency, process) and
 * `/healthz` for the orchestrator: 200 while every worker of this process is running and none
 * of its Redis connections has closed for good (fleetHealth). Neither asks for a credential, so
 * they listen on `host` (PODPREVIEW_WORKER_METRICS_HOST: loopback unless a scraper elsewhere
 * needs them), and a fault is answered with its status only, never its message.
 */
export function startMetricsServer(o: { port: number; host: string; fleet: () => Fleet | undefined; log: Logger }): Promise<http.Server> {
  const registry = workerMetricsRegistry();
  const server = http.createServer((req, res) => {
    void (async () => {
      if (req.url === '/metrics') {
        const text = await registry.metrics();
        res.writeHead(200, { 'content-type': registry.contentType });
        res.end(text);
      } else if (req.url === '/healthz') {
        // Listening starts before the models load, so a probe sees "starting", not a refusal.
        const health = fleetHealth(o.fleet());
        res.writeHead(health.ok ? 200 : 503, { 'content-type': 'application/json' });
        res.end(JSON.stringify(health));
      } else {
        res.writeHead(404).end();
      }
    })().catch((err: unknown) => {
      o.log.error({ err: String(err), url: req.url }, 'metrics endpoint failed');
      if (!res.headersSent) res.writeHead(500, { 'content-type': 'text/plain' });
      res.end('internal error');
    });
  });
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(o.port, o.host, () => resolve(server));
  });
}
