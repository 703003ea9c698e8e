import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import type { Fleet } from '@podpreview/pipeline/worker';
import { createLogger, loadConfig } from '@podpreview/shared';
import { startMetricsServer } from './metrics.server.ts';

const log = createLogger('silent');
const servers: { close(): void }[] = [];
afterEach(() => {
  for (const s of servers.splice(0)) s.close();
});

describe('worker /metrics and /healthz', () => {
  it('listen on loopback by default (PODPREVIEW_WORKER_METRICS_HOST)', async () => {
    const config = loadConfig({});
    expect(config.workerMetricsHost).toBe('127.0.0.1');
    const server = await startMetricsServer({ port: 0, host: config.workerMetricsHost, fleet: () => undefined, log });
    servers.push(server);
    expect((server.address() as AddressInfo).address).toBe('127.0.0.1');
    const port = (server.address() as AddressInfo).port;
    const starting = await fetch(`http://127.0.0.1:${port}/healthz`);
    expect(starting.status).toBe(503);
    expect(await starting.json()).toEqual({ ok: false, starting: true });
    expect((await fetch(`http://127.0.0.1:${port}/metrics`)).status).toBe(200);
  });

  it('answer a fault with 500 and no message', async () => {
    const broken = (): Fleet => {
      throw new Error('ECONNREFUSED redis://:hunter2@10.0.0.5:6379 /var/lib/secret');
    };
    const server = await startMetricsServer({ port: 0, host: '127.0.0.1', fleet: broken, log });
    servers.push(server);
    const res = await fetch(`http://127.0.0.1:${(server.address() as AddressInfo).port}/healthz`);
    expect(res.status).toBe(500);
    const text = await res.text();
    expect(text).toBe('internal error');
  });
});
