import { createHash } from 'node:crypto';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { runCommand } from '@podpreview/shared';
import { type ModelEntry, ModelIntegrityError, resolveModelPath } from '@podpreview/model-manifest';
import { inParallel } from '../in-parallel.ts';
import type { Pcm } from '../pcm.ts';
import type { AsrResult, AsrWord, SpeechToText } from './speech-to-text.ts';

const RATE = 16_000;

/** Files of the model beside the language model (`file`): acoustic model and dictionary. */
interface ModelFile {
  path: string;
  sha256: string;
  bytes: number;
}

export interface PocketsphinxOptions {
  /** Chunks transcribed at once (one single-threaded engine process each). */
  lanes: number;
  /** Audio per chunk; each boundary moves to the quietest 0.1 s within 3 s of it. */
  chunkSec?: number;
  /** Scratch directory for the chunks' raw audio. */
  tempDir?: string;
  manifestPath?: string;
}

/**
 * CMU PocketSphinx (Debian's `pocketsphinx` with `pocketsphinx-en-us`) as a SpeechToText: the
 * episode is cut into chunks at quiet points and each chunk runs in its own
 * `pocketsphinx_continuous` process, so a long episode uses every core. Every model file is
 * checked against the manifest's sha256 before the first use, like the ONNX weights.
 */
export async function createPocketsphinx(entry: ModelEntry, o: PocketsphinxOptions): Promise<SpeechToText> {
  const lm = resolveModelPath(entry, o.manifestPath);
  const files = (entry.params?.files ?? []) as ModelFile[];
  await Promise.all([{ path: lm, sha256: entry.sha256, bytes: entry.bytes }, ...files].map(verify));
  const hmm = String(entry.params?.hmm);
  const dict = String(entry.params?.dict);
  const chunkSec = o.chunkSec ?? Number(entry.params?.chunkSec ?? 120);
  return {
    id: `${entry.id}@${entry.version}`,
    async transcribe(pcm, opts = {}): Promise<AsrResult> {
      const started = performance.now();
      const base = o.tempDir ?? tmpdir();
      await mkdir(base, { recursive: true });
      const dir = await mkdtemp(path.join(base, 'podpreview-asr-'));
      try {
        const chunks = chunkBounds(pcm, chunkSec);
        const words: AsrWord[][] = [];
        let engineMs = 0;
        await inParallel(
          chunks.map((c, i) => ({ ...c, i })),
          Math.max(1, o.lanes),
          async ({ from, to, i }) => {
            const file = path.join(dir, `${i}.raw`);
            const s16 =
              pcm instanceof Int16Array
                ? pcm.subarray(from, to)
                : Int16Array.from(pcm.subarray(from, to), (v) => Math.max(-32768, Math.min(32767, Math.round(v * 32768))));
            await writeFile(file, new Uint8Array(s16.buffer, s16.byteOffset, s16.byteLength));
            const t0 = performance.now();
            const r = await runCommand(
              'pocketsphinx_continuous',
              ['-infile', file, '-time', 'yes', '-hmm', hmm, '-lm', lm, '-dict', dict, '-samprate', String(RATE), '-logfn', '/dev/null'],
              opts.signal ? { signal: opts.signal } : {},
            );
            engineMs += performance.now() - t0;
            if (r.code !== 0) throw new Error(`pocketsphinx_continuous exited with ${r.code ?? r.signal}: ${r.stderr.slice(-500)}`);
            words[i] = parsePocketsphinx(r.stdout.toString('utf8'), from / RATE);
          },
        );
        return { words: words.flat(), audioSec: pcm.length / RATE, elapsedMs: performance.now() - started, engineMs };
      } finally {
        await rm(dir, { recursive: true, force: true });
      }
    },
  };
}

async function verify(f: ModelFile): Promise<void> {
  const bytes = await readFile(f.path).catch((e: NodeJS.ErrnoException) => {
    throw new ModelIntegrityError(`speech-to-text model file ${f.path} is missing (${e.code}); install it: apt-get install -y pocketsphinx pocketsphinx-en-us`);
  });
  const sha = createHash('sha256').update(bytes).digest('hex');
  if (sha !== f.sha256 || bytes.byteLength !== f.bytes) {
    throw new ModelIntegrityError(
      `speech-to-text model file ${f.path}: expected sha256 ${f.sha256} (${f.bytes} bytes), got ${sha} (${bytes.byteLength} bytes)`,
    );
  }
}

/**
 * Chunk boundaries (in samples) every `chunkSec`, each moved to the quietest 0.1 s within 3 s,
 * so a cut rarely splits a word.
 */
export function chunkBounds(pcm: Pcm, chunkSec: number): { from: number; to: number }[] {
  const step = Math.round(chunkSec * RATE);
  const win = RATE / 10;
  const cuts = [0];
  for (let target = step; target < pcm.length - step / 4; target += step) {
    let best = target;
    let bestEnergy = Infinity;
    for (let at = Math.max(cuts.at(-1)! + win, target - 3 * RATE); at + win <= Math.min(pcm.length, target + 3 * RATE); at += win) {
      let e = 0;
      for (let k = at; k < at + win; k++) e += pcm[k]! * pcm[k]!;
      if (e < bestEnergy) {
        bestEnergy = e;
        best = at + win / 2;
      }
    }
    cuts.push(best);
  }
  cuts.push(pcm.length);
  return cuts.slice(0, -1).map((from, i) => ({ from, to: cuts[i + 1]! }));
}

/**
 * `pocketsphinx_continuous -time yes` prints, per utterance, the hypothesis line and then one
 * `word start end posterior` line per segment; fillers (`<s>`, `<sil>`, `[NOISE]`) are dropped
 * and alternate pronunciations (`read(2)`) named by their word.
 */
export function parsePocketsphinx(stdout: string, offsetSec = 0): AsrWord[] {
  const words: AsrWord[] = [];
  for (const line of stdout.split('\n')) {
    const m = /^(\S+) (\d+(?:\.\d+)?) (\d+(?:\.\d+)?) (\d+(?:\.\d+)?)$/.exec(line.trim());
    if (!m) continue;
    const token = m[1]!;
    if (token.startsWith('<') || token.startsWith('[') || token.startsWith('++')) continue;
    words.push({
      word: token.replace(/\(\d+\)$/, ''),
      startSec: Number(m[2]) + offsetSec,
      endSec: Number(m[3]) + offsetSec,
      confidence: Math.min(1, Number(m[4])),
    });
  }
  return words;
}
