/**
 * Generates the bundled sample episodes in `samples/` (run with `npm run samples`).
 *
 * Everything is synthesised locally with the helpers in `packages/synth`, so the samples can
 * be shipped and regenerated without network access or licensing questions:
 *   - speech: espeak-ng, one WAV per sentence, so every transcript cue is sample-exact;
 *   - music:  a Standard MIDI File written byte-by-byte, rendered by fluidsynth with the
 *             FluidR3_GM soundfont (real sampled instruments rather than sine tones);
 *   - assembly, trimming, levels and fades happen on Float32 PCM at one sample rate, so cue
 *     and segment times are computed from sample counts, not estimated;
 *   - ffmpeg only encodes the finished master and decodes the result again for verification.
 *
 * The output is deterministic: pauses come from a seeded PRNG and ffmpeg runs in bitexact mode
 * (no random Ogg serial numbers, no encoder version strings), so re-running changes no bytes
 * as long as the tool versions stay the same.
 */
import { mkdirSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  checkTools,
  encodeAudio,
  mulberry32,
  renderMusic,
  renderSentence,
  SAMPLE_RATE,
  Timeline,
  toSec,
  toSrt,
  toVtt,
  turnPauseSec,
  verifyEncoded,
  writeWav,
  type Clip,
  type Placement,
  type Rng,
  type SongSpec,
  type Verification,
  type Voice,
} from '@podpreview/synth';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const OUT_DIR = join(ROOT, 'samples');

// ---------------------------------------------------------------------------------------------
// Timeline with the samples' labels: music, silence and speech blocks, plus every sentence
// ---------------------------------------------------------------------------------------------

type SegmentKind = 'music' | 'silence' | 'speech';

interface Segment {
  kind: SegmentKind;
  startSec: number;
  endSec: number;
}

interface SentenceLabel {
  startSec: number;
  endSec: number;
  text: string;
}

interface Line {
  speaker: string;
  text: string;
}

class SampleTimeline {
  private readonly tl = new Timeline();
  /** Labelled silence requested by `silence()`, inserted before the next placement. */
  private pendingSilence = 0;
  readonly segments: Segment[] = [];
  readonly sentences: SentenceLabel[] = [];

  /** Places a clip so its content starts `gapSec` (plus any pending silence) after the last content. */
  private place(clip: Clip, gapSec: number): Placement {
    const gap = gapSec + this.pendingSilence;
    const placed = this.tl.place(clip, gap);
    if (this.pendingSilence > 0) this.label('silence', placed.gapStart, placed.gapStart + Math.round(gap * SAMPLE_RATE));
    this.pendingSilence = 0;
    return placed;
  }

  music(clip: Clip, gapSec: number): void {
    const { start, end } = this.place(clip, gapSec);
    this.label('music', start, end);
  }

  /**
   * A labelled stretch of silence between the last content and the next one; the next
   * placement adds its own gap on top (pass 0 for a gap of exactly `seconds`).
   */
  silence(seconds: number): void {
    this.pendingSilence += seconds;
  }

  /** Speaks lines in order; pauses are longer when the speaker changes, like real turn-taking. */
  speech(lines: Line[], voices: Record<string, Voice>, rng: Rng, firstGapSec: number, workDir: string): void {
    let blockStart = -1;
    let previous: string | null = null;
    for (const line of lines) {
      const voice = voices[line.speaker];
      if (!voice) throw new Error(`No voice for speaker "${line.speaker}"`);
      const gap = previous === null ? firstGapSec : turnPauseSec(previous === line.speaker, rng);
      const { start, end } = this.place(renderSentence(line.text, voice, workDir), gap);
      if (blockStart < 0) blockStart = start;
      this.sentences.push({ startSec: toSec(start), endSec: toSec(end), text: line.text });
      previous = line.speaker;
    }
    this.label('speech', blockStart, this.tl.contentEnd);
  }

  finish(trailSec: number): Float32Array {
    return this.tl.finish(trailSec);
  }

  private label(kind: SegmentKind, start: number, end: number): void {
    this.segments.push({ kind, startSec: toSec(start), endSec: toSec(end) });
  }
}

// ---------------------------------------------------------------------------------------------
// Episode content
// ---------------------------------------------------------------------------------------------

type TranscriptFormat = 'vtt' | 'srt' | null;

interface Episode {
  name: string;
  container: 'mp3' | 'ogg';
  transcript: TranscriptFormat;
  title: string;
  seed: number;
  /** Builds the timeline; receives a work directory for intermediate files. */
  build(tl: SampleTimeline, rng: Rng, workDir: string): void;
}

const C = 60; // middle C; chords below are written around it

const NEWS_INTRO: SongSpec = {
  bpm: 120,
  chords: [
    [C, C + 4, C + 7],
    [C - 1, C + 2, C + 7],
    [C - 3, C, C + 4],
    [C - 7, C - 3, C],
    [C - 5, C - 1, C + 2],
    [C, C + 4, C + 7],
  ],
  keys: 0, // acoustic grand piano
  pad: 48, // string ensemble
  bass: 33, // electric bass (finger)
  comping: 'block',
  drums: 'rock',
  seconds: 12,
  fadeSeconds: 1.2,
};

const NEWS_STING: SongSpec = {
  bpm: 132,
  chords: [
    [C - 7, C - 3, C],
    [C, C + 4, C + 7],
  ],
  keys: 0,
  pad: 48,
  bass: 33,
  comping: 'arpeggio',
  drums: 'rock',
  seconds: 3.2,
  fadeSeconds: 1.2,
};

const INTERVIEW_THEME: SongSpec = {
  bpm: 90,
  chords: [
    [C + 2, C + 5, C + 9, C + 12],
    [C - 5, C - 1, C + 2, C + 5],
    [C, C + 4, C + 7, C + 11],
  ],
  keys: 4, // electric piano
  pad: 49, // slow strings
  bass: 32, // acoustic bass
  comping: 'block',
  drums: 'soft',
  seconds: 8,
  fadeSeconds: 1.5,
};

const TECH_THEME: SongSpec = {
  bpm: 128,
  chords: [
    [C - 3, C, C + 4],
    [C - 7, C - 3, C],
    [C, C + 4, C + 7],
    [C - 5, C - 1, C + 2],
    [C - 3, C, C + 4],
    [C - 7, C - 3, C],
    [C - 5, C - 1, C + 2],
    [C - 3, C, C + 4],
  ],
  keys: 11, // vibraphone
  pad: 89, // warm pad
  bass: 38, // synth bass
  comping: 'arpeggio',
  drums: 'rock',
  seconds: 15,
  fadeSeconds: 1.5,
};

const NEWS_LINES: Line[] = [
  { speaker: 'host', text: 'Good morning, and welcome to The Morning Signal, your daily briefing on science, climate and technology.' },
  { speaker: 'host', text: "I'm joined today by our science correspondent, who has been following this week's ocean temperature report." },
  { speaker: 'guest', text: 'Thanks for having me, and the headline is that North Atlantic sea temperatures stayed above average for a fourteenth month.' },
  { speaker: 'host', text: 'What are researchers saying is driving that, and should we expect it to continue into the autumn?' },
  { speaker: 'guest', text: 'Most point to long term warming, weaker trade winds, and less dust than usual blowing off the Sahara.' },
  { speaker: 'host', text: 'And the practical consequences for fisheries and coastal communities are already starting to show up.' },
  { speaker: 'guest', text: 'Several coral monitoring stations have reported bleaching, and some cod stocks are moving north toward cooler water.' },
  { speaker: 'host', text: 'Turning to energy, a battery recycling plant opened this week, claiming it can recover most of the metal in old cells.' },
  { speaker: 'guest', text: 'The company says it recovers about ninety percent of the lithium, nickel and cobalt with a low temperature process.' },
  { speaker: 'host', text: 'Independent engineers caution that the plant has only run for a few weeks, so the data is still limited.' },
  { speaker: 'host', text: 'Finally, amateur astronomers have a treat this weekend, as a bright comet becomes visible to the naked eye.' },
  { speaker: 'guest', text: 'The best time to look is about an hour before sunrise, low on the eastern horizon and away from city lights.' },
  { speaker: 'host', text: "That's all for today's brief, so thanks for listening, and we'll be back tomorrow morning with more." },
];

const INTERVIEW_PART_1: Line[] = [
  { speaker: 'host', text: "This is Field Notes, and today I'm talking with an urban ecologist who studies how trees cool city streets." },
  { speaker: 'host', text: 'Let us start with the basics: how much cooler is a street with mature trees than one without them?' },
  { speaker: 'guest', text: 'On a hot afternoon, the air under a full canopy can be three or four degrees cooler than on an open street.' },
  { speaker: 'host', text: 'Where does that cooling actually come from, is it just the shade or is something else going on?' },
  { speaker: 'guest', text: 'Shade is the biggest part, but trees also release water through their leaves, which draws heat out of the air.' },
  { speaker: 'host', text: 'Cities have planted millions of trees in the past decade, so why do some neighbourhoods still have so little canopy?' },
  { speaker: 'guest', text: 'Older programmes focused on parks and wealthier districts, and street trees in poorer areas were often never replaced.' },
];

const INTERVIEW_PART_2: Line[] = [
  { speaker: 'host', text: 'Sorry, we lost the line for a moment there; you were explaining what a city can do differently.' },
  { speaker: 'guest', text: 'The first step is mapping canopy cover block by block, so that decisions rest on measurements rather than complaints.' },
  { speaker: 'host', text: 'Which species work best, given that summers are getting hotter and drier in so many places?' },
  { speaker: 'guest', text: 'We recommend mixing many species, so that a single pest or drought cannot wipe out an entire street at once.' },
  { speaker: 'host', text: 'Thank you so much for joining us on Field Notes and for explaining the science so clearly.' },
  { speaker: 'guest', text: 'My pleasure, and I hope listeners will look up and notice the trees on their own street this week.' },
];

const TECH_LINES: Line[] = [
  { speaker: 'speaker', text: "Welcome back to Build Log, and today's topic is one that bites every team eventually: retries and timeouts." },
  { speaker: 'speaker', text: 'When a request to another service fails, the tempting fix is to simply try again until it succeeds.' },
  { speaker: 'speaker', text: 'The problem is that a struggling service receives even more traffic exactly when it can least handle it.' },
  { speaker: 'speaker', text: 'If every client retries three times, a small slowdown can quickly turn into four times the normal load.' },
  { speaker: 'speaker', text: 'The standard defence is exponential backoff, where each retry waits roughly twice as long as the one before.' },
  { speaker: 'speaker', text: 'Add random jitter to those waits, otherwise thousands of clients retry in lockstep and hit the server together.' },
  { speaker: 'speaker', text: 'Timeouts matter just as much, because a request without a deadline can hold a connection open forever.' },
  { speaker: 'speaker', text: 'A good rule is that the caller should always give up before the person waiting on the screen does.' },
  { speaker: 'speaker', text: 'Finally, retries are only safe when the operation is idempotent, meaning repeating it has no extra effect.' },
  { speaker: 'speaker', text: 'Charging a credit card twice is the classic mistake, and an idempotency key sent with each request prevents it.' },
  { speaker: 'speaker', text: 'Payment providers store each key for a day and simply return the original result when it arrives again.' },
  { speaker: 'speaker', text: 'Next week we will look at circuit breakers, which stop calling a failing service until it has recovered.' },
];

const SHORT_NOTE_LINES: Line[] = [
  { speaker: 'narrator', text: 'Here is a short note for listeners before our full episode returns next week.' },
  { speaker: 'narrator', text: 'Many of you asked why the sky looks blue during the day but turns orange and red at sunset.' },
  { speaker: 'narrator', text: 'Sunlight contains every colour, and air molecules scatter short blue wavelengths far more strongly than long red ones.' },
  { speaker: 'narrator', text: 'At noon, that scattered blue light reaches your eyes from every direction, so the whole sky appears blue.' },
  { speaker: 'narrator', text: 'At sunset, the light crosses much more air, most of the blue is scattered away, and warmer colours remain.' },
  { speaker: 'narrator', text: 'The same effect explains why distant mountains often look slightly blue and hazy.' },
  { speaker: 'narrator', text: 'Thanks for all of your questions, and please keep sending them in for future episodes.' },
];

const EPISODES: Episode[] = [
  {
    name: 'news-brief',
    container: 'mp3',
    transcript: 'vtt',
    title: 'The Morning Signal (sample news brief)',
    seed: 0x5eed_0001,
    build(tl, rng, dir) {
      tl.music(renderMusic('news-intro', NEWS_INTRO, dir), 0);
      const voices: Record<string, Voice> = {
        host: { engine: 'espeak-ng', name: 'en-us+m3', speed: 165, pitch: 45 },
        guest: { engine: 'espeak-ng', name: 'en-gb+f2', speed: 158, pitch: 58 },
      };
      tl.speech(NEWS_LINES, voices, rng, 0.7, dir);
      tl.music(renderMusic('news-sting', NEWS_STING, dir), 0.8);
    },
  },
  {
    name: 'interview',
    container: 'mp3',
    transcript: 'srt',
    title: 'Field Notes (sample interview)',
    seed: 0x5eed_0002,
    build(tl, rng, dir) {
      tl.silence(3);
      tl.music(renderMusic('interview-theme', INTERVIEW_THEME, dir), 0);
      const voices: Record<string, Voice> = {
        host: { engine: 'espeak-ng', name: 'en-us+f3', speed: 160, pitch: 55 },
        guest: { engine: 'espeak-ng', name: 'en-gb-x-rp+m1', speed: 156, pitch: 40 },
      };
      tl.speech(INTERVIEW_PART_1, voices, rng, 0.6, dir);
      tl.silence(3); // a dropped line mid-interview: dead air the picker must not choose
      tl.speech(INTERVIEW_PART_2, voices, rng, 0, dir);
    },
  },
  {
    name: 'tech-talk',
    container: 'mp3',
    transcript: null,
    title: 'Build Log (sample tech talk)',
    seed: 0x5eed_0003,
    build(tl, rng, dir) {
      tl.music(renderMusic('tech-theme', TECH_THEME, dir), 0);
      tl.speech(TECH_LINES, { speaker: { engine: 'espeak-ng', name: 'en-us+m2', speed: 168, pitch: 50 } }, rng, 0.6, dir);
    },
  },
  {
    name: 'short-note',
    container: 'ogg',
    transcript: 'vtt',
    title: 'Listener Note (sample short episode)',
    seed: 0x5eed_0004,
    build(tl, rng, dir) {
      tl.speech(SHORT_NOTE_LINES, { narrator: { engine: 'espeak-ng', name: 'en-gb+f4', speed: 160, pitch: 62 } }, rng, 0.25, dir);
    },
  },
];

// ---------------------------------------------------------------------------------------------
// Main
// ---------------------------------------------------------------------------------------------

interface EpisodeLabels {
  file: string;
  transcript: string | null;
  durationSec: number;
  segments: Segment[];
  sentences: SentenceLabel[];
}

interface Row {
  file: string;
  bytes: number;
  verification: Verification;
  expectedSec: number;
}

function makeEpisode(ep: Episode, workDir: string): { labels: EpisodeLabels; row: Row } {
  const tl = new SampleTimeline();
  ep.build(tl, mulberry32(ep.seed), workDir);
  const pcm = tl.finish(0.5);
  const master = join(workDir, `${ep.name}.master.wav`);
  writeWav(master, pcm);

  const file = `${ep.name}.${ep.container}`;
  encodeAudio(master, join(OUT_DIR, file), { container: ep.container, title: ep.title, artist: 'podpreview samples' });
  const transcript = ep.transcript ? `${ep.name}.${ep.transcript}` : null;
  if (transcript) {
    writeFileSync(join(OUT_DIR, transcript), ep.transcript === 'vtt' ? toVtt(tl.sentences) : toSrt(tl.sentences));
  }

  // Every sentence is surrounded by >= 0.3 s of digital silence, so its edges can be checked.
  const verification = verifyEncoded(join(OUT_DIR, file), tl.sentences);
  const expectedSec = toSec(pcm.length);
  if (Math.abs(verification.decodedSec - expectedSec) > 0.05) {
    throw new Error(`${file}: decodes to ${verification.decodedSec}s, expected ${expectedSec}s`);
  }
  const row: Row = { file, bytes: statSync(join(OUT_DIR, file)).size, verification, expectedSec };
  return {
    // The decoded length is the file's own timeline (gapless info applied), hence the label.
    labels: { file, transcript, durationSec: verification.decodedSec, segments: tl.segments, sentences: tl.sentences },
    row,
  };
}

function printSummary(rows: Row[], labels: EpisodeLabels[]): void {
  const table = rows.map((r) => ({
    file: r.file,
    codec: r.verification.codec,
    kB: +(r.bytes / 1024).toFixed(1),
    expectedSec: r.expectedSec,
    ffprobeSec: +r.verification.probedSec.toFixed(3),
    decodedSec: r.verification.decodedSec,
    maxEdgeErrMs: r.verification.maxEdgeErrorMs,
  }));
  console.table(table);
  for (const l of labels) {
    const segs = l.segments.map((s) => `${s.kind} ${s.startSec.toFixed(3)}-${s.endSec.toFixed(3)}`).join(', ');
    console.log(`${l.file}: ${l.sentences.length} sentences; ${segs}`);
  }
  const files = ['labels.json', ...labels.flatMap((l) => (l.transcript ? [l.file, l.transcript] : [l.file]))];
  const total = files.map((f) => statSync(join(OUT_DIR, f)).size).reduce((a, b) => a + b, 0);
  console.log(`Total generated size: ${(total / 1024).toFixed(1)} kB`);
}

function main(): void {
  checkTools(['espeak-ng', 'fluidsynth', 'ffmpeg', 'ffprobe']);
  mkdirSync(OUT_DIR, { recursive: true });
  const workDir = mkdtempSync(join(tmpdir(), 'podpreview-samples-'));
  try {
    const labels: EpisodeLabels[] = [];
    const rows: Row[] = [];
    for (const ep of EPISODES) {
      console.log(`Generating ${ep.name} ...`);
      const result = makeEpisode(ep, workDir);
      labels.push(result.labels);
      rows.push(result.row);
    }
    writeFileSync(join(OUT_DIR, 'labels.json'), `${JSON.stringify(labels, null, 2)}\n`);
    printSummary(rows, labels);
  } finally {
    rmSync(workDir, { recursive: true, force: true });
  }
}

main();
