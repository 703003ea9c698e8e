import { createBullBoard } from '@bull-board/api';
import { BullMQAdapter } from '@bull-board/api/bullMQAdapter';
import { ExpressAdapter } from '@bull-board/express';
import express, { type Express } from 'express';
import { collectDefaultMetrics, Registry } from 'prom-client';
import { bullmqMetrics, episodeDetails, type Monitor, overviewCharts, queueMetricsRegistry, watchedQueues } from '@podpreview/ops';
import type { StageQueues } from '@podpreview/runs';
import { type BlobStore, type Config, displayUri, EpisodeId, hostAllowed, type Logger, type ResultsSink } from '@podpreview/shared';
import { clipSource } from '@podpreview/storage';
import { basicAuth } from './basic-auth.ts';
import { episodePage } from './views/episode.view.ts';
import { overviewPage } from './views/overview.view.ts';

export interface DashboardDeps {
  config: Config;
  queues: StageQueues;
  results: ResultsSink;
  blobs: BlobStore;
  monitor: Monitor;
  log: Logger;
}

/**
 * The on-call view: overview with alert states (`/`), one episode and why its preview was
 * picked (`/episodes/:id`), Bull Board (`/admin/queues`), queue gauges for Prometheus
 * (`/metrics`). Everything behind basic auth when users are configured.
 */
const CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  "script-src 'self'",
  // The pages' own <style>, Bull Board's inline styles and its web font.
  "style-src 'self' 'unsafe-inline' https://fonts.googleapis.com",
  "font-src 'self' https://fonts.gstatic.com data:",
  "img-src 'self' data:",
  "media-src 'self'",
  "connect-src 'self'",
  "frame-ancestors 'none'",
  "base-uri 'self'",
  "form-action 'self'",
].join('; ');

/** Job data as Bull Board shows it: input URLs without their query values (a signed URL's query is a credential). */
export function redactJobData(data: unknown): unknown {
  if (!data || typeof data !== 'object') return data;
  const out: Record<string, unknown> = { ...(data as Record<string, unknown>) };
  for (const field of ['audioUri', 'transcriptUri', 'url']) if (typeof out[field] === 'string') out[field] = displayUri(out[field] as string);
  return out;
}

export function createDashboard({ config, queues, results, blobs, monitor, log }: DashboardDeps): Express {
  const app = express();
  app.disable('x-powered-by');
  app.use((req, res, next) => {
    // Without users every caller is trusted (loopback binds only): a page elsewhere that rebinds
    // its own name to 127.0.0.1 sends that name as Host, and is refused.
    if (config.dashboard.users.length === 0 && !hostAllowed(req.get('host'), { bindHost: config.dashboard.host, allowed: config.allowedHosts })) {
      return void res.status(421).type('text/plain').send('this dashboard answers loopback names and PODPREVIEW_ALLOWED_HOSTS only');
    }
    // Not to be framed (clickjacking of Bull Board's buttons); scripts, media and data from here only.
    res.set({
      'x-frame-options': 'DENY',
      'x-content-type-options': 'nosniff',
      'content-security-policy': CONTENT_SECURITY_POLICY,
    });
    next();
  });
  // Readiness: the dashboard shows nothing true without Redis.
  app.get('/healthz', (_req, res) => {
    const ok = queues.redis.status === 'ready';
    res.status(ok ? 200 : 503).json({ ok, redis: queues.redis.status });
  });
  app.use(basicAuth(config.dashboard.users));

  // Every queue on this Redis the dashboard knows of: stages and callbacks, this variant's and the fallback's and staging's.
  const watched = watchedQueues(queues);
  const board = new ExpressAdapter();
  board.setBasePath('/admin/queues');
  createBullBoard({
    queues: watched.map((w) => {
      const adapter = new BullMQAdapter(w.queue, {
        readOnlyMode: config.dashboard.bullBoardReadOnly,
        // Queue names repeat across variants: the variant keeps them apart.
        prefix: w.variant === queues.variant ? '' : `${w.variant}/`,
        displayName: w.variant === queues.variant ? w.name : `${w.variant} ${w.name}`,
      });
      adapter.setFormatter('data', redactJobData);
      return adapter;
    }),
    serverAdapter: board,
    options: { uiConfig: { boardTitle: 'podpreview' } },
  });
  app.use('/admin/queues', board.getRouter());

  const metrics = new Registry();
  collectDefaultMetrics({ register: metrics, prefix: 'podpreview_dashboard_' });
  const registry = Registry.merge([metrics, queueMetricsRegistry(monitor)]);
  app.get('/metrics', async (_req, res, next) => {
    try {
      const [own, bullmq] = await Promise.all([registry.metrics(), bullmqMetrics(watched)]);
      res.type(registry.contentType).send(`${own}\n${bullmq}`);
    } catch (err) {
      next(err);
    }
  });

  app.get('/', async (_req, res, next) => {
    try {
      const [overview, history] = await Promise.all([monitor.current(), monitor.history()]);
      const charts = { hour: overviewCharts(history, 'hour'), day: overviewCharts(history, 'day') };
      res.type('html').send(overviewPage(overview, config.dashboard.refreshMs, charts));
    } catch (err) {
      next(err);
    }
  });
  app.get('/api/overview', async (_req, res, next) => {
    try {
      res.json(await monitor.current());
    } catch (err) {
      next(err);
    }
  });

  app.get('/episodes', (req, res) => {
    const id = EpisodeId.safeParse(req.query.id);
    if (id.success) res.redirect(`/episodes/${encodeURIComponent(id.data)}`);
    else res.status(400).type('text/plain').send('not an episode id');
  });
  app.get('/episodes/:id', async (req, res, next) => {
    try {
      const id = EpisodeId.safeParse(req.params.id);
      if (!id.success) return void res.status(400).type('text/plain').send('not an episode id');
      const details = await episodeDetails(queues, results, blobs, id.data);
      if (!details) return void res.status(404).type('text/plain').send(`no episode ${id.data}`);
      const clip = details.result?.clipKey ? `/episodes/${encodeURIComponent(id.data)}/clip` : undefined;
      res.type('html').send(episodePage(details, clip));
    } catch (err) {
      next(err);
    }
  });
  // The clip, with Range support so the player can seek (express's sendFile answers ranges).
  app.get('/episodes/:id/clip', async (req, res, next) => {
    try {
      const id = EpisodeId.safeParse(req.params.id);
      if (!id.success) return void res.status(400).end();
      const details = await episodeDetails(queues, results, blobs, id.data);
      const key = details?.result?.clipKey;
      if (!key) return void res.status(404).end();
      // Local clips are sent as files (Range support, `.data` allowed); remote ones from a copy for the length of the response.
      const source = await clipSource(blobs, key, { tempDir: config.tempDir });
      if (source.kind === 'copy') res.on('close', () => void source.cleanup());
      if (source.kind !== 'signed') res.type('audio/mpeg').sendFile(source.path, { dotfiles: 'allow' });
    } catch (err) {
      next(err);
    }
  });

  app.use((err: Error, _req: express.Request, res: express.Response, _next: express.NextFunction) => {
    log.error({ err: err.message }, 'dashboard request failed');
    res.status(503).type('text/plain').send('queue or results store unavailable');
  });
  return app;
}
