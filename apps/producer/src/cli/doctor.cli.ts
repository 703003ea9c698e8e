import type { Command } from 'commander';
import { type CliContext, examples } from './program.ts';

export function registerDoctor(program: Command, ctx: CliContext): void {
  program
    .command('doctor')
    .description('the build, packages and models in use, and checks of everything a run depends on')
    .option('-j, --json', 'the whole report as JSON', false)
    .addHelpText('after', examples('podpreview doctor', 'podpreview doctor --json'))
    .action(async (o: { json: boolean }) => {
      const [{ doctor }, config] = await Promise.all([import('@podpreview/ops'), ctx.config()]);
      const report = await doctor(config, { executionProviders });
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
}

/** Usable here, not merely compiled in: CUDA needs its provider library beside onnxruntime. */
async function executionProviders(): Promise<string[]> {
  const { cudaAvailable } = await import('@podpreview/models');
  return ['cpu', ...(cudaAvailable() ? ['cuda'] : [])];
}
