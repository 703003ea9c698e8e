// `npm run bench:doc`: docs/speed.md again from bench/results/summary.json, without measuring.
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { REPO_ROOT } from './figures/common.ts';
import { speedDoc, type Summary } from './figures/speed-doc.ts';

const summary = JSON.parse(await readFile(path.join(REPO_ROOT, 'bench', 'results', 'summary.json'), 'utf8')) as Summary;
await mkdir(path.join(REPO_ROOT, 'docs'), { recursive: true });
await writeFile(path.join(REPO_ROOT, 'docs', 'speed.md'), speedDoc(summary));
