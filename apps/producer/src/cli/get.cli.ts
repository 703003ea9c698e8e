import type { Command } from 'commander';
import { type CliContext, examples } from './program.ts';

export function registerGet(program: Command, ctx: CliContext): void {
  program
    .command('get')
    .description('an episode: its newest run, status, preview, clip and error code')
    .argument('<id>', 'episode id')
    .option('-j, --json', 'as GET /v1/episodes/:id answers it', false)
    .addHelpText('after', examples('podpreview get interview', 'podpreview get interview --json | jq .clip.url'))
    .action(async (id: string, o: { json: boolean }) => {
      const config = await ctx.config();
      const { episodeText, getEpisode } = await import('../get.command.ts');
      const episode = await getEpisode(config, id);
      if (!episode) throw new Error(`no episode ${id}`);
      process.stdout.write(`${o.json ? JSON.stringify(episode) : episodeText(episode)}\n`);
      if (episode.status === 'failed') process.exitCode = 2;
    });
}
