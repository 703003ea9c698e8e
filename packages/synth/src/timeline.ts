import type { Clip } from './clip.ts';
import { mixInto, toSamples } from './pcm.ts';

export interface Placement {
  /** First and one-past-last sample of the clip's content (pads excluded). */
  start: number;
  end: number;
  /** Where the previous content ended: the gap runs from here to `start`. */
  gapStart: number;
}

/**
 * Places clips one after another with exact gaps between their contents, and mixes overlays
 * (music beds) on top when finished. All positions are sample counts, so labels are exact.
 */
export class Timeline {
  private chunks: Float32Array[] = [];
  private overlays: { pcm: Float32Array; at: number; gain: number }[] = [];
  private total = 0;
  /** Samples of padding after the last content end (a clip's tail pad), part of the next gap. */
  private tailPad = 0;

  /** Samples placed so far. */
  get length(): number {
    return this.total;
  }

  /** Where the last placed content ended (excluding its pad). */
  get contentEnd(): number {
    return this.total - this.tailPad;
  }

  /** Places a clip so its content starts exactly `gapSec` after the previous content ended. */
  place(clip: Clip, gapSec: number): Placement {
    const gapStart = this.contentEnd;
    const silence = toSamples(gapSec) - this.tailPad - clip.leadPad;
    if (silence < 0) throw new Error(`Gap of ${gapSec}s is shorter than the clip padding`);
    this.append(new Float32Array(silence));
    const start = this.total + clip.leadPad;
    this.append(clip.pcm);
    this.tailPad = clip.tailPad;
    return { start, end: this.total - clip.tailPad, gapStart };
  }

  /** Mixes `pcm * gain` in at sample `at` when the timeline is finished (a bed under speech). */
  overlay(pcm: Float32Array, at: number, gain: number): void {
    this.overlays.push({ pcm, at, gain });
  }

  /** Pads the end so the file doesn't stop abruptly on the last sound, then mixes the overlays. */
  finish(trailSec: number): Float32Array {
    const extra = toSamples(trailSec) - this.tailPad;
    this.append(new Float32Array(Math.max(0, extra)));
    const out = new Float32Array(this.total);
    let at = 0;
    for (const c of this.chunks) {
      out.set(c, at);
      at += c.length;
    }
    for (const o of this.overlays) mixInto(out, o.pcm, o.at, o.gain);
    return out;
  }

  private append(pcm: Float32Array): void {
    this.chunks.push(pcm);
    this.total += pcm.length;
    this.tailPad = 0;
  }
}
