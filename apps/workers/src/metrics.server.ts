import http from 'node:http';
import { type Fleet, fleetHealth, workerMetricsRegistry } from '@podpreview/pipeline/worker';

/**
 * `/metrics` for Prometheus (jobs, stage time, model batches and latency, process) and
 * `/healthz` for the orchestrator: 200 while every worker of this process is running and none
 * of its Redis connections has closed for good (fleetHealth).
 */
export function startMetricsServer(port: number, fleet: () => Fleet | undefined): Promise<http.Server> {
  const registry = workerMetricsRegistry();
  const server = http.createServer((req, res) => {
    void (async () => {
      if (req.url === '/metrics') {
        res.writeHead(200, { 'content-type': registry.contentType });
        res.end(await registry.metrics());
      } else if (req.url === '/healthz') {
        // Listening starts before the models load, so a probe sees "starting", not a refusal.
        const health = fleetHealth(fleet());
        res.writeHead(health.ok ? 200 : 503, { 'content-type': 'application/json' });
        res.end(JSON.stringify(health));
      } else {
        res.writeHead(404).end();
      }
    })().catch((err: unknown) => res.writeHead(500).end(String(err)));
  });
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, () => resolve(server));
  });
}
