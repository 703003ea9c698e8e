import { registerCompare } from './cli/compare.cli.ts';
import { registerDoctor } from './cli/doctor.cli.ts';
import { registerEnqueue } from './cli/enqueue.cli.ts';
import { registerGet } from './cli/get.cli.ts';
import { DEPENDENCY_CODES, createProgram, shared } from './cli/program.ts';
import { registerReplay } from './cli/replay.cli.ts';
import { registerRetry } from './cli/retry.cli.ts';
import { registerServe } from './cli/serve.cli.ts';
import { registerStatus } from './cli/status.cli.ts';

// `podpreview`: one file per command under cli/, each loading its own code when it runs.
const { program, ctx } = createProgram();
for (const register of [registerEnqueue, registerGet, registerRetry, registerStatus, registerDoctor, registerCompare, registerReplay, registerServe]) {
  register(program, ctx);
}

program.parseAsync().catch(async (err: unknown) => {
  const { errorMessage, PodpreviewError } = await shared();
  process.stderr.write(`podpreview: ${errorMessage(err)}\n`);
  // 3: a dependency is unreachable, so a script can tell "retry later" from "fix the call".
  process.exit(err instanceof PodpreviewError && DEPENDENCY_CODES.has(err.code) ? 3 : 1);
});
