import { execFileSync } from 'node:child_process';
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import Table from 'cli-table3';
import { decodeAudio, parseTranscript, splitSentences } from '@podpreview/audio';
import { type ModelLease, ModelRegistry, scoreTexts, sentenceCentrality, UsageMeter } from '@podpreview/models';
import { AUDIO_RUNNERS, runFrontEnd, runOrder, TEXT_RUNNERS } from '@podpreview/pipeline/worker';
import { loadConfig } from '@podpreview/shared';

/**
 * `npm run bench:models`: each model stage in its own fresh process (so its RSS is its own), on
 * a 30-minute episode: per model the wall time, real-time factor, inference calls and mean
 * batch size, and load time; per stage the worker's RSS after loading and running its models.
 * Then the text side on 2,000 sentences (the sizes the unit tests use, which no longer time
 * anything): topical centrality and each text classifier, after one warm-up run.
 * CPU execution provider on the default model threads; the same code takes CUDA on T4 machines.
 */
const EPISODE_SEC = 30 * 60;
const TEXT_SENTENCES = 2000;
const TEXT_RUNS = 10;
const samplesDir = fileURLToPath(new URL('../../samples', import.meta.url));
const textTrainingDir = fileURLToPath(new URL('../../packages/models/training/text', import.meta.url));
const self = fileURLToPath(import.meta.url);

interface ModelFigure {
  model: string;
  ms: number;
  rtf: number;
  calls: number;
  meanBatch: number;
  loadMs: number;
}
interface StageFigure {
  stage: string;
  stageMs: number;
  rssMiB: number;
  models: ModelFigure[];
  /** ensemble-b only: the 2,000-sentence figures, measured after `rssMiB`. */
  text?: TextFigure[];
}
interface TextFigure {
  what: string;
  input: string;
  medianMs: number;
  bestMs: number;
  calls: number;
  meanBatch: number;
}

/** As stage A holds an episode: 16-bit PCM in shared memory, read in place by the model threads. */
async function thirtyMinutesOfAudio(): Promise<Int16Array> {
  const one = (await decodeAudio(path.join(samplesDir, 'interview.mp3'))).samples;
  const out = new Int16Array(new SharedArrayBuffer(EPISODE_SEC * 16_000 * 2));
  for (let at = 0; at < out.length; at += one.length) out.set(one.subarray(0, Math.min(one.length, out.length - at)), at);
  return out;
}

async function thirtyMinutesOfSentences(): Promise<string[]> {
  const texts: string[] = [];
  for (const f of ['news-brief.vtt', 'interview.srt', 'short-note.vtt'])
    texts.push(...splitSentences(parseTranscript(await readFile(path.join(samplesDir, f), 'utf8'))).map((s) => s.text));
  // ~15 sentences a minute of speech.
  return Array.from({ length: 15 * 30 }, (_, i) => texts[i % texts.length]!);
}

/** As centrality.test.ts builds them: seeded word salad over a 3,000-word vocabulary, skewed to common words. */
function syntheticSentences(n: number): string[] {
  let seed = 42;
  const rand = () => {
    seed = (Math.imul(seed, 1664525) + 1013904223) >>> 0;
    return seed / 2 ** 32;
  };
  const vocab = Array.from({ length: 3000 }, (_, i) => `word${(i * 7919) % 100_000}`.replace(/\d/g, (d) => 'abcdefghij'[Number(d)]!));
  return Array.from({ length: n }, () => Array.from({ length: 8 + Math.floor(rand() * 20) }, () => vocab[Math.floor(rand() ** 2 * vocab.length)]).join(' '));
}

/**
 * As text.classifier.test.ts builds them: the sample transcripts' cue texts and the hand-written
 * ad reads, intros, outros and hard negatives, repeated with a counter to 2,000 distinct sentences.
 */
async function classifierSentences(n: number): Promise<string[]> {
  const cues: string[] = [];
  for (const file of (await readdir(samplesDir)).filter((f) => /\.(vtt|srt)$/.test(f)).sort()) {
    for (const block of (await readFile(path.join(samplesDir, file), 'utf8')).split(/\r?\n\s*\r?\n/)) {
      const lines = block.split(/\r?\n/);
      const timing = lines.findIndex((l) => /-->/.test(l));
      if (timing >= 0)
        cues.push(
          lines
            .slice(timing + 1)
            .join(' ')
            .trim(),
        );
    }
  }
  const handwritten = JSON.parse(await readFile(path.join(textTrainingDir, 'handwritten.json'), 'utf8')) as { untouched: Record<string, string[]> };
  const base = [...cues, ...Object.values(handwritten.untouched).flat()];
  return Array.from({ length: n }, (_, i) => `${base[i % base.length]} (${i})`);
}

/** One warm-up call, then TEXT_RUNS timed calls: median and best wall time. */
async function timeRuns(fn: () => unknown): Promise<{ medianMs: number; bestMs: number }> {
  await fn();
  const ms: number[] = [];
  for (let r = 0; r < TEXT_RUNS; r++) {
    const started = performance.now();
    await fn();
    ms.push(performance.now() - started);
  }
  ms.sort((a, b) => a - b);
  return { medianMs: ms[Math.floor(ms.length / 2)]!, bestMs: ms[0]! };
}

/** The text side on 2,000 sentences, with the stage's loaded classifiers (through the registry, as a worker runs them). */
async function textFigures(lease: ModelLease): Promise<TextFigure[]> {
  const figures: TextFigure[] = [];
  const synthetic = syntheticSentences(TEXT_SENTENCES);
  figures.push({
    what: 'sentenceCentrality',
    input: `${TEXT_SENTENCES} synthetic`,
    ...(await timeRuns(() => sentenceCentrality(synthetic))),
    calls: 0,
    meanBatch: 0,
  });
  const texts = await classifierSentences(TEXT_SENTENCES);
  for (const entry of lease.entries.filter((e) => e.kind === 'text-classifier')) {
    const meter = new UsageMeter();
    const session = meter.wrap(lease.get(entry.id));
    const times = await timeRuns(() => scoreTexts(session, entry, texts, { maxBatch: entry.batching.maxBatch }));
    const u = Object.values(meter.snapshot())[0] ?? { calls: 0, items: 0 };
    const runs = TEXT_RUNS + 1;
    figures.push({
      what: `${entry.id}@${entry.version}`,
      input: `${TEXT_SENTENCES} sample + hand-written`,
      ...times,
      calls: u.calls / runs,
      meanBatch: u.calls ? u.items / u.calls : 0,
    });
  }
  return figures;
}

async function runStage(stage: 'ensemble-a' | 'ensemble-b'): Promise<StageFigure> {
  const input = stage === 'ensemble-a' ? await thirtyMinutesOfAudio() : await thirtyMinutesOfSentences();
  // On the model threads a worker runs them on (PODPREVIEW_MODEL_THREADS' default).
  const registry = await ModelRegistry.open({ stage, provider: 'cpu', threads: loadConfig({}).modelThreads });
  const lease = await registry.lease();
  const models: ModelFigure[] = [];
  const stageStarted = performance.now();
  const scores: Record<string, Float32Array> = {};
  // A front end's models run with it (their figures are the front end's row); the rest alone.
  for (const entry of [...lease.entries].filter((e) => !e.frontEnd).sort((a, b) => runOrder(a) - runOrder(b))) {
    const session = lease.get(entry.id);
    const meter = new UsageMeter();
    const started = performance.now();
    if (entry.kind === 'spectra') {
      const heads = lease.entries.filter((e) => e.frontEnd === entry.id).map((e) => ({ entry: e, session: lease.get(e.id) }));
      await runFrontEnd(meter.wrap(session), heads, input as Int16Array);
    } else if (stage === 'ensemble-a') await AUDIO_RUNNERS[entry.kind]!.run(meter.wrap(session), entry, input as Int16Array);
    else {
      const texts = input as string[];
      const sentences = texts.map((text, i) => ({ startSec: (i * EPISODE_SEC) / texts.length, endSec: ((i + 0.9) * EPISODE_SEC) / texts.length, text }));
      Object.assign(scores, await TEXT_RUNNERS[entry.kind]!(meter.wrap(session), entry, { sentences, durationSec: EPISODE_SEC, scores }));
    }
    const ms = performance.now() - started;
    const u = Object.values(meter.snapshot())[0] ?? { calls: 0, items: 0 };
    const readers = lease.entries.filter((e) => e.frontEnd === entry.id).map((e) => `${e.id}@${e.version}`);
    models.push({
      model: [`${entry.id}@${entry.version}`, ...readers].join(' + '),
      ms,
      rtf: ms / 1000 / EPISODE_SEC,
      calls: u.calls,
      meanBatch: u.calls ? u.items / u.calls : 0,
      loadMs: session.loadMs,
    });
  }
  const stageMs = performance.now() - stageStarted;
  const rssMiB = process.memoryUsage().rss / 2 ** 20;
  const text = stage === 'ensemble-b' ? await textFigures(lease) : undefined;
  lease.release();
  return { stage, stageMs, rssMiB, models, text };
}

const stageArg = process.argv.indexOf('--stage');
if (stageArg > 0) {
  const figure = await runStage(process.argv[stageArg + 1] as 'ensemble-a' | 'ensemble-b');
  process.stdout.write(JSON.stringify(figure));
} else {
  const figures: StageFigure[] = ['ensemble-a', 'ensemble-b'].map(
    (stage) => JSON.parse(execFileSync(process.execPath, ['--import', 'tsx', self, '--stage', stage], { encoding: 'utf8', maxBuffer: 1 << 24 })) as StageFigure,
  );
  const table = new Table({ head: ['stage', 'model', 'wall ms (30 min)', 'RTF', 'calls', 'mean batch', 'load ms'], style: { head: [], border: [] } });
  for (const f of figures)
    for (const m of f.models) table.push([f.stage, m.model, m.ms.toFixed(0), m.rtf.toFixed(5), m.calls, m.meanBatch.toFixed(1), m.loadMs.toFixed(0)]);
  process.stdout.write(`${table.toString()}\n`);
  for (const f of figures)
    process.stdout.write(`${f.stage}: all models ${(f.stageMs / 1000).toFixed(2)} s for a 30-minute episode; worker RSS ${f.rssMiB.toFixed(0)} MiB\n`);
  const text = new Table({
    head: ['text side', 'sentences', 'median ms', 'best ms', 'µs / sentence', 'calls', 'mean batch'],
    style: { head: [], border: [] },
  });
  for (const t of figures.flatMap((f) => f.text ?? []))
    text.push([
      t.what,
      t.input,
      t.medianMs.toFixed(1),
      t.bestMs.toFixed(1),
      ((t.medianMs * 1000) / TEXT_SENTENCES).toFixed(1),
      t.calls || '-',
      t.meanBatch ? t.meanBatch.toFixed(1) : '-',
    ]);
  process.stdout.write(`${text.toString()}\n`);
  process.stdout.write(`text side: one warm-up run, then median and best of ${TEXT_RUNS}; calls are per run\n`);
}
