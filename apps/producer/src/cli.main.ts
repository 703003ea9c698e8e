import { Command } from 'commander';

// Nothing but commander at the top: `--help` must not wait for zod, pino or any SDK.
const shared = () => import('@podpreview/shared');

/**
 * `podpreview`: each command loads its own code when it runs, so `--help` and `status` start
 * without the storage SDKs, and nothing here ever loads models or stage code up front.
 */
const program = new Command('podpreview').description('60-second previews of podcast episodes').showHelpAfterError();

program
  .command('enqueue')
  .description('enqueue audio files, directories of them, or a manifest.jsonl')
  .argument('<inputs...>', 'audio file, directory, or manifest.jsonl')
  .option('--transcript <file>', 'WebVTT/SRT transcript for a single audio file')
  .option('--id <id>', 'episode id for a single audio file (default: file name)')
  .option('--priority', 'jump the queue in every stage', false)
  .option('--force', 'reprocess even if this audio was processed before', false)
  .option('--wait', 'follow the episodes to the end and print the results', false)
  .option('--json', 'with --wait: one JSON object per episode on stdout', false)
  .action(async (inputs: string[], o: { transcript?: string; id?: string; priority: boolean; force: boolean; wait: boolean; json: boolean }) => {
    const { createLogger, loadConfig } = await shared();
    const config = loadConfig();
    const log = createLogger(o.json ? 'warn' : config.logLevel === 'info' ? 'warn' : config.logLevel);
    const { clipLocations, outcomeJsonLines, outcomeTable, runEnqueue } = await import('./enqueue.command.ts');
    const rows = await runEnqueue(inputs, o, config, log);
    if (o.json || !o.wait) {
      process.stdout.write(`${outcomeJsonLines(rows)}\n`);
    } else {
      const { createBlobStore } = await import('@podpreview/storage');
      process.stdout.write(`${outcomeTable(rows)}\n${clipLocations(rows, createBlobStore(config))}`);
    }
    if (rows.some((r) => r.status === 'failed')) process.exitCode = 2;
  });

program
  .command('status')
  .description('backlog per stage queue: waiting, active, delayed (retrying), failed, workers')
  .option('--json', 'one JSON object per stage', false)
  .action(async (o: { json: boolean }) => {
    const { loadConfig, redisTargetOf } = await shared();
    const config = loadConfig();
    const redis = redisTargetOf(config);
    if (!redis)
      throw new Error('REDIS_URL is not set (nor PODPREVIEW_REDIS_SENTINELS or PODPREVIEW_REDIS_CLUSTER_NODES): status reads the queues in that Redis');
    const { closeQueues, connectRedis, createQueues, queueBacklog } = await import('@podpreview/pipeline/client');
    const { backlogTable } = await import('./enqueue.command.ts');
    const queues = createQueues(await connectRedis(redis, 'client', config.redisConnectTimeoutMs), config);
    try {
      const rows = await queueBacklog(queues);
      process.stdout.write(`${o.json ? rows.map((r) => JSON.stringify(r)).join('\n') : backlogTable(rows)}\n`);
    } finally {
      await closeQueues(queues);
    }
  });

program
  .command('doctor')
  .description('the build, packages and models in use, and checks of everything a run depends on')
  .option('--json', 'the whole report as JSON', false)
  .action(async (o: { json: boolean }) => {
    const [{ doctor }, { loadConfig }] = await Promise.all([import('@podpreview/ops'), shared()]);
    const report = await doctor(loadConfig());
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
  .option('--json', 'one JSON object per episode', false)
  .action(async (episodes: string[], o: { against: string; since: string; json: boolean }) => {
    const [{ runCompare, comparisonTable }, { loadConfig }] = await Promise.all([import('./compare.command.ts'), shared()]);
    const sinceMin = Number(o.since);
    if (!(sinceMin > 0)) throw new Error(`--since: minutes, a positive number (got ${o.since})`);
    const c = await runCompare(episodes, { against: o.against, sinceMin }, loadConfig());
    const lines = c.episodes.map((e) => JSON.stringify({ ...e, variants: c.labels }));
    process.stdout.write(o.json ? `${lines.join('\n')}\n` : `${comparisonTable(c)}\n`);
  });

program
  .command('replay')
  .description('run again the episodes whose newest run failed with a reason (error code)')
  .requiredOption('--reason <code>', 'error code of the failures, e.g. stage_timeout, worker_lost, input_not_found')
  .option('--since <minutes>', 'failures that ended in the last this many minutes', '1440')
  .option('--limit <runs>', 'newest finished runs looked at', '10000')
  .option('--json', 'one JSON object per episode', false)
  .action(async (o: { reason: string; since: string; limit: string; json: boolean }) => {
    const { loadConfig, redisTargetOf } = await shared();
    const config = loadConfig();
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
  .description('HTTP API: POST /v1/episodes, GET /v1/episodes/:id')
  .action(async () => {
    const [{ startApiServer }, { loadConfig }] = await Promise.all([import('./serve.ts'), shared()]);
    await startApiServer(loadConfig());
  });

program.parseAsync().catch(async (err: unknown) => {
  process.stderr.write(`podpreview: ${err instanceof Error ? err.message : String(err)}\n`);
  // 3: a dependency (Redis) is unreachable, so a script can tell "retry later" from "fix the call".
  const { RedisUnavailableError } = await shared();
  process.exit(err instanceof RedisUnavailableError ? 3 : 1);
});
