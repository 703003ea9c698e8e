/** The 1 s windows the windowed audio models (sed-mini, voice-embed) read, in samples at 16 kHz. */
export const SOUND_EVENTS_SAMPLE_RATE_HZ = 16_000;
/** One model input: 1 s of 16 kHz mono. */
export const SOUND_EVENTS_WINDOW_SAMPLES = 16_000;

/** How to read one windowed model's output: its name and values per window. */
export interface WindowedOutput {
  name: string;
  width: number;
}

/**
 * Windows needed to cover `sampleCount` samples: the last one starts before the end and is
 * zero-padded by less than a hop, so no window is mostly padding.
 */
export function soundEventFrameCount(sampleCount: number, hopSamples: number): number {
  if (sampleCount === 0) return 0;
  if (sampleCount <= SOUND_EVENTS_WINDOW_SAMPLES) return 1;
  return Math.ceil((sampleCount - SOUND_EVENTS_WINDOW_SAMPLES) / hopSamples) + 1;
}
