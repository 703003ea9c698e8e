// Prints {"sed-mini": MB} (or each model named as an argument): resident memory a worker gains by loading each model built here on
// CPU and running one full micro-batch (64 x 1 s), each measured in a fresh node process.
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import path from 'node:path';

const MAX_BATCH = 64;
const WINDOW = 16_000;
const weights = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../weights');

if (process.argv[2] === '--one') {
  const ort = await import('onnxruntime-node');
  global.gc?.();
  const before = process.memoryUsage().rss;
  const session = await ort.InferenceSession.create(process.argv[3], { executionProviders: ['cpu'], graphOptimizationLevel: 'all' });
  const audio = new Float32Array(MAX_BATCH * WINDOW).map((_, i) => Math.sin(i / 7) * 0.1);
  await session.run({ audio: new ort.Tensor('float32', audio, [MAX_BATCH, WINDOW]) });
  const after = process.memoryUsage().rss;
  process.stdout.write(String(Math.ceil((after - before) / 2 ** 20)));
} else {
  const out = {};
  for (const id of process.argv.slice(2).length ? process.argv.slice(2) : ['sed-mini']) {
    const self = fileURLToPath(import.meta.url);
    out[id] = Number(execFileSync(process.execPath, ['--expose-gc', self, '--one', path.join(weights, `${id}.onnx`)]).toString());
  }
  process.stdout.write(JSON.stringify(out));
}
