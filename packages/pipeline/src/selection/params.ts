import { SELECTION_WEIGHT_PARAMS, type SelectionParam } from '@podpreview/shared';

/**
 * Every threshold selection uses, in one place: its value, unit, the range it makes sense in,
 * and why it has its value. The weights (how much each evidence counts) live in
 * @podpreview/shared's SELECTION_WEIGHT_PARAMS, since config reads them from the environment;
 * SELECTION_PARAMS joins both for docs/selection-params.md, which a test keeps in step.
 * How each value was measured is in docs/selection-tuning.md, not here.
 */
export const SELECTION_THRESHOLDS = {
  // Timeline and speech (features.ts, onsets.ts)
  featureStepSec: {
    value: 0.1,
    unit: 's',
    range: [0.01, 1],
    reason: "Fine enough that a window's edge is judged to the tenth of a second (ads start mid-second).",
  },
  speechThreshold: { value: 0.5, unit: 'probability', range: [0, 1], reason: "The VAD's decision point: a frame at or above it is speech." },
  silenceRunSec: { value: 2, unit: 's', range: [0.5, 10], reason: 'Quiet this long is dead air, not a pause between sentences or turns.' },
  silenceSpeechMax: { value: 0.15, unit: 'probability', range: [0, 1], reason: 'Dead air: the VAD far below its decision point…' },
  silenceMusicMax: { value: 0.3, unit: 'probability', range: [0, 1], reason: '…and no music either (a music bed is not silence).' },
  pauseMaxSec: {
    value: 1.5,
    unit: 's',
    range: [0.3, 5],
    reason: 'Pauses up to this long are part of talk; music counts against a window only where nobody speaks for longer.',
  },
  sureAd: {
    value: 0.95,
    unit: 'probability',
    range: [0.5, 1],
    reason: 'A sentence the one-sentence ad classifier is this sure of (a promo code, a URL) stays an ad whatever its context reads.',
  },
  rampLow: {
    value: 0.25,
    unit: 'probability',
    range: [0, 0.5],
    reason: "Text evidence starts above the classifiers' noise on ordinary content, so low scores never add up over 60 s…",
  },
  rampHigh: { value: 0.75, unit: 'probability', range: [0.5, 1], reason: '…and is full at this score: the ramp is centred on the 0.5 decision point.' },
  onsetGapSec: {
    value: 0.3,
    unit: 's',
    range: [0.05, 2],
    reason: 'Without a transcript: a start follows at least this much quiet (a breath inside a phrase is shorter).',
  },
  onsetMinSpeechSec: { value: 0.25, unit: 's', range: [0.05, 2], reason: 'An onset is speech that lasts at least this long, not a click.' },
  transcriptOnsetGapSec: {
    value: 0.1,
    unit: 's',
    range: [0.05, 2],
    reason: 'With a transcript, pauses between sentences are short, so onsets count after less quiet.',
  },
  snapMaxSec: {
    value: 1.2,
    unit: 's',
    range: [0, 3],
    reason: "A start interpolated inside a two-sentence cue moves to a speech onset this near: cue times only say where the cue's first sentence starts.",
  },
  // Window ends and starts (window.ts)
  endSlackSec: { value: 1, unit: 's', range: [0, 5], reason: "How far the window's end may move from 60 s to end cleanly (60 ± 1 s is the preview's length)." },
  startPauseFullSec: {
    value: 1,
    unit: 's',
    range: [0.1, 5],
    reason: "A start after this much quiet gets the whole startPause bonus; a line's start pauses longer than a breath inside it.",
  },
  startQuietMax: {
    value: 0.2,
    unit: 'probability',
    range: [0, 0.5],
    reason: "The quiet before a start counts only frames this far under the VAD's decision point: a voice it half hears (a phone line) is not a pause.",
  },
  halfHeardShare: {
    value: 0.5,
    unit: 'share of the gap',
    range: [0, 1],
    reason:
      'Where more of the second before an onset than this is a voice the VAD half hears (not clear quiet), the onset is inside an utterance (a phone line, a soft voice): the start pays its bonus instead.',
  },
  startRiseSec: {
    value: 0.25,
    unit: 's',
    range: [0, 1],
    reason: 'That quiet may end this long before the onset: the VAD rises through the thresholds over a few frames as speech starts.',
  },
  endTailSec: { value: 0.2, unit: 's', range: [0, 1], reason: "After a transcript sentence's end: the clip keeps the last word's tail." },
  minEndPauseSec: {
    value: 0.25,
    unit: 's',
    range: [0.05, 2],
    reason: 'A window ends in a VAD pause only where the quiet lasts this long: quiet inside sentences (a comma, a stop consonant) is shorter.',
  },
  endQuietFullSec: {
    value: 0.5,
    unit: 's',
    range: [0.05, 3],
    reason:
      'A clean end in quiet this long gets the whole sentenceEnd or pauseEnd bonus, shorter quiet a share: between turns a pause lasts longer than between two sentences of one turn, where an interpolated sentence end may fall in the last word.',
  },
  intoPauseSec: {
    value: 0.05,
    unit: 's',
    range: [0, 1],
    reason: "How far into a VAD pause a window ends: early, since the middle of a long pause is already past the block's last word.",
  },
  pauseHalfSec: { value: 0.15, unit: 's', range: [0.05, 1], reason: 'A pause: the VAD hears mostly no speech within this much either side.' },
  insideSentenceMarginSec: {
    value: 0.3,
    unit: 's',
    range: [0, 1],
    reason: "A VAD pause this far inside a transcript sentence is a comma's gap, not a place to end.",
  },
  penaltyPerSec: {
    value: 10,
    unit: 's',
    range: [1, 60],
    reason: 'Penalties count per this many seconds of the window, so one second of ad costs more than any difference in topicality.',
  },
  edgeMinSec: {
    value: 30,
    unit: 's',
    range: [0, 120],
    reason: "The edge prior's ramps last at least this long: a spoken intro or outro runs 15–30 s whatever the episode's length.",
  },
  guestIntroSec: {
    value: 25,
    unit: 's',
    range: [0, 120],
    reason:
      "A guest joining mid-episode is introduced in the seconds before their first words: the segue and introduction run 10–20 s, and the host's first question follows.",
  },
  talkRunSec: {
    value: 1,
    unit: 's',
    range: [0.1, 10],
    reason: "The episode's talk begins and ends with a run of speech this long: a blip the VAD hears in music is not talk.",
  },
  edgeHeadShare: {
    value: 0.2,
    unit: 'share of duration',
    range: [0, 0.5],
    reason: 'The edge prior falls from 1 at the start to 0 here: where intros and pre-roll ads sit.',
  },
  edgeTailShare: { value: 0.1, unit: 'share of duration', range: [0, 0.5], reason: 'The edge prior rises again over this last share: where outros sit.' },
  // Voices (voices.ts)
  sameVoiceCosine: {
    value: 0.66,
    unit: 'cosine',
    range: [0, 1],
    reason:
      'Between the equal-error thresholds of held-out synthetic voices and recorded actors: splitting a voice costs less than merging an announcer into the host.',
  },
  voiceSpeechShare: { value: 0.6, unit: 'share', range: [0, 1], reason: 'A voice window counts as speech where the VAD hears this much speech in it.' },
  segmentFrames: {
    value: 3,
    unit: 'frames',
    range: [1, 10],
    reason: 'Frames averaged into one voice segment (3 s at the shipped 1 s hop): one frame is too noisy to cluster.',
  },
  rareShare: { value: 0.2, unit: 'share of speech', range: [0, 1], reason: 'A rare voice speaks under this share of the episode…' },
  rareTurns: { value: 3, unit: 'turns', range: [1, 20], reason: "…in at most this many separate turns: an announcer's spots, not a guest." },
  rareMinBlockSec: {
    value: 6,
    unit: 's',
    range: [0, 60],
    reason: "Only a rare voice's blocks of at least this long count; a stray segment is the model's noise.",
  },
  frameMarginCosine: {
    value: 0.05,
    unit: 'cosine',
    range: [0, 1],
    reason: 'A frame moves from its segment to the other main voice only when nearer to it by this much.',
  },
  dialogShare: {
    value: 0.15,
    unit: 'share of speech',
    range: [0, 0.5],
    reason: 'Two voices each with this share make a conversation, where long stretches of one voice are framing.',
  },
  stretchGapSec: { value: 3, unit: 's', range: [0, 10], reason: "Pauses shorter than this (between sentences, a breath) do not end a voice's stretch." },
  straySec: {
    value: 3,
    unit: 's',
    range: [0, 10],
    reason: "A minor voice's stretch this short between two of another voice is the embedding's noise (one segment).",
  },
  monologueMinSec: {
    value: 18,
    unit: 's',
    range: [5, 120],
    reason: "One voice's stretch counts as a monologue from this long: turns in conversation are shorter…",
  },
  monologueMedianFactor: {
    value: 2,
    unit: '× median stretch',
    range: [1, 10],
    reason: "…or this many times the episode's median stretch, so shows with long turns are judged by their own measure…",
  },
  monologueMaxShare: {
    value: 0.3,
    unit: 'share of speech',
    range: [0, 1],
    reason:
      "An episode's framing (intro, ads, outro) is a minority of its talk: where long stretches add up to more, only the longest up to this share are marked.",
  },
  monologueMaxSec: { value: 75, unit: 's', range: [20, 600], reason: '…and up to this long: longer ones are a long answer, or two voices heard as one.' },
} as const satisfies Record<string, SelectionParam>;

type ThresholdName = keyof typeof SELECTION_THRESHOLDS;

/** The thresholds' values by name, for the selection modules. */
export const P = Object.fromEntries(Object.entries(SELECTION_THRESHOLDS).map(([k, v]) => [k, v.value])) as Record<ThresholdName, number>;

/** Every parameter of selection, weights first: what docs/selection-params.md lists. */
export const SELECTION_PARAMS: Record<string, SelectionParam & { env?: string }> = { ...SELECTION_WEIGHT_PARAMS, ...SELECTION_THRESHOLDS };

/** docs/selection-params.md: one table of every parameter, written from SELECTION_PARAMS. */
export function selectionParamsMarkdown(): string {
  const esc = (s: string) => s.replaceAll('|', '\\|');
  const row = ([name, p]: [string, SelectionParam & { env?: string }]) =>
    `| \`${name}\` | ${p.value} | ${p.unit} | ${p.range[0]}–${p.range[1]} | ${p.env ? `\`${p.env}\`` : ''} | ${esc(p.reason)} |`;
  return [
    '# Selection parameters',
    '',
    '<!-- Written from packages/pipeline/src/selection/params.ts and packages/shared/src/selection-weights.ts',
    '     by `npm run docs:selection-params`; a test fails when this file is stale. -->',
    '',
    'Every weight and threshold the choice of preview window uses. Weights can be set through the',
    'environment (config rejects values outside the range); thresholds are constants. Units of the',
    "weights: `× window mean` adds weight × the evidence's mean over the window; `per 10 s` subtracts",
    'weight for every 10 s of the window the evidence covers; `once` is added when its condition holds.',
    'How the values were measured: [selection-tuning.md](selection-tuning.md).',
    '',
    '| name | value | unit | range | env | reason |',
    '|---|---:|---|---|---|---|',
    ...Object.entries(SELECTION_PARAMS).map(row),
    '',
  ].join('\n');
}
