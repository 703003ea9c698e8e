import { PodpreviewError } from './podpreview.error.ts';

/** The audio or transcript the request points at does not exist. */
export class InputNotFoundError extends PodpreviewError {
  constructor(uri: string, cause?: unknown) {
    super('input_not_found', `input not found: ${uri}`, { retryable: false, cause });
  }
}

/** ffmpeg could not decode the bytes (truncated, corrupt or not audio at all). */
export class CorruptAudioError extends PodpreviewError {
  constructor(uri: string, detail: string) {
    super('corrupt_audio', `cannot decode audio ${uri}: ${detail}`, { retryable: false });
  }
}

/** The file is a media container without a usable audio stream, or a codec ffmpeg lacks. */
export class UnsupportedAudioError extends PodpreviewError {
  constructor(uri: string, detail: string) {
    super('unsupported_audio', `unsupported audio ${uri}: ${detail}`, { retryable: false });
  }
}

/** Decoding worked but produced (almost) no samples. */
export class EmptyAudioError extends PodpreviewError {
  constructor(uri: string, durationSec: number) {
    super('empty_audio', `audio ${uri} is empty or too short (${durationSec.toFixed(2)} s)`, { retryable: false });
  }
}

export class TranscriptError extends PodpreviewError {
  constructor(uri: string, detail: string) {
    super('bad_transcript', `cannot parse transcript ${uri}: ${detail}`, { retryable: false });
  }
}

/** A job payload that does not match its queue's contract: a bug or a foreign producer. */
export class InvalidPayloadError extends PodpreviewError {
  constructor(stage: string, detail: string) {
    super('invalid_payload', `invalid ${stage} payload: ${detail}`, { retryable: false });
  }
}

/** The episode has (almost) no speech: any preview would be music or silence. */
export class NoSpeechError extends PodpreviewError {
  constructor(speechFraction: number, minFraction: number) {
    super(
      'no_speech',
      `no stretch of the episode is speech enough for a preview (best ${(speechFraction * 100).toFixed(0)} %, need ${(minFraction * 100).toFixed(0)} %)`,
      {
        retryable: false,
      },
    );
  }
}
