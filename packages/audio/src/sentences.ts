import { createRequire } from 'node:module';
import type winkNLP from 'wink-nlp';
import { type Cue, round3 } from '@podpreview/shared';

export interface Sentence {
  startSec: number;
  endSec: number;
  text: string;
}

export const SENTENCE_MODEL = { id: 'wink-eng-lite-web-model', version: '1.8' } as const;

// Loading the language model takes ~100 ms; do it once per process, and only in one that
// splits a transcript (its modules alone were ~50 ms of every CLI start).
let nlp: ReturnType<typeof winkNLP> | undefined;
function getNlp() {
  if (!nlp) {
    const require = createRequire(import.meta.url);
    const load = require('wink-nlp') as typeof winkNLP;
    nlp = load(require('wink-eng-lite-web-model'));
  }
  return nlp;
}

/**
 * Splits the transcript into sentences (wink-nlp) and places each on the audio timeline.
 * Cues rarely align with sentences: one cue may hold two sentences and one sentence may span
 * cues, so the text is joined, split, and each sentence's start is interpolated by character
 * position inside the cue that holds its first character.
 */
export function splitSentences(cues: Cue[]): Sentence[] {
  if (cues.length === 0) return [];
  let joined = '';
  const spans: { from: number; to: number; cue: Cue }[] = [];
  for (const cue of cues) {
    if (joined) joined += ' ';
    spans.push({ from: joined.length, to: joined.length + cue.text.length, cue });
    joined += cue.text;
  }
  const timeAt = (offset: number): number => {
    const span = spans.find((s) => offset < s.to) ?? spans[spans.length - 1]!;
    const within = Math.max(0, Math.min(1, (offset - span.from) / Math.max(1, span.to - span.from)));
    return span.cue.startSec + within * (span.cue.endSec - span.cue.startSec);
  };
  const texts = getNlp().readDoc(joined).sentences().out() as string[];
  const sentences: Sentence[] = [];
  let cursor = 0;
  for (const raw of texts) {
    const text = raw.trim();
    if (!text) continue;
    const at = joined.indexOf(text, cursor);
    const from = at >= 0 ? at : cursor;
    const to = from + text.length;
    cursor = to;
    sentences.push({ startSec: round3(timeAt(from)), endSec: round3(timeAt(Math.max(from, to - 1))), text });
  }
  // A sentence that ends inside a cue ends at that cue's end when it is the cue's last sentence.
  for (const s of sentences) {
    const cue = cues.find((c) => s.endSec <= c.endSec && s.endSec >= c.startSec);
    if (cue && !sentences.some((o) => o.startSec > s.startSec && o.startSec < cue.endSec)) s.endSec = cue.endSec;
  }
  return sentences;
}
