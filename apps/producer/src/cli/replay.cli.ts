import type { Command } from 'commander';
import { type CliContext, examples, requireRedis } from './program.ts';

export function registerReplay(program: Command, ctx: CliContext): void {
  program
    .command('replay')
    .description('run again the episodes whose newest run failed with a reason (error code)')
    .requiredOption('--reason <code>', 'error code of the failures, e.g. stage_timeout, worker_lost, input_not_found')
    .option('--since <minutes>', 'failures that ended in the last this many minutes', '1440')
    .option('--limit <runs>', 'newest finished runs looked at', '10000')
    .option('-j, --json', 'one JSON object per episode', false)
    .addHelpText('after', examples('podpreview replay --reason stage_timeout', 'podpreview replay --reason worker_lost --since 60 -j'))
    .action(async (o: { reason: string; since: string; limit: string; json: boolean }) => {
      const config = await ctx.config();
      const [sinceMin, limit] = [Number(o.since), Number(o.limit)];
      if (!(sinceMin > 0)) throw new Error(`--since: minutes, a positive number (got ${o.since})`);
      if (!(Number.isInteger(limit) && limit > 0)) throw new Error(`--limit: a positive whole number (got ${o.limit})`);
      const redis = await requireRedis(config, 'replay enqueues into the Redis the workers consume');
      const [{ closeQueues, connectRedis, createQueues, replayFailures }, { createResultsSink }] = await Promise.all([
        import('@podpreview/runs'),
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
}
