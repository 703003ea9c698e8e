import { execFileSync } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import Table from 'cli-table3';
import { decodeAudio, parseTranscript, splitSentences } from '@podpreview/audio';
import { ModelRegistry, UsageMeter } from '@podpreview/models';
import { AUDIO_RUNNERS, TEXT_RUNNERS } from '@podpreview/pipeline';

/**
 * `npm run bench:models`: each model stage in its own fresh process (so its RSS is its own), on
 * a 30-minute episode: per model the wall time, real-time factor, inference calls and mean
 * batch size, and load time; per stage the worker's RSS after loading and running its models.
 * CPU execution provider; the same code takes CUDA on T4 machines.
 */
const EPISODE_SEC = 30 * 60;
const samplesDir = fileURLToPath(new URL('../../samples', import.meta.url));
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
}

async function thirtyMinutesOfAudio(): Promise<Float32Array> {
  const one = (await decodeAudio(path.join(samplesDir, 'interview.mp3'))).samples;
  const out = new Float32Array(EPISODE_SEC * 16_000);
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

async function runStage(stage: 'ensemble-a' | 'ensemble-b'): Promise<StageFigure> {
  const input = stage === 'ensemble-a' ? await thirtyMinutesOfAudio() : await thirtyMinutesOfSentences();
  const registry = await ModelRegistry.open({ stage, provider: 'cpu' });
  const lease = await registry.lease();
  const models: ModelFigure[] = [];
  const stageStarted = performance.now();
  for (const entry of lease.entries) {
    const session = lease.get(entry.id);
    const meter = new UsageMeter();
    const started = performance.now();
    if (stage === 'ensemble-a') await AUDIO_RUNNERS[entry.kind]!.run(meter.wrap(session), entry, input as Float32Array);
    else await TEXT_RUNNERS[entry.kind]!(meter.wrap(session), entry, input as string[]);
    const ms = performance.now() - started;
    const u = Object.values(meter.snapshot())[0] ?? { calls: 0, items: 0 };
    models.push({
      model: `${entry.id}@${entry.version}`,
      ms,
      rtf: ms / 1000 / EPISODE_SEC,
      calls: u.calls,
      meanBatch: u.calls ? u.items / u.calls : 0,
      loadMs: session.loadMs,
    });
  }
  const stageMs = performance.now() - stageStarted;
  lease.release();
  return { stage, stageMs, rssMiB: process.memoryUsage().rss / 2 ** 20, models };
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
}
