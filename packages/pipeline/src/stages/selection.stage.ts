import {
  type BlobStore,
  getJsonBlob,
  NoSpeechError,
  putJsonBlob,
  runBlobKeys,
  type SelectionBlob,
  type SelectionInput,
  type SelectionPath,
  type SelectionWeights,
  SentencesBlob,
} from '@podpreview/shared';
import type { StageOutcome } from '../runtime/outcome.ts';
import { candidateStarts } from '../selection/candidates.ts';
import { buildFeatures, type Features } from '../selection/features.ts';
import { chooseWindow, type WindowInputs } from '../selection/window.ts';
import { channel, getTrack } from '../tracks.ts';

export interface SelectionDeps {
  blobs: BlobStore;
  previewSec: number;
  weights: SelectionWeights;
  /** Below this share of speech in the best window there is no preview to give: `no_speech`. */
  minSpeechFraction: number;
}

/** Everything a window is chosen from, read from a run's stored model outputs. */
export type SelectionEvidence = Omit<WindowInputs, 'windowSec' | 'weights'> & { path: SelectionPath };

/**
 * Reads the audio tracks and scored sentences a run stored, finds where a preview may start and
 * puts every model's output on one timeline. Separate from the stage so a tuning tool can
 * re-run the choice on stored evidence (`npm run eval:reselect`) without running the models.
 */
export async function gatherEvidence(blobs: BlobStore, input: SelectionInput): Promise<SelectionEvidence> {
  const vadTrack = await getTrack(blobs, input.tracks.vad!);
  const vad = { frameSec: vadTrack.frameSec, speech: channel(vadTrack, 'speech') };
  const sedRef = input.tracks['sound-events'];
  const sed = sedRef ? await getTrack(blobs, sedRef) : undefined;
  const voiceRef = input.tracks.voice;
  const voiceTrack = voiceRef ? await getTrack(blobs, voiceRef) : undefined;
  const text = input.sentencesKey ? await getJsonBlob(blobs, input.sentencesKey, SentencesBlob) : undefined;
  // Recognised words are too rough to start or end on (no punctuation, word errors): the
  // starts stay the speech onsets, and the words only add their text models' evidence.
  const asr = text?.source === 'asr';
  const candidates = candidateStarts(vad, asr ? undefined : text?.sentences);
  const features = buildFeatures({
    durationSec: input.durationSec,
    vad,
    ...(sed ? { soundEvents: { frameSec: sed.frameSec, spanSec: sed.spanSec ?? sed.frameSec, music: channel(sed, 'music') } } : {}),
    sentences: asr ? text.sentences : candidates.sentences,
    ...(voiceTrack
      ? {
          voice: {
            frameSec: voiceTrack.frameSec,
            spanSec: voiceTrack.spanSec ?? voiceTrack.frameSec,
            dims: voiceTrack.channels.length,
            embeddings: voiceTrack.data,
          },
        }
      : {}),
  });
  return {
    path: asr ? 'asr' : candidates.path,
    features,
    vad,
    candidatesSec: candidates.startsSec,
    audioOnly: candidates.path === 'audio-only',
    sentenceEndsSec: candidates.sentences.map((s) => s.endSec),
    sentenceSpansSec: candidates.sentences.map((s) => [s.startSec, s.endSec] as [number, number]),
    durationSec: input.durationSec,
  };
}

/**
 * Finds where a preview may start, puts every model's output on one timeline, scores the
 * window at each candidate start, and stores the decision with the timeline and each model's
 * contribution.
 */
export function createSelectionStage(deps: SelectionDeps) {
  return async (input: SelectionInput): Promise<StageOutcome<'selection'>> => {
    const keys = runBlobKeys(input.episodeId, input.runId);
    const { path, ...evidence } = await gatherEvidence(deps.blobs, input);
    const { features } = evidence;
    const choice = chooseWindow({ ...evidence, windowSec: deps.previewSec, weights: deps.weights });
    if (choice.speechFraction < deps.minSpeechFraction) throw new NoSpeechError(choice.speechFraction, deps.minSpeechFraction);
    const explanation: SelectionBlob = { version: 1, choice, path, weights: { ...deps.weights }, timelinePerSec: timeline(features) };
    await putJsonBlob(deps.blobs, keys.selection, explanation);
    return {
      kind: 'next',
      payload: {
        ...input,
        selectionKey: keys.selection,
        path,
        previewStartSec: choice.startSec,
        previewEndSec: choice.endSec,
        speechFraction: choice.speechFraction,
        score: choice.score,
      },
    };
  };
}

/** Per-second evidence (means of the finer steps), rounded, for the dashboard's explanation view. */
function timeline(f: Features): Record<string, number[]> {
  const perSec = Math.round(1 / f.stepSec);
  const r = (a: Float32Array) =>
    Array.from({ length: Math.ceil(a.length / perSec) }, (_, t) => {
      const slice = a.subarray(t * perSec, (t + 1) * perSec);
      return Math.round((slice.reduce((x, y) => x + y, 0) / slice.length) * 100) / 100;
    });
  return {
    speech: r(f.speech),
    music: r(f.music),
    longSilence: r(f.longSilence),
    ad: r(f.ad),
    introOutro: r(f.introOutro),
    centrality: r(f.centrality),
    otherVoice: r(f.otherVoice),
    monologue: r(f.monologue),
    guestIntro: r(f.guestIntro),
  };
}
