/**
 * `npm run eval:asr`: speech-to-text on the evaluation set's voices (none of which it was tuned
 * on): word error rate and speed per episode on a stretch of content and on an ad read, and
 * whether the ad detector, fed the recognised words, tells the ad from the content. This is the
 * measurement behind how (and whether) ASR feeds selection; it prints a table and writes
 * `.data/eval-asr-report.json`.
 */
import { writeFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import path from 'node:path';
import { createModelSession, createPocketsphinx, modelsForStage, readManifest, scoreTexts, wordErrorRate, wordsToSentences } from '@podpreview/models';
import { runCommandSync } from '@podpreview/shared';
import Table from 'cli-table3';
import { loadOrGenerateEvalSet, REPO_ROOT } from './generate.ts';
import type { EpisodeLabels, Interval } from './labels.ts';

const CONTENT_SEC = 30;
const limit = Number(process.argv.find((a) => a.startsWith('--episodes='))?.split('=')[1] ?? 12);
const say = (line: string) => process.stdout.write(`${line}\n`);

const { set, dir } = await loadOrGenerateEvalSet({ log: say });
const manifest = await readManifest();
const asr = await createPocketsphinx(manifest.find((m) => m.kind === 'speech-to-text')!, { lanes: availableParallelism(), chunkSec: 15 });
const adEntry = modelsForStage(manifest, 'ensemble-b').find((m) => m.id === 'ad-detector')!;
const adSession = await createModelSession(adEntry, 'cpu');

function decode(file: string, span: Interval): Int16Array {
  const b = runCommandSync('ffmpeg', [
    '-nostdin',
    '-loglevel',
    'error',
    '-ss',
    String(span.startSec),
    '-t',
    String(span.endSec - span.startSec),
    '-i',
    file,
    '-ac',
    '1',
    '-ar',
    '16000',
    '-f',
    's16le',
    'pipe:1',
  ]);
  return new Int16Array(b.buffer, b.byteOffset, Math.floor(b.byteLength / 2));
}

async function measure(ep: EpisodeLabels, span: Interval) {
  const reference = ep.sentences
    .filter((s) => s.startSec >= span.startSec - 0.05 && s.endSec <= span.endSec + 0.05)
    .map((s) => s.text)
    .join(' ');
  const r = await asr.transcribe(decode(path.join(dir, ep.file), span));
  const sentences = wordsToSentences(r.words);
  const p =
    sentences.length > 0
      ? await scoreTexts(
          adSession,
          adEntry,
          sentences.map((s) => s.text),
          { maxBatch: 256 },
        )
      : new Float32Array();
  return {
    wer: wordErrorRate(reference, r.words.map((w) => w.word).join(' ')),
    audioSec: r.audioSec,
    engineSec: r.engineMs / 1000,
    adMean: p.length ? p.reduce((a, b) => a + b, 0) / p.length : 0,
    words: r.words.length,
  };
}

const rows = [];
for (const ep of set.episodes.slice(0, limit)) {
  const firstContent = ep.sentences.find((s) => s.kind === 'content')!;
  const contentEnd = Math.max(...ep.sentences.filter((s) => s.kind === 'content' && s.endSec <= firstContent.startSec + CONTENT_SEC).map((s) => s.endSec));
  const ad = ep.segments.find((s) => s.kind === 'ad');
  const content = await measure(ep, { startSec: firstContent.startSec, endSec: contentEnd });
  const adRead = ad ? await measure(ep, ad) : null;
  const reader = ep.sentences.find((s) => s.kind === 'ad')?.speaker ?? '-';
  rows.push({
    id: ep.id,
    voices: `${ep.voices.host} / ${ep.voices.guest}`,
    adVoice: reader === 'announcer' ? ep.voices.announcer : `${reader} (${ep.voices[reader as 'host']})`,
    content,
    ad: adRead,
  });
  say(`  ${ep.id}: content WER ${(100 * content.wer).toFixed(0)} %${adRead ? `, ad WER ${(100 * adRead.wer).toFixed(0)} %` : ''}`);
}
await adSession.dispose();

const pct = (x: number) => `${(100 * x).toFixed(0)} %`;
const table = new Table({ head: ['episode', 'host / guest', 'ad read by', 'content WER', 'ad WER', 'p(ad) content', 'p(ad) ad'] });
for (const r of rows)
  table.push([r.id, r.voices, r.adVoice, pct(r.content.wer), r.ad ? pct(r.ad.wer) : '-', r.content.adMean.toFixed(2), r.ad ? r.ad.adMean.toFixed(2) : '-']);
say(table.toString());
const all = rows.flatMap((r) => [r.content, ...(r.ad ? [r.ad] : [])]);
const audioSec = all.reduce((a, m) => a + m.audioSec, 0);
const summary = {
  episodes: rows.length,
  audioSec: Math.round(audioSec),
  contentWer: rows.reduce((a, r) => a + r.content.wer, 0) / rows.length,
  adWer: rows.filter((r) => r.ad).reduce((a, r) => a + r.ad!.wer, 0) / rows.filter((r) => r.ad).length,
  coreSecPerAudioSec: all.reduce((a, m) => a + m.engineSec, 0) / audioSec,
  adSeparated: rows.filter((r) => r.ad && r.ad.adMean > r.content.adMean + 0.2).length / rows.filter((r) => r.ad).length,
};
say(
  `mean WER: content ${pct(summary.contentWer)}, ad reads ${pct(summary.adWer)}; ${summary.coreSecPerAudioSec.toFixed(2)} core-s per audio s; ` +
    `ad detector on ASR text rates the ad read clearly above content (by > 0.2) in ${pct(summary.adSeparated)} of episodes`,
);
writeFileSync(path.join(REPO_ROOT, '.data', 'eval-asr-report.json'), `${JSON.stringify({ summary, rows }, null, 1)}\n`);
