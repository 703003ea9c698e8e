import type { Voice } from '@podpreview/synth';

/**
 * Voices for hosts, guests and announcers. None of these voice and variant pairs is used by
 * `samples/` (which uses en-us and en-gb with m1-m3 and f2-f4), so a model tuned on the
 * samples does not hear familiar voices here; flite adds a second, quite different engine.
 */
export const VOICES: Readonly<Record<string, Voice>> = {
  'scotland-m4': { engine: 'espeak-ng', name: 'en-gb-scotland+m4', speed: 158, pitch: 42 },
  'nyc-m5': { engine: 'espeak-ng', name: 'en-us-nyc+m5', speed: 168, pitch: 48 },
  'caribbean-f1': { engine: 'espeak-ng', name: 'en-029+f1', speed: 155, pitch: 60 },
  'lancaster-f5': { engine: 'espeak-ng', name: 'en-gb-x-gbclan+f5', speed: 162, pitch: 64 },
  'midlands-m6': { engine: 'espeak-ng', name: 'en-gb-x-gbcwmd+m6', speed: 150, pitch: 38 },
  'rp-f1': { engine: 'espeak-ng', name: 'en-gb-x-rp+f1', speed: 160, pitch: 56 },
  'us-m7': { engine: 'espeak-ng', name: 'en-us+m7', speed: 172, pitch: 44 },
  'flite-slt': { engine: 'flite', name: 'slt', durationStretch: 1.05, pitchHz: 175 },
  'flite-awb': { engine: 'flite', name: 'awb', durationStretch: 1.0, pitchHz: 115 },
  'flite-rms': { engine: 'flite', name: 'rms', durationStretch: 1.0, pitchHz: 105 },
  'flite-kal16': { engine: 'flite', name: 'kal16', durationStretch: 1.1, pitchHz: 110 },
};

/** Brisk announcer voices for ad reads that are not read by the host. */
export const ANNOUNCERS = ['us-m7', 'nyc-m5', 'flite-slt', 'flite-rms', 'rp-f1'] as const;
export const HOSTS_AND_GUESTS = Object.keys(VOICES);
