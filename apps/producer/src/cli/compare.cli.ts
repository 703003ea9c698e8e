import type { Command } from 'commander';
import { type CliContext, examples } from './program.ts';

export function registerCompare(program: Command, ctx: CliContext): void {
  program
    .command('compare')
    .description("two variants' previews of the same episodes side by side: start, end, overlap, models")
    .argument('[episodes...]', 'episode ids (default: the episodes this variant finished in the last --since minutes)')
    .requiredOption('--against <file>', "the other variant's configuration file (NAME=value lines, e.g. variants/staging.env)")
    .option('--since <minutes>', 'without episode ids: how far back to look', '60')
    .option('-j, --json', 'one JSON object per episode', false)
    .addHelpText('after', examples('podpreview compare --against variants/staging.env', 'podpreview compare ep-1 ep-2 --against variants/staging.env -j'))
    .action(async (episodes: string[], o: { against: string; since: string; json: boolean }) => {
      const [{ runCompare, comparisonTable }, config] = await Promise.all([import('../compare.command.ts'), ctx.config()]);
      const sinceMin = Number(o.since);
      if (!(sinceMin > 0)) throw new Error(`--since: minutes, a positive number (got ${o.since})`);
      const c = await runCompare(episodes, { against: o.against, sinceMin }, config);
      const lines = c.episodes.map((e) => JSON.stringify({ ...e, variants: c.labels }));
      process.stdout.write(o.json ? `${lines.join('\n')}\n` : `${comparisonTable(c)}\n`);
    });
}
