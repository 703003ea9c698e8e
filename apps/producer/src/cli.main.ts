import { readFileSync } from 'node:fs';
import { Command, InvalidArgumentError, Option } from 'commander';

// Nothing but commander at the top: `--help` must not wait for zod, pino or any SDK.
const shared = () => import('@podpreview/shared');

const VERSION = (JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version: string }).version;

/** Documented in the README ("Using it"); scripts tell "retry later" (3) from "fix the call" (1). */
const EXIT_CODES = `
Exit codes:
  0  everything asked for succeeded
  1  an error: bad arguments or configuration, a timeout, something not found
  2  an episode failed (the others still ran; the reasons are in the output)
  3  a dependency (Redis, the results table) is unreachable: retry later`;

const examples = (...lines: string[]) => `\nExamples:\n${lines.map((l) => `  $ ${l}`).join('\n')}`;

const positiveNumber = (v: string) => {
  const n = Number(v);
  if (!Number.isFinite(n) || n <= 0) throw new InvalidArgumentError('a positive number');
  return n;
};
const port = (v: string) => {
  const n = Number(v);
  if (!Number.isInteger(n) || n < 0 || n > 65535) throw new InvalidArgumentError('a port number (0: any free port)');
  return n;
};

/**
 * Configuration as config.ts reads it, with what the command line said on top (flags beat
 * their environment variables, which commander already folded into the options).
 */
async function configWith(overrides: Record<string, string | number | undefined>) {
  const { childEnv, loadConfig } = await shared();
  return loadConfig(childEnv(Object.fromEntries(Object.entries(overrides).map(([k, v]) => [k, v === undefined ? undefined : String(v)]))));
}

/**
 * `podpreview`: each command loads its own code when it runs, so `--help` and `status` start
 * without the storage SDKs, and nothing here ever loads models or stage code up front.
 */
const program = new Command('podpreview')
  .description('60-second previews of podcast episodes')
  .version(VERSION, '-V, --version', 'print the version and exit')
  .addOption(new Option('-r, --redis-url <url>', 'Redis of the queues (unset: enqueue --wait starts a private one)').env('REDIS_URL'))
  .showHelpAfterError()
  .addHelpText('after', `${EXIT_CODES}\n\nEvery setting is an environment variable too: see the README's Configuration table.`);

const globals = () => program.opts<{ redisUrl?: string }>();

program
  .command('enqueue')
  .description('enqueue audio files, directories of them, a manifest.jsonl, or https:// and gs:// URIs')
  .argument('<inputs...>', 'audio file, directory, manifest.jsonl, https:// or gs:// URI')
  .option('-t, --transcript <file>', 'WebVTT/SRT transcript (file or URI) for a single episode')
  .option('-i, --id <id>', 'episode id for a single episode (default: file name)')
  .option('-p, --priority', 'jump the queue in every stage', false)
  .option('-f, --force', 'reprocess even if this audio was processed before', false)
  .option('-w, --wait', 'follow the episodes to the end and print the results', false)
  .option('-j, --json', 'one JSON object per episode on stdout (id, runId, status, preview, speechFraction, latencyMs, clip, joined)', false)
  .addOption(
    new Option('--timeout <seconds>', 'with --wait: stop waiting after this long (exit 1; the runs go on)')
      .env('PODPREVIEW_ENQUEUE_TIMEOUT_SEC')
      .argParser(positiveNumber),
  )
  .addHelpText(
    'after',
    examples(
      'podpreview enqueue episode.mp3 -t episode.vtt --wait',
      'podpreview enqueue episodes/ -w -j                 # NAME.vtt/.srt beside NAME.mp3',
      'podpreview enqueue https://cdn.example.com/ep-42.mp3 --id ep-42 --priority',
      'podpreview enqueue manifest.jsonl                 # {id, audioUri, transcriptUri?, priority?} a line',
    ),
  )
  .action(
    async (inputs: string[], o: { transcript?: string; id?: string; priority: boolean; force: boolean; wait: boolean; json: boolean; timeout?: number }) => {
      const { createLogger } = await shared();
      const config = await configWith({ REDIS_URL: globals().redisUrl });
      const log = createLogger(o.json ? 'warn' : config.logLevel === 'info' ? 'warn' : config.logLevel, {}, config);
      const { clipLocations, outcomeJsonLines, outcomeTable, runEnqueue } = await import('./enqueue.command.ts');
      const rows = await runEnqueue(inputs, { ...o, timeoutSec: o.timeout ?? config.enqueueTimeoutSec }, config, log);
      const { createBlobStore } = await import('@podpreview/storage');
      const blobs = createBlobStore(config);
      if (o.json || !o.wait) process.stdout.write(`${outcomeJsonLines(rows, blobs)}\n`);
      else process.stdout.write(`${outcomeTable(rows)}\n${clipLocations(rows, blobs)}`);
      if (rows.some((r) => r.status === 'failed')) process.exitCode = 2;
    },
  );

program
  .command('get')
  .description('an episode: its newest run, status, preview, clip and error code')
  .argument('<id>', 'episode id')
  .option('-j, --json', 'as GET /v1/episodes/:id answers it', false)
  .addHelpText('after', examples('podpreview get interview', 'podpreview get interview --json | jq .clip.url'))
  .action(async (id: string, o: { json: boolean }) => {
    const config = await configWith({ REDIS_URL: globals().redisUrl });
    const { episodeText, getEpisode } = await import('./get.command.ts');
    const episode = await getEpisode(config, id);
    if (!episode) throw new Error(`no episode ${id}`);
    process.stdout.write(`${o.json ? JSON.stringify(episode) : episodeText(episode)}\n`);
    if (episode.status === 'failed') process.exitCode = 2;
  });

program
  .command('retry')
  .description('enqueue a run again with what was submitted for it (while its record lasts, PODPREVIEW_RUN_STATE_TTL_MS)')
  .argument('<runId>', 'the run to retry')
  .option('-f, --force', 'reprocess even if this audio was processed before', false)
  .option('-w, --wait', 'follow the new run to the end', false)
  .option('-j, --json', 'one JSON object on stdout', false)
  .addOption(new Option('--timeout <seconds>', 'with --wait: stop waiting after this long').env('PODPREVIEW_ENQUEUE_TIMEOUT_SEC').argParser(positiveNumber))
  .addHelpText('after', examples('podpreview retry 3f2c9a7e-…', 'podpreview retry 3f2c9a7e-… --force --wait'))
  .action(async (runId: string, o: { force: boolean; wait: boolean; json: boolean; timeout?: number }) => {
    const { createLogger, EnqueueRequest } = await shared();
    const config = await configWith({ REDIS_URL: globals().redisUrl });
    const redis = (await shared()).redisTargetOf(config);
    if (!redis)
      throw new Error('REDIS_URL is not set (nor PODPREVIEW_REDIS_SENTINELS or PODPREVIEW_REDIS_CLUSTER_NODES): retry reads the run from the Redis it ran on');
    const { closeQueues, connectRedis, createQueues, readRunRecord } = await import('@podpreview/pipeline/client');
    const queues = createQueues(await connectRedis(redis, 'client', config.redisConnectTimeoutMs), config);
    const record = await readRunRecord(queues.redis, queues.prefix, runId).finally(() => closeQueues(queues));
    if (!record?.request) throw new Error(`run ${runId} is not known (never, or longer ago than PODPREVIEW_RUN_STATE_TTL_MS)`);
    const request = EnqueueRequest.parse({ id: record.episodeId, ...record.request, force: o.force });
    const log = createLogger(o.json ? 'warn' : config.logLevel === 'info' ? 'warn' : config.logLevel, {}, config);
    const { clipLocations, outcomeJsonLines, outcomeTable, runRequests } = await import('./enqueue.command.ts');
    const rows = await runRequests([request], { wait: o.wait, json: o.json, timeoutSec: o.timeout ?? config.enqueueTimeoutSec }, config, log);
    const { createBlobStore } = await import('@podpreview/storage');
    const blobs = createBlobStore(config);
    if (o.json || !o.wait) process.stdout.write(`${outcomeJsonLines(rows, blobs)}\n`);
    else process.stdout.write(`${outcomeTable(rows)}\n${clipLocations(rows, blobs)}`);
    if (rows.some((r) => r.status === 'failed')) process.exitCode = 2;
  });

program
  .command('status')
  .description('backlog per stage queue: waiting, active, delayed (retrying), failed, workers')
  .option('-j, --json', 'one JSON object per stage', false)
  .option('-w, --watch', 'print it again every --interval seconds until interrupted', false)
  .option('-n, --interval <seconds>', 'with --watch: seconds between updates', positiveNumber, 2)
  .addHelpText('after', examples('podpreview status', 'podpreview status -w -n 5', 'podpreview status --json'))
  .action(async (o: { json: boolean; watch: boolean; interval: number }) => {
    const config = await configWith({ REDIS_URL: globals().redisUrl });
    const redis = (await shared()).redisTargetOf(config);
    if (!redis)
      throw new Error('REDIS_URL is not set (nor PODPREVIEW_REDIS_SENTINELS or PODPREVIEW_REDIS_CLUSTER_NODES): status reads the queues in that Redis');
    const { closeQueues, connectRedis, createQueues, queueBacklog } = await import('@podpreview/pipeline/client');
    const { backlogTable } = await import('./enqueue.command.ts');
    const queues = createQueues(await connectRedis(redis, 'client', config.redisConnectTimeoutMs), config);
    let stopped = false;
    const stop = () => {
      stopped = true;
    };
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
    try {
      for (let frame = 0; ; frame++) {
        const rows = await queueBacklog(queues);
        const text = o.json ? rows.map((r) => JSON.stringify({ at: new Date().toISOString(), ...r })).join('\n') : backlogTable(rows);
        // On a terminal each update replaces the last; piped, updates follow each other.
        const clear = o.watch && !o.json && process.stdout.isTTY ? '\x1b[2J\x1b[H' : '';
        const stamp = o.watch && !o.json ? `${new Date().toISOString()}  (every ${o.interval} s, ^C to stop)\n` : '';
        process.stdout.write(`${clear}${frame > 0 && !clear && !o.json ? '\n' : ''}${stamp}${text}\n`);
        if (!o.watch) break;
        const until = Date.now() + o.interval * 1000;
        while (!stopped && Date.now() < until) await new Promise((r) => setTimeout(r, Math.min(100, until - Date.now())));
        if (stopped) break;
      }
    } finally {
      await closeQueues(queues);
    }
  });

program
  .command('doctor')
  .description('the build, packages and models in use, and checks of everything a run depends on')
  .option('-j, --json', 'the whole report as JSON', false)
  .addHelpText('after', examples('podpreview doctor', 'podpreview doctor --json'))
  .action(async (o: { json: boolean }) => {
    const [{ doctor }, config] = await Promise.all([import('@podpreview/ops'), configWith({ REDIS_URL: globals().redisUrl })]);
    const report = await doctor(config);
    if (o.json) {
      process.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
    } else {
      const b = report.build;
      const lines = [
        `${b.name} ${b.version} (commit ${b.commit ?? 'unknown'}), Node ${b.node}, build ${b.fingerprint}`,
        `packages: ${b.packages.length} installed, sha256 ${b.packagesHash.slice(0, 16)}…`,
        `models: ${report.models.map((m) => `${m.id}@${m.version}`).join(', ')}`,
        `execution providers: ${report.executionProviders.join(', ') || 'none'}; ${report.ffmpeg ?? 'ffmpeg missing'}; Redis ${report.redis.version ?? '?'} at ${report.redis.url}`,
        '',
        ...report.checks.map((c) => `${c.ok ? 'ok  ' : 'FAIL'}  ${c.name}: ${c.detail}${c.ok || !c.fix ? '' : `\n        → ${c.fix}`}`),
      ];
      process.stdout.write(`${lines.join('\n')}\n`);
    }
    if (report.checks.some((c) => !c.ok)) process.exitCode = 1;
  });

program
  .command('compare')
  .description("two variants' previews of the same episodes side by side: start, end, overlap, models")
  .argument('[episodes...]', 'episode ids (default: the episodes this variant finished in the last --since minutes)')
  .requiredOption('--against <file>', "the other variant's configuration file (NAME=value lines, e.g. variants/staging.env)")
  .option('--since <minutes>', 'without episode ids: how far back to look', '60')
  .option('-j, --json', 'one JSON object per episode', false)
  .addHelpText('after', examples('podpreview compare --against variants/staging.env', 'podpreview compare ep-1 ep-2 --against variants/staging.env -j'))
  .action(async (episodes: string[], o: { against: string; since: string; json: boolean }) => {
    const [{ runCompare, comparisonTable }, config] = await Promise.all([import('./compare.command.ts'), configWith({ REDIS_URL: globals().redisUrl })]);
    const sinceMin = Number(o.since);
    if (!(sinceMin > 0)) throw new Error(`--since: minutes, a positive number (got ${o.since})`);
    const c = await runCompare(episodes, { against: o.against, sinceMin }, config);
    const lines = c.episodes.map((e) => JSON.stringify({ ...e, variants: c.labels }));
    process.stdout.write(o.json ? `${lines.join('\n')}\n` : `${comparisonTable(c)}\n`);
  });

program
  .command('replay')
  .description('run again the episodes whose newest run failed with a reason (error code)')
  .requiredOption('--reason <code>', 'error code of the failures, e.g. stage_timeout, worker_lost, input_not_found')
  .option('--since <minutes>', 'failures that ended in the last this many minutes', '1440')
  .option('--limit <runs>', 'newest finished runs looked at', '10000')
  .option('-j, --json', 'one JSON object per episode', false)
  .addHelpText('after', examples('podpreview replay --reason stage_timeout', 'podpreview replay --reason worker_lost --since 60 -j'))
  .action(async (o: { reason: string; since: string; limit: string; json: boolean }) => {
    const { redisTargetOf } = await shared();
    const config = await configWith({ REDIS_URL: globals().redisUrl });
    const [sinceMin, limit] = [Number(o.since), Number(o.limit)];
    if (!(sinceMin > 0)) throw new Error(`--since: minutes, a positive number (got ${o.since})`);
    if (!(Number.isInteger(limit) && limit > 0)) throw new Error(`--limit: a positive whole number (got ${o.limit})`);
    const redis = redisTargetOf(config);
    if (!redis)
      throw new Error(
        'REDIS_URL is not set (nor PODPREVIEW_REDIS_SENTINELS or PODPREVIEW_REDIS_CLUSTER_NODES): replay enqueues into the Redis the workers consume',
      );
    const [{ closeQueues, connectRedis, createQueues, replayFailures }, { createResultsSink }] = await Promise.all([
      import('@podpreview/pipeline/client'),
      import('@podpreview/storage'),
    ]);
    const queues = createQueues(await connectRedis(redis, 'client', config.redisConnectTimeoutMs), config);
    const results = createResultsSink(config);
    try {
      const outcomes = await replayFailures(queues, config, results, { reason: o.reason, sinceMs: Date.now() - sinceMin * 60_000, limit });
      const line = (r: (typeof outcomes)[number]) =>
        r.replayed
          ? `${r.episodeId}: replayed as ${r.replayed.runId}${r.replayed.joined ? ' (joined the run in flight)' : ''}`
          : `${r.episodeId}: skipped, ${r.skipped}`;
      const text = outcomes.length === 0 ? `no episode failed with ${o.reason} in the last ${sinceMin} min` : outcomes.map(line).join('\n');
      process.stdout.write(`${o.json ? outcomes.map((r) => JSON.stringify(r)).join('\n') : text}\n`);
    } finally {
      await closeQueues(queues);
      await results.close();
    }
  });

program
  .command('serve')
  .description('the HTTP API (/v1/episodes…, /v1/openapi.json, /healthz, /readyz) and completion-callback delivery')
  .addOption(new Option('-H, --host <address>', 'address to bind; anything but loopback needs PODPREVIEW_API_TOKENS').env('PODPREVIEW_HTTP_HOST'))
  .addOption(new Option('-P, --port <port>', 'port (0: any free port)').env('PODPREVIEW_HTTP_PORT').argParser(port))
  .addHelpText('after', examples('podpreview serve', 'podpreview serve --host 0.0.0.0 --port 8080   # with PODPREVIEW_API_TOKENS set'))
  .action(async (o: { host?: string; port?: number }) => {
    const [{ startApiServer }, config] = await Promise.all([
      import('./serve.ts'),
      configWith({ REDIS_URL: globals().redisUrl, PODPREVIEW_HTTP_HOST: o.host, PODPREVIEW_HTTP_PORT: o.port }),
    ]);
    const tracing = await (await shared()).startTracing(config, 'podpreview-api');
    // Best effort: the spans still batched go out while the server closes.
    if (tracing) process.once('SIGTERM', () => void tracing.shutdown());
    const api = await startApiServer(config);
    process.stderr.write(`podpreview: API on ${api.url} (OpenAPI: ${api.url}/v1/openapi.json)\n`);
  });

program.parseAsync().catch(async (err: unknown) => {
  process.stderr.write(`podpreview: ${err instanceof Error ? err.message : String(err)}\n`);
  // 3: a dependency is unreachable, so a script can tell "retry later" from "fix the call".
  const { PodpreviewError } = await shared();
  process.exit(err instanceof PodpreviewError && DEPENDENCY_CODES.has(err.code) ? 3 : 1);
});

/** Error codes that mean a dependency is down, not that the call was wrong. */
const DEPENDENCY_CODES = new Set(['redis_unavailable', 'results_db_locked']);
