import { execFileSync, spawn } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { childEnv } from '@podpreview/shared';

export const REPO_ROOT = fileURLToPath(new URL('../../..', import.meta.url));
export const SAMPLES_DIR = path.join(REPO_ROOT, 'samples');

/** One figure: its repeats, the target and the direction that is better. */
export interface Figure {
  key: string;
  label: string;
  unit: string;
  values: number[];
  target: number;
  /** `max`: the figure must not exceed the target; `min`: it must reach it. */
  goal: 'max' | 'min';
  notes?: string;
}

export const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
};

export function met(f: Figure): boolean {
  const m = median(f.values);
  return f.goal === 'max' ? m <= f.target : m >= f.target;
}

/** Loops `file` to `seconds` of audio (or cuts it from `offsetSec`), as mp3 at 64 kbps. */
export function makeEpisode(file: string, out: string, seconds: number, offsetSec = 0): string {
  execFileSync('ffmpeg', [
    '-nostdin',
    '-loglevel',
    'error',
    '-y',
    '-stream_loop',
    '-1',
    '-i',
    file,
    '-ss',
    String(offsetSec),
    '-t',
    String(seconds),
    '-c:a',
    'libmp3lame',
    '-b:a',
    '64k',
    out,
  ]);
  return out;
}

/** Wall time of a command in seconds; it must exit 0. */
export function timeCommand(cmd: string, args: string[], env: NodeJS.ProcessEnv = childEnv()): Promise<number> {
  return runTimed(cmd, args, env).then((r) => r.seconds);
}

export function runTimed(cmd: string, args: string[], env: NodeJS.ProcessEnv = childEnv()): Promise<{ seconds: number; stderr: string }> {
  const t0 = performance.now();
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { cwd: REPO_ROOT, env, stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (b: Buffer) => (stderr += b.toString()));
    child.on('close', (code) =>
      code === 0
        ? resolve({ seconds: (performance.now() - t0) / 1000, stderr })
        : reject(new Error(`${cmd} ${args.join(' ')} exited ${code}: ${stderr.slice(-500)}`)),
    );
  });
}

/** Node with a preload that reports its peak RSS: the seconds and the MiB of one command. */
export async function timeNodeWithRss(args: string[], env: NodeJS.ProcessEnv): Promise<{ seconds: number; maxRssMib: number }> {
  const preload = path.join(REPO_ROOT, 'bench', 'src', 'child', 'max-rss.preload.mjs');
  const r = await runTimed(process.execPath, ['--import', preload, ...args], env);
  const kib = Number(/podpreview-bench-max-rss-kib=(\d+)/.exec(r.stderr)?.[1] ?? Number.NaN);
  return { seconds: r.seconds, maxRssMib: kib / 1024 };
}

/** Runs a bench child script (TypeScript, through tsx) and parses the JSON line it prints last. */
export function runChild<T>(script: string, args: string[], env: Record<string, string> = {}): Promise<T> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', path.join(REPO_ROOT, 'bench', 'src', 'child', script), ...args], {
      cwd: REPO_ROOT,
      env: childEnv(env),
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (b: Buffer) => (stdout += b.toString()));
    child.stderr.on('data', (b: Buffer) => (stderr += b.toString()));
    child.on('close', (code) => {
      if (code !== 0) return reject(new Error(`${script} exited ${code}: ${stderr.slice(-1500)}`));
      resolve(JSON.parse(stdout.trim().split('\n').at(-1)!) as T);
    });
  });
}
