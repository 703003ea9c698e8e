import { type EnvOf, num, setting } from './setting.ts';

/** How much each model's evidence counts when windows are compared (see selection/window.ts). */
export interface SelectionWeights {
  speech: number;
  music: number;
  ad: number;
  introOutro: number;
  silence: number;
  centrality: number;
  sentenceEnd: number;
  pauseEnd: number;
  startPause: number;
  edges: number;
  otherVoice: number;
  monologue: number;
}

export const selectionSettings = {
  PODPREVIEW_WEIGHT_SPEECH: setting(num(1), 'selection: reward for voice activity in the window'),
  PODPREVIEW_WEIGHT_MUSIC: setting(
    num(1),
    'selection: penalty for music where nobody speaks for over 1.5 s (an intro, a sting; a bed under talk costs nothing)',
  ),
  PODPREVIEW_WEIGHT_AD: setting(num(1.5), 'selection: penalty for ad reads (transcript path)'),
  PODPREVIEW_WEIGHT_INTRO_OUTRO: setting(num(1), 'selection: penalty for intros and outros (transcript path)'),
  PODPREVIEW_WEIGHT_SILENCE: setting(num(1), 'selection: penalty for silences of 2 s or more'),
  PODPREVIEW_WEIGHT_CENTRALITY: setting(num(0.3), "selection: reward for sentences close to the episode's topic"),
  PODPREVIEW_WEIGHT_SENTENCE_END: setting(
    num(0.3),
    'selection with a transcript: bonus for a start whose window can end cleanly (its end, moved up to 1 s either way, lands after a sentence or in a VAD pause)',
  ),
  PODPREVIEW_WEIGHT_PAUSE_END: setting(
    num(0.15),
    'selection without a transcript: bonus for a start whose window can end cleanly (its end, moved up to 1 s either way, lands in a VAD pause of at least 0.25 s: between sentences, not a breath)',
  ),
  PODPREVIEW_WEIGHT_START_PAUSE: setting(
    num(0.1),
    'selection without a transcript: bonus for a start after a longer quiet (full at 1 s), so previews start where a line starts rather than after a pause inside one',
  ),
  PODPREVIEW_WEIGHT_EDGES: setting(
    num(0.5),
    'selection: penalty for the first 20 % and last 10 % of the episode (where intros, pre-roll ads and outros sit), with or without a transcript',
  ),
  PODPREVIEW_WEIGHT_OTHER_VOICE: setting(
    num(1),
    "selection: penalty for blocks spoken by a voice heard only briefly and in few places (voice-embed: an announcer's ad read, a promo), with or without a transcript",
  ),
  PODPREVIEW_WEIGHT_MONOLOGUE: setting(
    num(0.5),
    'selection: penalty for one voice talking alone for 18–75 s in a conversation (voice-embed: an intro, an ad read by the host or by an announcer who sounds like a guest, an outro), with or without a transcript',
  ),
};

export interface SelectionConfig {
  weights: SelectionWeights;
}

export function selectionConfig(e: EnvOf<typeof selectionSettings>): SelectionConfig {
  return {
    weights: {
      speech: e.PODPREVIEW_WEIGHT_SPEECH,
      music: e.PODPREVIEW_WEIGHT_MUSIC,
      ad: e.PODPREVIEW_WEIGHT_AD,
      introOutro: e.PODPREVIEW_WEIGHT_INTRO_OUTRO,
      silence: e.PODPREVIEW_WEIGHT_SILENCE,
      centrality: e.PODPREVIEW_WEIGHT_CENTRALITY,
      sentenceEnd: e.PODPREVIEW_WEIGHT_SENTENCE_END,
      pauseEnd: e.PODPREVIEW_WEIGHT_PAUSE_END,
      startPause: e.PODPREVIEW_WEIGHT_START_PAUSE,
      edges: e.PODPREVIEW_WEIGHT_EDGES,
      otherVoice: e.PODPREVIEW_WEIGHT_OTHER_VOICE,
      monologue: e.PODPREVIEW_WEIGHT_MONOLOGUE,
    },
  };
}
