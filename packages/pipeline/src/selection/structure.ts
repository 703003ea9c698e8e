import { P } from './params.ts';

/**
 * The episode's talk without words: where its speech begins and ends, as opposed to the file's
 * ends. A music intro or outro of 20 s moves where a show's spoken framing sits (the welcome,
 * the sign-off) by as much; priors about "the opening" and "the closing" are measured from here.
 */
export interface TalkExtent {
  fromSec: number;
  toSec: number;
}

/**
 * From the first to the last run of speech at least `talkRunSec` long (a blip in music, a
 * breath, is not the talk starting). The whole episode where no run is that long.
 */
export function talkExtent(speech: Float32Array, stepSec: number, durationSec: number): TalkExtent {
  const minSteps = Math.max(1, Math.round(P.talkRunSec / stepSec));
  let from: number | undefined;
  let to: number | undefined;
  for (let t = 0; t < speech.length; ) {
    let end = t;
    while (end < speech.length && speech[end]! >= P.speechThreshold) end++;
    if (end - t >= minSteps) {
      from ??= t * stepSec;
      to = end * stepSec;
    }
    t = end > t ? end : t + 1;
  }
  return from === undefined || to === undefined ? { fromSec: 0, toSec: durationSec } : { fromSec: from, toSec: Math.min(durationSec, to) };
}

/**
 * 1 before the talk and at its first second, falling to 0 at edgeHeadShare of it; rising again
 * over its last edgeTailShare to 1 at its last second and after: where intros, pre-roll ads and
 * outros sit in most shows, measured on the talk rather than the file.
 */
export function edgePrior(steps: number, stepSec: number, talk: TalkExtent): Float32Array {
  const span = Math.max(stepSec, talk.toSec - talk.fromSec);
  // Intros and outros last about as long in a short episode as in a long one: a share of the
  // talk, but never under edgeMinSec.
  const head = Math.max(P.edgeMinSec, P.edgeHeadShare * span);
  const tail = Math.max(P.edgeMinSec, P.edgeTailShare * span);
  return Float32Array.from({ length: steps }, (_, t) => {
    const at = (t + 0.5) * stepSec;
    return Math.min(1, Math.max(0, 1 - (at - talk.fromSec) / head, 1 - (talk.toSec - at) / tail));
  });
}

/**
 * Per voice frame, 1 in the guestIntroSec before a main voice (one with dialogShare of the
 * speech) is first heard, where that is after the episode's opening: a guest who joins mid-
 * episode is introduced just before their first words ("my next guest is…", after an ad or a
 * segue). Without words this is the one sign of it, and a preview should not start there.
 */
export function guestIntroductions(voiceOf: Int32Array, voices: readonly { share: number }[], frameSec: number, talk: TalkExtent): Float32Array {
  const out = new Float32Array(voiceOf.length);
  const openingEndSec = talk.fromSec + Math.max(P.edgeMinSec, P.edgeHeadShare * (talk.toSec - talk.fromSec));
  voices.forEach((v, c) => {
    if (v.share < P.dialogShare) return;
    const first = voiceOf.indexOf(c);
    if (first < 0 || first * frameSec <= openingEndSec) return;
    out.fill(1, Math.max(0, first - Math.round(P.guestIntroSec / frameSec)), first);
  });
  return out;
}
