import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { type ModelEntry, ModelIntegrityError, readManifest } from '@podpreview/model-manifest';
import { runCommandSync } from '@podpreview/shared';
import { decode16k } from '../testing/fixtures.ts';
import { chunkBounds, createPocketsphinx, parsePocketsphinx } from './pocketsphinx.ts';
import { wordsToSentences } from './speech-to-text.ts';
import { wordErrorRate } from './wer.ts';

const OUTPUT = `and a you had
<s> 0.000 1.460 0.994415
and(2) 1.470 2.020 0.020259
<sil> 2.390 3.970 0.979510
had 3.980 4.780 0.861985
[SPEECH] 4.790 4.810 0.649307
what are you
what 18.920 18.990 0.219308
are(3) 19.160 19.370 0.135724
you 19.380 19.570 1.000100
</s> 19.580 19.600 1.000000
`;

describe('parsePocketsphinx', () => {
  it('keeps words with their times and posteriors, drops fillers, names alternates by their word', () => {
    const words = parsePocketsphinx(OUTPUT, 100);
    expect(words.map((w) => w.word)).toEqual(['and', 'had', 'what', 'are', 'you']);
    expect(words[0]).toEqual({ word: 'and', startSec: 101.47, endSec: 102.02, confidence: 0.020259 });
    expect(words.at(-1)!.confidence).toBe(1);
  });
});

describe('wordsToSentences', () => {
  it('cuts at pauses and at the word limit', () => {
    const w = (word: string, startSec: number) => ({ word, startSec, endSec: startSec + 0.3, confidence: 1 });
    const s = wordsToSentences([w('a', 0), w('b', 0.35), w('c', 2), w('d', 2.3), w('e', 2.6), w('f', 2.9)], { pauseSec: 0.5, maxWords: 3 });
    expect(s.map((x) => x.text)).toEqual(['a b', 'c d e', 'f']);
    expect(s[0]).toMatchObject({ startSec: 0 });
    expect(s[0]!.endSec).toBeCloseTo(0.65);
    expect(s[2]!.startSec).toBeCloseTo(2.9);
  });
});

describe('chunkBounds', () => {
  it('cuts every chunk at the quietest 0.1 s near its nominal end, covering every sample once', () => {
    const pcm = new Int16Array(16_000 * 25).map((_, i) => (Math.sin(i / 5) * 8000) | 0);
    pcm.fill(0, 16_000 * 11, 16_000 * 11 + 1600); // a pause 1 s after the first nominal cut
    const c = chunkBounds(pcm, 10);
    expect(c[0]!.from).toBe(0);
    expect(c.at(-1)!.to).toBe(pcm.length);
    for (let i = 1; i < c.length; i++) expect(c[i]!.from).toBe(c[i - 1]!.to);
    expect(c[1]!.from).toBe(16_000 * 11 + 800);
  });
});

describe('wordErrorRate', () => {
  it('counts substitutions, insertions and deletions over the reference words', () => {
    expect(wordErrorRate('the cat sat on the mat', 'the cat sat on the mat')).toBe(0);
    expect(wordErrorRate("The cat's sat, on the mat.", 'the cats sat on a mat')).toBeCloseTo(1 / 6);
    expect(wordErrorRate('a b c d', 'a c d e f')).toBeCloseTo(3 / 4);
  });
});

const SCRIPT =
  'Thanks for having me. The headline is that North Atlantic sea temperatures stayed above average for a fourteenth month. Most researchers point to long term warming and weaker trade winds. Several monitoring stations have reported bleaching this week.';
const FLITE = existsSync('/usr/bin/flite');
const BIN = ['/usr/bin/pocketsphinx_continuous', '/usr/local/bin/pocketsphinx_continuous'].some(existsSync);
let entry: ModelEntry | undefined;
beforeAll(async () => {
  entry = (await readManifest()).find((m) => m.kind === 'speech-to-text');
});
const installed = BIN && existsSync('/usr/share/pocketsphinx/model/en-us/en-us.lm.bin');

describe('pocketsphinx-en-us (Debian)', () => {
  beforeAll(() => {
    if (!installed)
      throw new Error('pocketsphinx_continuous or its en-us model is missing: npm test installs them (apt-get install -y pocketsphinx pocketsphinx-en-us)');
    if (!FLITE) throw new Error('flite is missing: npm test installs it (apt-get install -y flite)');
  });

  it('is in the manifest with every file hashed, and refuses a file that does not match', async () => {
    expect(entry).toMatchObject({ id: 'pocketsphinx-en-us', stage: 'transcribe', licence: 'BSD-2-Clause' });
    const files = entry!.params!.files as { path: string }[];
    expect(files.map((f) => path.basename(f.path))).toEqual(expect.arrayContaining(['cmudict-en-us.dict', 'mdef', 'means', 'variances']));
    const broken = { ...entry!, params: { ...entry!.params, files: [{ ...(files[0] as object), sha256: '0'.repeat(64) }] } };
    await expect(createPocketsphinx(broken, { lanes: 1 })).rejects.toThrow(ModelIntegrityError);
  });

  it('transcribes read speech in parallel chunks: words on the timeline, most of the script heard', async () => {
    const asr = await createPocketsphinx(entry!, { lanes: 2, chunkSec: 6 });
    const dir = mkdtempSync(path.join(tmpdir(), 'podpreview-asr-test-'));
    try {
      // flite's awb: a voice built from one man's recordings (CMU ARCTIC), never tuned for here.
      runCommandSync('flite', ['-voice', 'awb', '-t', SCRIPT, '-o', path.join(dir, 'read.wav')]);
      const pcm = decode16k(path.join(dir, 'read.wav'));
      const r = await asr.transcribe(pcm);
      expect(r.audioSec).toBeCloseTo(pcm.length / 16_000, 3);
      for (let i = 0; i < r.words.length; i++) {
        const w = r.words[i]!;
        expect(w.endSec).toBeGreaterThanOrEqual(w.startSec);
        expect(w.endSec).toBeLessThanOrEqual(r.audioSec + 0.01);
        if (i > 0) expect(w.startSec).toBeGreaterThanOrEqual(r.words[i - 1]!.startSec);
      }
      const wer = wordErrorRate(SCRIPT, r.words.map((w) => w.word).join(' '));
      console.log(
        `pocketsphinx on ${r.audioSec.toFixed(1)} s read by flite awb: WER ${(100 * wer).toFixed(0)} %, ${(r.engineMs / 1000 / r.audioSec).toFixed(2)} core-s per audio s`,
      );
      expect(wer).toBeLessThan(0.35); // measured 12 % in one piece; chunk cuts cost a word or two
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 120_000);
});
