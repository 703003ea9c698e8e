import { statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  encodeAudio,
  fadeIn,
  mulberry32,
  renderMusic,
  renderSentence,
  SAMPLE_RATE,
  Timeline,
  toSec,
  toSrt,
  toVtt,
  turnPauseSec,
  verifyEncoded,
  writeWav,
  type Clip,
  type CueText,
  type SentenceRules,
} from '@podpreview/synth';
import { songOf } from './content/music.ts';
import type { Bed, EpisodeLabels, Segment, SentenceLabel } from './labels.ts';
import type { EpisodePlan, Part } from './plan.ts';
import { voiceOf } from './plan.families.ts';

/** Conversational lines may be short ("And nobody minded?") or long; each is one sentence. */
export const SENTENCE_RULES: SentenceRules = { minWords: 3, maxWords: 34 };
/** A bed starts this long before the first sentence over it and rings on after the last. */
const BED_LEAD_SEC = 0.3;
const BED_TAIL_SEC = 0.4;

/**
 * Renders a plan to an encoded file (plus transcript) in `outDir` and returns its labels.
 * Intermediate WAVs go to `workDir`. Every label comes from sample positions on the timeline.
 */
export function renderEpisode(plan: EpisodePlan, outDir: string, workDir: string): EpisodeLabels {
  const tl = new Timeline();
  const rng = mulberry32(plan.seed ^ 0x5a5a_5a5a);
  const segments: Segment[] = [];
  const sentences: SentenceLabel[] = [];
  const beds: Bed[] = [];
  const structure: string[] = [];
  let pendingSilence: number | null = null;
  let clips = 0;

  /** Places a clip after the pending dead air (labelled) or after the part's own gap. */
  const place = (clip: Clip, gapSec: number) => {
    const placed = tl.place(clip, pendingSilence ?? gapSec);
    if (pendingSilence !== null) {
      segments.push({ kind: 'silence', startSec: toSec(placed.gapStart), endSec: toSec(placed.start) });
      structure.push(`silence ${toSec(placed.gapStart)}-${toSec(placed.start)}`);
      pendingSilence = null;
    }
    return placed;
  };

  const renderPart = (part: Part): void => {
    if (part.type === 'silence') {
      pendingSilence = (pendingSilence ?? 0) + part.seconds;
      return;
    }
    if (part.type === 'music') {
      const { start, end } = place(renderMusic(`${plan.id}-${clips++}`, part.song, workDir), part.gapSec);
      segments.push({ kind: 'music', startSec: toSec(start), endSec: toSec(end) });
      structure.push(`music ${toSec(start)}-${toSec(end)} (${part.note})`);
      return;
    }
    let first = -1;
    let last = -1;
    let previous: string | null = null;
    for (const line of part.lines) {
      const voice = voiceOf(plan.voices[line.speaker]);
      if (!voice) throw new Error(`${plan.id}: no voice "${plan.voices[line.speaker]}"`);
      const gap = previous === null ? part.gapSec : turnPauseSec(previous === line.speaker, rng);
      const { start, end } = place(renderSentence(line.text, voice, workDir, SENTENCE_RULES), gap);
      if (first < 0) first = start;
      last = end;
      sentences.push({ startSec: toSec(start), endSec: toSec(end), kind: part.kind, speaker: line.speaker, text: line.text });
      previous = line.speaker;
    }
    segments.push({ kind: part.kind, startSec: toSec(first), endSec: toSec(last) });
    if (part.bed) {
      const from = first - Math.round(BED_LEAD_SEC * SAMPLE_RATE);
      const to = last + Math.round(BED_TAIL_SEC * SAMPLE_RATE);
      const bed = renderMusic(`${plan.id}-${clips++}`, songOf(part.bed.style, toSec(to - from), BED_TAIL_SEC), workDir);
      tl.overlay(fadeIn(bed.pcm, BED_LEAD_SEC), from, part.bed.gain);
      beds.push({ startSec: toSec(from), endSec: toSec(to), under: part.kind, gain: Math.round(part.bed.gain * 100) / 100 });
    }
    structure.push(
      `${part.kind} ${toSec(first)}-${toSec(last)} (${part.note}, ${part.lines.length} sentences${part.bed ? `, over a music bed at ${Math.round(20 * Math.log10(part.bed.gain))} dB` : ''})`,
    );
  };

  for (const part of plan.parts) renderPart(part);
  const pcm = tl.finish(0.5 + rng());
  const master = join(workDir, `${plan.id}.master.wav`);
  writeWav(master, pcm);

  const file = `${plan.id}.${plan.container}`;
  encodeAudio(master, join(outDir, file), {
    container: plan.container,
    bitrateK: plan.bitrateK,
    title: `${plan.show} (${plan.id})`,
    artist: 'podpreview eval set',
  });
  let transcript: string | null = null;
  if (plan.transcript) {
    transcript = `${plan.id}.${plan.transcript.format}`;
    const cues = toCues(sentences, plan.transcript.sentencesPerCue);
    writeFileSync(join(outDir, transcript), plan.transcript.format === 'vtt' ? toVtt(cues) : toSrt(cues));
  }

  // Sentences clear of beds sit in digital silence, so their edges can be checked on the decoded file.
  // Soft onsets (a breathy "h") hover near the activity threshold and a low-bitrate codec moves
  // that crossing, measured up to 0.2 s (a flite voice at 48 kb/s MP3, `--seed 31337`), so single
  // edges get a loose limit, still inside the scoring's tolerances; a codec delay left in the
  // file would shift every edge, which the median catches.
  const clear = sentences.filter((s) => !beds.some((b) => s.startSec < b.endSec + 0.3 && s.endSec > b.startSec - 0.3));
  const verification = verifyEncoded(join(outDir, file), clear, { maxErrorMs: 250, maxMedianErrorMs: 10 });
  const expectedSec = toSec(pcm.length);
  if (Math.abs(verification.decodedSec - expectedSec) > 0.05) {
    throw new Error(`${file}: decodes to ${verification.decodedSec} s, expected ${expectedSec} s`);
  }
  if (statSync(join(outDir, file)).size === 0) throw new Error(`${file}: empty output`);
  return {
    id: plan.id,
    file,
    transcript,
    hasTranscript: transcript !== null,
    sentencesPerCue: plan.transcript?.sentencesPerCue ?? null,
    container: plan.container,
    durationSec: verification.decodedSec,
    structure,
    voices: { host: plan.voices.host, guest: plan.voices.guest, announcer: plan.voices.announcer },
    families: plan.families,
    segments,
    sentences,
    beds,
  };
}

/** One cue per sentence, or pairs of sentences from the same stretch of speech. */
export function toCues(sentences: readonly SentenceLabel[], perCue: 1 | 2): CueText[] {
  const cues: CueText[] = [];
  for (let i = 0; i < sentences.length; i++) {
    const a = sentences[i]!;
    const b = sentences[i + 1];
    if (perCue === 2 && b && b.kind === a.kind && b.startSec - a.endSec < 1.5) {
      cues.push({ startSec: a.startSec, endSec: b.endSec, text: `${a.text} ${b.text}` });
      i++;
    } else {
      cues.push({ startSec: a.startSec, endSec: a.endSec, text: a.text });
    }
  }
  return cues;
}
