import { displayUri } from './display-uri.ts';
import { PodpreviewError } from './podpreview.error.ts';

// Every message names its input through displayUri: messages end up in logs and result rows,
// and a signed URL's query is a credential.

/** The audio or transcript the request points at does not exist. */
export class InputNotFoundError extends PodpreviewError {
  constructor(uri: string, cause?: unknown) {
    super('input_not_found', `input not found: ${displayUri(uri)}`, { retryable: false, cause });
  }
}

/** ffmpeg could not decode the bytes (truncated, corrupt or not audio at all). */
export class CorruptAudioError extends PodpreviewError {
  constructor(uri: string, detail: string) {
    super('corrupt_audio', `cannot decode audio ${displayUri(uri)}: ${detail}`, { retryable: false });
  }
}

/** The file is a media container without a usable audio stream, or a codec ffmpeg lacks. */
export class UnsupportedAudioError extends PodpreviewError {
  constructor(uri: string, detail: string) {
    super('unsupported_audio', `unsupported audio ${displayUri(uri)}: ${detail}`, { retryable: false });
  }
}

/** Decoding worked but produced (almost) no samples. */
export class EmptyAudioError extends PodpreviewError {
  constructor(uri: string, durationSec: number) {
    super('empty_audio', `audio ${displayUri(uri)} is empty or too short (${durationSec.toFixed(2)} s)`, { retryable: false });
  }
}

export class TranscriptError extends PodpreviewError {
  constructor(uri: string, detail: string) {
    super('bad_transcript', `cannot parse transcript ${displayUri(uri)}: ${detail}`, { retryable: false });
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

/** The URI points somewhere inputs may not come from (outside the input roots, another bucket, a private address). */
export class InputNotAllowedError extends PodpreviewError {
  constructor(uri: string, why: string) {
    super('input_not_allowed', `input not allowed: ${displayUri(uri)} (${why})`, { retryable: false });
  }
}

/** The input is bigger than PODPREVIEW_MAX_INPUT_BYTES. */
export class InputTooLargeError extends PodpreviewError {
  constructor(uri: string, maxBytes: number) {
    super('input_too_large', `input ${displayUri(uri)} is larger than ${maxBytes} bytes`, { retryable: false });
  }
}

/** The audio is longer than PODPREVIEW_MAX_DURATION_SEC (found by probing, before decoding). */
export class AudioTooLongError extends PodpreviewError {
  /** `durationSec` undefined: found while decoding, which stops at the limit, so only "more than" is known. */
  constructor(uri: string, durationSec: number | undefined, maxSec: number) {
    const lasts = durationSec === undefined ? `lasts more than ${maxSec} s` : `lasts ${Math.round(durationSec)} s, more than ${maxSec} s`;
    super('audio_too_long', `audio ${displayUri(uri)} ${lasts}`, { retryable: false });
  }
}

/**
 * An http(s) input that cannot be fetched and will not be by trying again: its host does not
 * resolve, its certificate is invalid, or it timed out or failed with 5xx on its last allowed
 * attempt (PODPREVIEW_FETCH_ATTEMPTS).
 */
export class InputUnreachableError extends PodpreviewError {
  constructor(uri: string, why: string, cause?: unknown) {
    super('input_unreachable', `input ${displayUri(uri)} could not be fetched: ${why}`, { retryable: false, cause });
  }
}
