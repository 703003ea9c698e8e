import { spawn, spawnSync } from 'node:child_process';
import { yieldToUrgentWork } from './cpu-yield.ts';

export interface CommandResult {
  stdout: Buffer;
  stderr: string;
  code: number | null;
  signal: NodeJS.Signals | null;
}

export interface RunCommandOptions {
  /** Killed with SIGKILL after this long; the result then has `signal` set. Unset: no limit. */
  timeoutMs?: number;
  /** Killed with SIGKILL when this fires (a stage past its timeout); the call rejects. */
  signal?: AbortSignal;
  /** Takes stdout as it arrives instead of collecting it (`stdout` is then empty): large outputs are not held twice. */
  onStdout?: (chunk: Buffer) => void;
  /**
   * The child gives way to priority work in this process (yieldToUrgentWork): a normal run's
   * ffmpeg runs at nice 10 while a priority run is worked on here, at the normal priority otherwise.
   */
  yieldCpu?: boolean;
  /** A file descriptor the child gets as its fd 3 (ffmpeg's `pipe:3`): it writes a file itself instead of through this process. */
  fd3?: number;
}

/** A tool we shell out to is missing: say which package provides it instead of a bare ENOENT. */
function startError(cmd: string, e: NodeJS.ErrnoException): Error {
  return e.code === 'ENOENT' ? new Error(`${cmd} is not installed (apt-get install -y ${cmd === 'ffprobe' ? 'ffmpeg' : cmd})`) : e;
}

/**
 * Runs a program with its output collected. The child runs outside this process, so ffmpeg and
 * friends never block the event loop; a non-zero exit is a result, not a throw, because callers
 * classify failures differently (bad input vs. a crash).
 */
export function runCommand(cmd: string, args: string[], o: RunCommandOptions = {}): Promise<CommandResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, {
      stdio: o.fd3 === undefined ? ['ignore', 'pipe', 'pipe'] : ['ignore', 'pipe', 'pipe', o.fd3],
      killSignal: 'SIGKILL',
      ...(o.timeoutMs ? { timeout: o.timeoutMs } : {}),
      ...(o.signal ? { signal: o.signal } : {}),
    });
    const release = o.yieldCpu && child.pid !== undefined ? yieldToUrgentWork(child.pid) : undefined;
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    // Piped by the stdio above, so never null.
    child.stdout!.on('data', o.onStdout ?? ((b: Buffer) => out.push(b)));
    child.stderr!.on('data', (b: Buffer) => err.push(b));
    child.on('error', (e: NodeJS.ErrnoException) => {
      release?.();
      reject(startError(cmd, e));
    });
    child.on('close', (code, signal) => {
      release?.();
      resolve({ stdout: Buffer.concat(out), stderr: Buffer.concat(err).toString('utf8'), code, signal });
    });
  });
}

/**
 * The same for build-time tools (sample and evaluation-set synthesis, test fixtures), which run
 * in their own worker threads or scripts and are simpler synchronous. Throws on any failure,
 * naming the command line and its stderr.
 */
export function runCommandSync(cmd: string, args: string[]): Buffer {
  const res = spawnSync(cmd, args, { maxBuffer: 1 << 30 });
  if (res.error) throw startError(cmd, res.error as NodeJS.ErrnoException);
  if (res.status !== 0) throw new Error(`${cmd} exited with ${res.status ?? res.signal}: ${cmd} ${args.join(' ')}\n${res.stderr.toString().trim()}`);
  return res.stdout;
}
