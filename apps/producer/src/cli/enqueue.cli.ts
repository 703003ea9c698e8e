import { type Command, Option } from 'commander';
import { type CliContext, examples, positiveNumber, quietLevel, shared } from './program.ts';

export function registerEnqueue(program: Command, ctx: CliContext): void {
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
        const config = await ctx.config();
        const log = createLogger(quietLevel(o.json, config.logLevel), {}, config);
        const { printOutcomes, runEnqueue } = await import('../enqueue.command.ts');
        const rows = await runEnqueue(inputs, { ...o, timeoutSec: o.timeout ?? config.enqueueTimeoutSec }, config, log);
        await printOutcomes(rows, o, config);
      },
    );
}
