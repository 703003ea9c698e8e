import { type ModelLease, PcmStream, type UsageMeter } from '@podpreview/models';
import type { NamedTrack } from './audio-models.ts';

/** The front ends' tracks made while the episode decoded, with the lease and meter they ran on. */
export interface EarlyTracks {
  lease: ModelLease;
  meter: UsageMeter;
  tracks: NamedTrack[];
}

/** Starts stage A's front ends on audio as it is decoded. */
export type EarlyFrontEnds = (stream: PcmStream, o: { urgent: boolean; signal: AbortSignal }) => Promise<EarlyTracks>;

export interface EarlyStageAOptions {
  start: EarlyFrontEnds;
  /** Episodes held at once (decoding, or waiting for their stage-A job); more go the usual way. */
  maxEpisodes: number;
  /** How long an episode handed on waits here for its stage-A job before it is dropped (the job then reads storage). */
  keepMs: number;
  /** Longest audio a stream holds, in samples (a little past the decode's limit). */
  maxSamples: number;
}

interface Held {
  stream: PcmStream;
  controller: AbortController;
  work: Promise<EarlyTracks>;
  timer?: NodeJS.Timeout;
}

/**
 * Stage A begun while preprocess decodes, in a process that runs both: the decoded audio goes
 * to memory shared with the model threads as ffmpeg writes it, the front ends (sed-mini,
 * voice-embed) run over it meanwhile, and the episode's stage-A job, picked up in this process,
 * takes both: the audio is not read back from storage, and only Silero is left to run. The
 * queue chain is untouched: the job still runs, stored its tracks and can be retried; one that
 * finds nothing here (a retry, another process, an episode dropped) runs the usual way.
 */
export class EarlyStageA {
  private readonly held = new Map<string, Held>();

  constructor(readonly options: EarlyStageAOptions) {}

  /** Episodes held now. */
  get size(): number {
    return this.held.size;
  }

  /** Preprocess, before decoding the audio stored under `pcmKey`: the stream to feed, or undefined when as many as allowed are held. */
  begin(pcmKey: string, o: { urgent: boolean }): PcmStream | undefined {
    this.drop(pcmKey);
    if (this.held.size >= this.options.maxEpisodes) return undefined;
    const stream = new PcmStream(this.options.maxSamples);
    const controller = new AbortController();
    const work = this.options.start(stream, { urgent: o.urgent, signal: controller.signal });
    // Seen by the job that takes it, or dropped.
    work.catch(() => {});
    this.held.set(pcmKey, { stream, controller, work });
    return stream;
  }

  /**
   * Preprocess, once it has ended: handed on to stage A (kept for its job), or not (a duplicate,
   * a failure: dropped). Only its own `stream`: a second attempt at the same run (a job whose
   * lock lapsed, run again here) may have begun since.
   */
  settle(pcmKey: string, stream: PcmStream, handedOn: boolean): void {
    const h = this.held.get(pcmKey);
    if (h?.stream !== stream) return;
    if (!handedOn || !h.stream.ended) {
      this.drop(pcmKey);
      return;
    }
    clearTimeout(h.timer);
    h.timer = setTimeout(() => this.drop(pcmKey), this.options.keepMs);
    h.timer.unref();
  }

  /** Stage A's job: what was begun for its audio, once (the audio all decoded), or undefined. */
  take(pcmKey: string): Pick<Held, 'stream' | 'work'> | undefined {
    const h = this.held.get(pcmKey);
    if (!h?.timer) return undefined;
    clearTimeout(h.timer);
    this.held.delete(pcmKey);
    return { stream: h.stream, work: h.work };
  }

  /** Stops what is held (a stopping worker). */
  clear(): void {
    for (const key of [...this.held.keys()]) this.drop(key);
  }

  private drop(pcmKey: string): void {
    const h = this.held.get(pcmKey);
    if (!h) return;
    this.held.delete(pcmKey);
    clearTimeout(h.timer);
    h.controller.abort(new Error('stage A begun early was dropped'));
    h.stream.fail(new Error('stage A begun early was dropped'));
    giveBack(h.work);
  }
}

/** What was begun early and will not be used: its lease goes back once its last task has finished. */
export function giveBack(work: Promise<EarlyTracks>): void {
  work.then(
    (r) => r.lease.release(),
    () => {},
  );
}
