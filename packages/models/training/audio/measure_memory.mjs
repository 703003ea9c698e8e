// Prints {"sed-mini": MB} (or each model named as an argument): resident memory a worker gains by loading each model built here on
// CPU and running one batch of 64 (1 s windows, or front-end rows), each measured in a fresh node process.
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import path from 'node:path';

const MAX_BATCH = 64;
/** Each model's input: the front end takes audio rows, the heads a window's frames of its spectra. */
const INPUTS = {
  'audio-spectra': ['audio', [16_080]],
  'sed-mini': ['spectra', [49, 208]],
  'voice-embed': ['spectra', [49, 208]],
};
const weights = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../weights');

if (process.argv[2] === '--one') {
  const ort = await import('onnxruntime-node');
  global.gc?.();
  const before = process.memoryUsage().rss;
  const session = await ort.InferenceSession.create(process.argv[3], { executionProviders: ['cpu'], graphOptimizationLevel: 'all' });
  const [name, dims] = INPUTS[process.argv[4]];
  const size = dims.reduce((a, b) => a * b, MAX_BATCH);
  const x = new Float32Array(size).map((_, i) => Math.abs(Math.sin(i / 7)) * 0.1);
  await session.run({ [name]: new ort.Tensor('float32', x, [MAX_BATCH, ...dims]) });
  const after = process.memoryUsage().rss;
  process.stdout.write(String(Math.ceil((after - before) / 2 ** 20)));
} else {
  const out = {};
  for (const id of process.argv.slice(2).length ? process.argv.slice(2) : ['sed-mini']) {
    const self = fileURLToPath(import.meta.url);
    out[id] = Number(execFileSync(process.execPath, ['--expose-gc', self, '--one', path.join(weights, `${id}.onnx`), id]).toString());
  }
  process.stdout.write(JSON.stringify(out));
}
