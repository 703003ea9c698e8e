import { z } from 'zod';

/**
 * How much each kind of evidence counts when selection compares windows: one entry per weight,
 * with the environment variable that overrides it, its unit, the range config accepts and why
 * it has its value. Config's PODPREVIEW_WEIGHT_* settings and the table in
 * docs/selection-params.md are derived from this list (selection's other thresholds live in
 * the pipeline's selection/params.ts, which adds this list to its own).
 *
 * Units: a reward `× window mean` adds weight × the evidence's mean over the window (0..1); a
 * penalty `per 10 s` subtracts weight for every 10 s of the window the evidence covers, so a
 * second of ad costs the same in every window; `once` is added when its condition holds.
 */
export interface SelectionParam {
  value: number;
  unit: string;
  range: readonly [number, number];
  reason: string;
}

export interface SelectionWeightParam extends SelectionParam {
  env: `PODPREVIEW_WEIGHT_${string}`;
}

export const SELECTION_WEIGHT_PARAMS = {
  speech: {
    env: 'PODPREVIEW_WEIGHT_SPEECH',
    value: 1,
    unit: '× window mean',
    range: [0, 10],
    reason: 'The unit the other weights are measured against: a preview is speech.',
  },
  music: {
    env: 'PODPREVIEW_WEIGHT_MUSIC',
    value: 1,
    unit: 'per 10 s',
    range: [0, 10],
    reason: 'Music where nobody speaks for over 1.5 s (an intro, a sting): as bad as silence, not worse than an ad.',
  },
  ad: {
    env: 'PODPREVIEW_WEIGHT_AD',
    value: 1.5,
    unit: 'per 10 s',
    range: [0, 10],
    reason: 'An ad in a preview is the worst miss a listener hears; text evidence of one outweighs every other penalty.',
  },
  introOutro: {
    env: 'PODPREVIEW_WEIGHT_INTRO_OUTRO',
    value: 1,
    unit: 'per 10 s',
    range: [0, 10],
    reason: "The show's framing (welcome, thanks for listening) tells nothing of the episode.",
  },
  silence: {
    env: 'PODPREVIEW_WEIGHT_SILENCE',
    value: 1,
    unit: 'per 10 s',
    range: [0, 10],
    reason: 'Dead air of 2 s or more sounds broken in a 60 s clip.',
  },
  centrality: {
    env: 'PODPREVIEW_WEIGHT_CENTRALITY',
    value: 0.3,
    unit: '× window mean',
    range: [0, 10],
    reason: 'Topicality breaks ties between clean windows; smaller than one second of any penalty so it never buys a bad second.',
  },
  sentenceEnd: {
    env: 'PODPREVIEW_WEIGHT_SENTENCE_END',
    value: 0.3,
    unit: 'once, × quiet at the end / 0.5 s',
    range: [0, 10],
    reason: 'With a transcript: the window can end after a sentence (within 1 s of 60 s). Worth 3 s of a full penalty.',
  },
  pauseEnd: {
    env: 'PODPREVIEW_WEIGHT_PAUSE_END',
    value: 0.15,
    unit: 'once, × quiet at the end / 0.5 s',
    range: [0, 10],
    reason: 'Without a transcript: the window can end in a pause long enough to be between sentences; VAD pauses are weaker evidence than a sentence end.',
  },
  startPause: {
    env: 'PODPREVIEW_WEIGHT_START_PAUSE',
    value: 0.2,
    unit: 'once, × quiet before / 1 s',
    range: [0, 10],
    reason:
      'A line or turn starts after a longer quiet than a breath inside it; with a transcript too, as cue times are coarse. More than pauseEnd: a start mid-sentence fails a preview, an end in one only mars it.',
  },
  edges: {
    env: 'PODPREVIEW_WEIGHT_EDGES',
    value: 0.5,
    unit: 'per 10 s',
    range: [0, 10],
    reason: "Intros, pre-roll ads and outros sit at an episode's ends in most shows; a weak prior, for what the models miss.",
  },
  otherVoice: {
    env: 'PODPREVIEW_WEIGHT_OTHER_VOICE',
    value: 1,
    unit: 'per 10 s',
    range: [0, 10],
    reason: "A voice heard only briefly and in few places is an announcer's ad read or a promo.",
  },
  monologue: {
    env: 'PODPREVIEW_WEIGHT_MONOLOGUE',
    value: 0.5,
    unit: 'per 10 s',
    range: [0, 10],
    reason: "One voice alone for long in a conversation is the show's framing: intro, host-read ad, outro. Half an ad: long answers are content.",
  },
  guestIntro: {
    env: 'PODPREVIEW_WEIGHT_GUEST_INTRO',
    value: 1,
    unit: 'per 10 s',
    range: [0, 10],
    reason:
      'The seconds before a main voice is first heard mid-episode: where a joining guest is introduced. As strong as rare-voice evidence; content lies on either side.',
  },
} as const satisfies Record<string, SelectionWeightParam>;

export type SelectionWeightName = keyof typeof SELECTION_WEIGHT_PARAMS;
/** How much each model's evidence counts when windows are compared (see the pipeline's selection/window.ts). */
export type SelectionWeights = Record<SelectionWeightName, number>;
type WeightEnv = (typeof SELECTION_WEIGHT_PARAMS)[SelectionWeightName]['env'];

const names = Object.keys(SELECTION_WEIGHT_PARAMS) as SelectionWeightName[];

/** The PODPREVIEW_WEIGHT_* entries of config's environment schema: each weight's default and range. */
export const selectionWeightEnv = Object.fromEntries(
  names.map((n) => {
    const p: SelectionWeightParam = SELECTION_WEIGHT_PARAMS[n];
    return [p.env, z.coerce.number().min(p.range[0]).max(p.range[1]).default(p.value)];
  }),
) as Record<WeightEnv, z.ZodDefault<z.ZodCoercedNumber>>;

/** The weights from a parsed environment. */
export function selectionWeightsFrom(env: Record<WeightEnv, number>): SelectionWeights {
  return Object.fromEntries(names.map((n) => [n, env[SELECTION_WEIGHT_PARAMS[n].env]])) as SelectionWeights;
}

/** The shipped weights, as config gives them with no PODPREVIEW_WEIGHT_* set. */
export const DEFAULT_SELECTION_WEIGHTS: SelectionWeights = Object.fromEntries(names.map((n) => [n, SELECTION_WEIGHT_PARAMS[n].value])) as SelectionWeights;
