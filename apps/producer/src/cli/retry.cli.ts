import { type Command, Option } from 'commander';
import { type CliContext, examples, positiveNumber, quietLevel, requireRedis, shared } from './program.ts';

export function registerRetry(program: Command, ctx: CliContext): void {
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
      const config = await ctx.config();
      const redis = await requireRedis(config, 'retry reads the run from the Redis it ran on');
      const { closeQueues, connectRedis, createQueues } = await import('@podpreview/runs');
      const queues = createQueues(await connectRedis(redis, 'client', config.redisConnectTimeoutMs), config);
      const record = await queues.runs.read(runId).finally(() => closeQueues(queues));
      if (!record?.request) throw new Error(`run ${runId} is not known (never, or longer ago than PODPREVIEW_RUN_STATE_TTL_MS)`);
      const request = EnqueueRequest.parse({ id: record.episodeId, ...record.request, force: o.force });
      const log = createLogger(quietLevel(o.json, config.logLevel), {}, config);
      const { printOutcomes, runRequests } = await import('../enqueue.command.ts');
      const rows = await runRequests([request], { wait: o.wait, json: o.json, timeoutSec: o.timeout ?? config.enqueueTimeoutSec }, config, log);
      await printOutcomes(rows, o, config);
    });
}
