import path from 'node:path';
import { z } from 'zod';
import { type EnvOf, flag, int, type LoadContext, list, setting } from './setting.ts';

/** Where episodes may come from, and how big and long they may be. */
export const inputSettings = {
  PODPREVIEW_INPUT_ROOTS: setting(
    z.string().optional(),
    "comma list of directories local paths and `file://` inputs must resolve into (symlinks followed); podpreview's own data (the blob store, the results database, the scratch directory) is never an input, whatever the roots say",
    'the working directory',
  ),
  PODPREVIEW_INPUT_BUCKETS: setting(z.string().optional(), 'comma list of buckets `gs://` inputs may name; none by default'),
  PODPREVIEW_INPUT_ALLOW_PRIVATE_URLS: setting(
    flag(false),
    '`true` lets `http(s)://` inputs reach private, loopback and link-local addresses (tests, a local host)',
  ),
  PODPREVIEW_MAX_INPUT_BYTES: setting(int(1024 * 1024 * 1024, 1024), 'larger inputs fail with `input_too_large` (checked before and while downloading)'),
  PODPREVIEW_MAX_DURATION_SEC: setting(int(4 * 3600, 10), 'longer audio fails with `audio_too_long` (decoding stops a moment past the limit)'),
  PODPREVIEW_FETCH_TIMEOUT_MS: setting(int(300_000, 1000), 'one deadline per attempt at downloading an `http(s)://` input, redirects included'),
  PODPREVIEW_FETCH_IDLE_TIMEOUT_MS: setting(int(30_000, 1000), 'a download that receives nothing for this long is abandoned (a host that stalls)'),
  PODPREVIEW_FETCH_ATTEMPTS: setting(
    int(2, 1),
    "attempts at an `http(s)://` input that times out or answers 5xx; the last one's failure is final (`input_unreachable`), as is a host that does not resolve or has an invalid certificate",
  ),
  PODPREVIEW_MAX_TRANSCRIPT_BYTES: setting(
    int(8 * 1024 * 1024, 1024),
    'larger transcripts fail with `bad_transcript` before they are read (checked before and while downloading)',
  ),
  PODPREVIEW_MAX_TRANSCRIPT_CUES: setting(int(50_000, 1), 'transcripts with more cues fail with `bad_transcript` as soon as parsing finds one too many'),
};

/** Where episodes may come from, and how big and long they may be. */
export interface InputPolicy {
  /** Local paths and file:// URIs must resolve (symlinks followed) inside one of these. */
  roots: string[];
  /** gs:// URIs must name one of these buckets. */
  buckets: string[];
  /**
   * Never inputs, whatever the roots say (the default root, the working directory, holds the
   * data directory): the blob store (other runs' source copies and clips), the results
   * database, the workers' scratch files.
   */
  excluded: string[];
  /** https:// hosts that resolve to private, loopback or link-local addresses are refused unless true (tests). */
  allowPrivateUrls: boolean;
  maxBytes: number;
  maxDurationSec: number;
  /** One deadline per attempt at downloading an http(s) input, redirects included. */
  fetchTimeoutMs: number;
  /** A download that receives nothing for this long is abandoned (a tarpit). */
  fetchIdleTimeoutMs: number;
  /** Attempts at an http(s) input that times out or answers 5xx; the last one's failure is final (`input_unreachable`). */
  fetchAttempts: number;
  /** Transcripts: larger files and more cues fail with `bad_transcript`, before they are parsed. */
  maxTranscriptBytes: number;
  maxTranscriptCues: number;
}

/** podpreview's own files, which are never an input. */
export interface OwnFiles {
  dataDir: string;
  tempDir: string;
}

export function inputConfig(e: EnvOf<typeof inputSettings>, { cwd }: LoadContext, own: OwnFiles): { inputs: InputPolicy } {
  return {
    inputs: {
      roots: (e.PODPREVIEW_INPUT_ROOTS ? list(e.PODPREVIEW_INPUT_ROOTS) : [cwd]).map((r) => path.resolve(cwd, r)),
      buckets: list(e.PODPREVIEW_INPUT_BUCKETS),
      allowPrivateUrls: e.PODPREVIEW_INPUT_ALLOW_PRIVATE_URLS === 'true',
      maxBytes: e.PODPREVIEW_MAX_INPUT_BYTES,
      maxDurationSec: e.PODPREVIEW_MAX_DURATION_SEC,
      fetchTimeoutMs: e.PODPREVIEW_FETCH_TIMEOUT_MS,
      fetchIdleTimeoutMs: e.PODPREVIEW_FETCH_IDLE_TIMEOUT_MS,
      fetchAttempts: e.PODPREVIEW_FETCH_ATTEMPTS,
      maxTranscriptBytes: e.PODPREVIEW_MAX_TRANSCRIPT_BYTES,
      maxTranscriptCues: e.PODPREVIEW_MAX_TRANSCRIPT_CUES,
      excluded: [path.join(own.dataDir, 'blobs'), path.join(own.dataDir, 'results.duckdb'), path.join(own.dataDir, 'results.duckdb.wal'), own.tempDir],
    },
  };
}
