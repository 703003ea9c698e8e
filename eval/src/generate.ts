import { fork } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { checkTools } from '@podpreview/synth';
import type { EpisodeLabels, EvalSet } from './labels.ts';
import { labelProblems } from './labels.check.ts';
import { DEFAULT_DRAW, drawsKey, planDraws, type DrawSpec } from './draws.ts';
import { EPISODE_COUNT, MASTER_SEED, type EpisodePlan } from './plan.ts';
import { renderEpisode } from './render.ts';

export const REPO_ROOT = fileURLToPath(new URL('../..', import.meta.url));
export const DEFAULT_SET_DIR = path.join(REPO_ROOT, '.data', 'eval-set');
/** Bump when the output changes for a reason the sources don't show (e.g. a new tool version). */
const GENERATOR_EPOCH = 1;
/** Every full episode lasts 2-7 minutes and has room for a perfect 60 s preview. */
export const SET_CHECKS = { durationSec: [120, 420] as const, minLongestZoneSec: 65 };

/** The files whose content decides the generated audio and labels. */
function generatorSources(): string[] {
  const evalSrc = fileURLToPath(new URL('.', import.meta.url));
  const synthSrc = path.join(REPO_ROOT, 'packages', 'synth', 'src');
  const list = (dir: string) =>
    readdirSync(dir)
      .filter((f) => f.endsWith('.ts') && !f.endsWith('.test.ts'))
      .sort()
      .map((f) => path.join(dir, f));
  const own = ['content-pool.ts', 'draws.ts', 'families.ts', 'labels.ts', 'plan.families.ts', 'plan.ts', 'render.ts', 'script.heldout.ts', 'script.ts'];
  return [...own.map((f) => path.join(evalSrc, f)), ...list(path.join(evalSrc, 'content')), ...list(synthSrc)];
}

/** Version of the generator: an epoch plus a hash of its sources, so any edit rebuilds the set. */
export function generatorVersion(): string {
  const h = createHash('sha256');
  for (const f of generatorSources()) h.update(path.relative(REPO_ROOT, f)).update('\0').update(readFileSync(f)).update('\0');
  return `${GENERATOR_EPOCH}-${h.digest('hex').slice(0, 16)}`;
}

const SET_LABELS = 'labels.json';

/**
 * A generated set's labels as they are, whatever generator made them: for re-scoring a kept run
 * of that set (`eval:reselect`), which must never regenerate it.
 */
export function readSetLabels(dir: string): EvalSet {
  try {
    return JSON.parse(readFileSync(path.join(dir, SET_LABELS), 'utf8')) as EvalSet;
  } catch (e) {
    throw new Error(`no generated set in ${dir} (${(e as NodeJS.ErrnoException).code ?? e}): run \`npm run eval\` with the same --seed first`);
  }
}

function readCached(dir: string, version: string): EvalSet | null {
  try {
    const set = readSetLabels(dir);
    if (set.generator !== version) return null;
    const files = set.episodes.flatMap((e) => (e.transcript ? [e.file, e.transcript] : [e.file]));
    return files.every((f) => existsSync(path.join(dir, f))) ? set : null;
  } catch {
    return null;
  }
}

/** Renders one episode into `dir` and writes its labels beside it (what a generator worker runs). */
export function renderPlanned(plan: EpisodePlan, dir: string): EpisodeLabels {
  const work = mkdtempSync(path.join(tmpdir(), `podpreview-eval-${plan.id}-`));
  try {
    const labels = renderEpisode(plan, dir, work);
    writeFileSync(path.join(dir, `${plan.id}.labels.json`), `${JSON.stringify(labels, null, 1)}\n`);
    return labels;
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

/** What a generator worker answers for one episode: nothing, or why its labels could not be made. */
export interface RenderReply {
  index: number;
  error: string | null;
}

/**
 * Splits the episodes over `jobs` child processes (rendering is synchronous tool calls), each
 * rendering one episode after another as it is handed them. An episode whose rendering fails
 * (its labels disagree with the decoded audio) is returned with the reason, not retried.
 */
async function renderAll(plans: EpisodePlan[], draws: readonly DrawSpec[], dir: string, jobs: number, log: (m: string) => void): Promise<Map<number, string>> {
  const worker = fileURLToPath(new URL('./generate.worker.ts', import.meta.url));
  const queue = [...plans.keys()];
  const failed = new Map<number, string>();
  let done = 0;
  const lane = () =>
    new Promise<void>((resolve, reject) => {
      const child = fork(worker, [dir, JSON.stringify(draws)], { execArgv: ['--import', 'tsx'], stdio: ['ignore', 'inherit', 'pipe', 'ipc'] });
      let stderr = '';
      child.stderr?.on('data', (d: Buffer) => (stderr += d.toString()));
      const next = () => {
        const index = queue.shift();
        if (index === undefined) child.disconnect();
        else child.send({ index });
      };
      child.on('message', (reply: RenderReply) => {
        if (reply.error !== null) failed.set(reply.index, reply.error);
        log(`  ${plans[reply.index]?.id} ${reply.error === null ? 'done' : 'FAILED'} (${++done}/${plans.length})`);
        next();
      });
      child.once('error', reject);
      child.once('exit', (code) => (code === 0 ? resolve() : reject(new Error(`a generator worker failed (exit ${code}):\n${stderr.trim()}`))));
      next();
    });
  await Promise.all(Array.from({ length: Math.max(1, Math.min(jobs, plans.length)) }, lane));
  return failed;
}

export interface GenerateOptions {
  dir?: string;
  /** The planner's seed (default MASTER_SEED, the set the README's figures are from). */
  seed?: number;
  /** Episodes of that seed's draw (default EPISODE_COUNT). */
  count?: number;
  /** Several draws in one set (the leave-one-family-out split); replaces seed and count. */
  draws?: DrawSpec[];
  /** Child processes rendering episodes at once; default: one per core. */
  jobs?: number;
  /** Rebuild even when the cached set is current. */
  force?: boolean;
  log?: (message: string) => void;
}

export interface GeneratedSet {
  set: EvalSet;
  dir: string;
  /** False when the cached set was current and reused. */
  generated: boolean;
  seconds: number;
}

/**
 * The evaluation set in `dir` (default `.data/eval-set/`): reused when it was made by this
 * generator version, otherwise rebuilt from scratch. `labels.json` is written last, so an
 * interrupted run is never mistaken for a finished set.
 */
export async function loadOrGenerateEvalSet(o: GenerateOptions = {}): Promise<GeneratedSet> {
  const dir = path.resolve(o.dir ?? DEFAULT_SET_DIR);
  const log = o.log ?? (() => {});
  const started = performance.now();
  const draws = o.draws ?? [{ ...DEFAULT_DRAW, seed: o.seed ?? MASTER_SEED, count: o.count ?? EPISODE_COUNT }];
  const key = drawsKey(draws);
  const version = `${generatorVersion()}${key === '' ? '' : `-draws-${key}`}`;
  const cached = o.force ? null : readCached(dir, version);
  if (cached) return { set: cached, dir, generated: false, seconds: (performance.now() - started) / 1000 };

  checkTools(['espeak-ng', 'flite', 'sox', 'fluidsynth', 'ffmpeg', 'ffprobe']);
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  const plans = planDraws(draws);
  const jobs = o.jobs ?? availableParallelism();
  log(`generating ${plans.length} episodes into ${dir} (generator ${version}, ${jobs} at a time)…`);
  const failed = await renderAll(plans, draws, dir, jobs, log);
  // An episode whose labels fail a check is left out of the set and named, never kept with looser labels.
  const excluded: { id: string; reasons: string[] }[] = [];
  const episodes: EpisodeLabels[] = [];
  for (const [i, p] of plans.entries()) {
    const error = failed.get(i);
    if (error !== undefined) {
      excluded.push({ id: p.id, reasons: [error] });
      continue;
    }
    const e = JSON.parse(readFileSync(path.join(dir, `${p.id}.labels.json`), 'utf8')) as EpisodeLabels;
    const problems = labelProblems(e, SET_CHECKS);
    if (problems.length > 0) excluded.push({ id: p.id, reasons: problems });
    else episodes.push(e);
  }
  if (excluded.length > plans.length / 10) {
    throw new Error(`the generated set is inconsistent:\n  ${excluded.map((x) => `${x.id}: ${x.reasons.join('; ')}`).join('\n  ')}`);
  }
  const set: EvalSet = { generator: version, episodes, ...(excluded.length > 0 ? { excluded } : {}) };
  writeFileSync(path.join(dir, SET_LABELS), `${JSON.stringify(set, null, 1)}\n`);
  return { set, dir, generated: true, seconds: (performance.now() - started) / 1000 };
}
