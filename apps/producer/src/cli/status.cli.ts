import type { Command } from 'commander';
import { type CliContext, examples, positiveNumber, requireRedis } from './program.ts';

export function registerStatus(program: Command, ctx: CliContext): void {
  program
    .command('status')
    .description('backlog per stage queue: waiting, active, delayed (retrying), failed, workers')
    .option('-j, --json', 'one JSON object per stage', false)
    .option('-w, --watch', 'print it again every --interval seconds until interrupted', false)
    .option('-n, --interval <seconds>', 'with --watch: seconds between updates', positiveNumber, 2)
    .addHelpText('after', examples('podpreview status', 'podpreview status -w -n 5', 'podpreview status --json'))
    .action(async (o: { json: boolean; watch: boolean; interval: number }) => {
      const config = await ctx.config();
      const redis = await requireRedis(config, 'status reads the queues in that Redis');
      const { closeQueues, connectRedis, createQueues, queueBacklog } = await import('@podpreview/runs');
      const { backlogTable } = await import('../enqueue.command.ts');
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
}
