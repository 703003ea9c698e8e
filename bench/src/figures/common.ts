import { execFileSync, spawn } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { childEnv } from '@podpreview/shared';
import { watchTreeRss } from './rss-tree.ts';

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

export function runTimed(
  cmd: string,
  args: string[],
  env: NodeJS.ProcessEnv = childEnv(),
  onSpawn?: (pid: number) => void,
): Promise<{ seconds: number; stderr: string }> {
  const t0 = performance.now();
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { cwd: REPO_ROOT, env, stdio: ['ignore', 'ignore', 'pipe'] });
    if (child.pid !== undefined) onSpawn?.(child.pid);
    let stderr = '';
    child.stderr.on('data', (b: Buffer) => (stderr += b.toString()));
    child.on('close', (code) =>
      code === 0
        ? resolve({ seconds: (performance.now() - t0) / 1000, stderr })
        : reject(new Error(`${cmd} ${args.join(' ')} exited ${code}: ${stderr.slice(-500)}`)),
    );
  });
}

/**
 * Node running `args`: its wall seconds and the peak RSS of its whole process tree (its
 * redis-server and ffmpeg children included), sampled from /proc.
 */
export async function timeNodeWithTreeRss(args: string[], env: NodeJS.ProcessEnv): Promise<{ seconds: number; maxRssMib: number }> {
  let watch: { stop(): number } | undefined;
  try {
    const r = await runTimed(process.execPath, args, env, (pid) => (watch = watchTreeRss(pid)));
    return { seconds: r.seconds, maxRssMib: watch?.stop() ?? Number.NaN };
  } finally {
    watch?.stop();
  }
}

/**
 * Loops an episode and its SRT transcript to `seconds`: the cues of every pass shifted by the
 * audio's length, so the text models see a transcript as long as the audio.
 */
export function makeTranscriptEpisode(audio: string, srt: string, outAudio: string, outSrt: string, seconds: number): { audio: string; transcript: string } {
  makeEpisode(audio, outAudio, seconds);
  const passSec = Number(execFileSync('ffprobe', ['-v', 'error', '-show_entries', 'format=duration', '-of', 'csv=p=0', audio]).toString().trim());
  const cues = readFileSync(srt, 'utf8')
    .trim()
    .split(/\r?\n\r?\n/);
  const out: string[] = [];
  for (let pass = 0; pass * passSec < seconds; pass++) {
    for (const cue of cues) {
      const [, times, ...text] = cue.split(/\r?\n/);
      const [from, to] = (times ?? '').split(' --> ').map((t) => srtSec(t) + pass * passSec);
      if (from === undefined || to === undefined || to > seconds) continue;
      out.push(`${out.length + 1}\n${srtTime(from)} --> ${srtTime(to)}\n${text.join('\n')}`);
    }
  }
  writeFileSync(outSrt, `${out.join('\n\n')}\n`);
  return { audio: outAudio, transcript: outSrt };
}

const srtSec = (t: string) => {
  const [h, m, s] = t.trim().replace(',', '.').split(':').map(Number);
  return (h ?? 0) * 3600 + (m ?? 0) * 60 + (s ?? 0);
};
const srtTime = (sec: number) => {
  const ms = Math.round(sec * 1000);
  const pad = (n: number, w = 2) => String(n).padStart(w, '0');
  return `${pad(Math.floor(ms / 3_600_000))}:${pad(Math.floor(ms / 60_000) % 60)}:${pad(Math.floor(ms / 1000) % 60)},${pad(ms % 1000, 3)}`;
};

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

/**
 * How the bench waits for its runs, in the fleet's own process: woken by each run's end
 * (pub/sub), so the poll is only the fallback. A short poll would spend the fleet's CPU on the
 * waiting (measured: 20 ms polls took 6 ms of the main thread per 5-minute episode).
 */
export const BENCH_WAIT = { pollMs: 500, fullPollMs: 5000 };

/** The bare decode every ratio is measured against: ffmpeg to 16 kHz mono PCM, thrown away. */
export function timeBareDecode(file: string): Promise<number> {
  return timeCommand('ffmpeg', ['-nostdin', '-loglevel', 'error', '-i', file, '-ac', '1', '-ar', '16000', '-f', 's16le', '-y', '/dev/null']);
}
