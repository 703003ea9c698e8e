/**
 * Generates the bundled sample episodes in `samples/` (run with `npm run samples`).
 *
 * Everything is synthesised locally so the samples can be shipped and regenerated without
 * network access or licensing questions:
 *   - speech: espeak-ng, one WAV per sentence, so every transcript cue is sample-exact;
 *   - music:  a Standard MIDI File written byte-by-byte below, rendered by fluidsynth with the
 *             FluidR3_GM soundfont (real sampled instruments rather than sine tones);
 *   - assembly, trimming, levels and fades happen in this file on Float32 PCM at one sample
 *     rate, so cue and segment times are computed from sample counts, not estimated;
 *   - ffmpeg only encodes the finished master and decodes the result again for verification.
 *
 * The output is deterministic: pauses come from a seeded PRNG and ffmpeg runs in bitexact mode
 * (no random Ogg serial numbers, no encoder version strings), so re-running changes no bytes
 * as long as the tool versions stay the same.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

// ---------------------------------------------------------------------------------------------
// Configuration
// ---------------------------------------------------------------------------------------------

/** espeak-ng renders at 22.05 kHz natively; using it throughout avoids resampling speech. */
const SAMPLE_RATE = 22_050;
const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const OUT_DIR = join(ROOT, 'samples');
const SOUNDFONT = '/usr/share/sounds/sf2/FluidR3_GM.sf2';

/** Frame size for activity detection: 5 ms is fine enough for millisecond-level cue times. */
const FRAME = Math.round(SAMPLE_RATE * 0.005);
/** Frame RMS above this (about -50 dBFS) counts as audible; espeak's silence is near-zero. */
const ACTIVITY_THRESHOLD = 0.003;
/** Keep a few ms of the original signal around each sentence so trimming never clicks. */
const EDGE_PAD = Math.round(SAMPLE_RATE * 0.01);

/** Loudness targets (RMS over audible frames), roughly -20 dBFS speech and -23 dBFS music. */
const SPEECH_RMS = 0.1;
const MUSIC_RMS = 0.07;
const PEAK_LIMIT = 0.89; // -1 dBFS, headroom for lossy-codec overshoot

/** Pauses between sentences (cue end to next cue start), in seconds. */
const PAUSE_SAME_SPEAKER: [number, number] = [0.3, 0.55];
const PAUSE_NEW_SPEAKER: [number, number] = [0.55, 0.8];

// ---------------------------------------------------------------------------------------------
// External tools
// ---------------------------------------------------------------------------------------------

const TOOLS: Record<string, string> = {
  'espeak-ng': 'apt-get install espeak-ng',
  fluidsynth: 'apt-get install fluidsynth fluid-soundfont-gm',
  ffmpeg: 'apt-get install ffmpeg',
  ffprobe: 'apt-get install ffmpeg',
};

/** Fails early with an install hint instead of a cryptic ENOENT halfway through. */
function checkTools(): void {
  for (const [tool, hint] of Object.entries(TOOLS)) {
    const res = spawnSync(tool, [tool.startsWith('ff') ? '-version' : '--version'], { stdio: 'ignore' });
    if (res.error) throw new Error(`Required tool "${tool}" not found on PATH (try: ${hint}).`);
  }
  try {
    statSync(SOUNDFONT);
  } catch {
    throw new Error(`Soundfont ${SOUNDFONT} not found (try: apt-get install fluid-soundfont-gm).`);
  }
}

/** Runs a tool and returns stdout; on failure, reports the command line and its stderr. */
function run(tool: string, args: string[]): Buffer {
  const res = spawnSync(tool, args, { maxBuffer: 512 * 1024 * 1024 });
  if (res.error) throw new Error(`Failed to start ${tool}: ${res.error.message}`);
  if (res.status !== 0) {
    const stderr = res.stderr.toString().trim();
    throw new Error(`${tool} exited with ${res.status}: ${tool} ${args.join(' ')}\n${stderr}`);
  }
  return res.stdout;
}

// ---------------------------------------------------------------------------------------------
// PCM helpers (mono Float32 at SAMPLE_RATE)
// ---------------------------------------------------------------------------------------------

/** Reads a 16-bit PCM WAV and downmixes to mono; rejects other rates so timing stays exact. */
function readWav(path: string): Float32Array {
  const buf = readFileSync(path);
  if (buf.toString('ascii', 0, 4) !== 'RIFF' || buf.toString('ascii', 8, 12) !== 'WAVE') {
    throw new Error(`${path} is not a RIFF/WAVE file`);
  }
  let channels = 0;
  let rate = 0;
  let bits = 0;
  let offset = 12;
  while (offset + 8 <= buf.length) {
    const id = buf.toString('ascii', offset, offset + 4);
    const size = buf.readUInt32LE(offset + 4);
    const body = offset + 8;
    if (id === 'fmt ') {
      channels = buf.readUInt16LE(body + 2);
      rate = buf.readUInt32LE(body + 4);
      bits = buf.readUInt16LE(body + 14);
    } else if (id === 'data') {
      if (bits !== 16 || channels < 1) throw new Error(`${path}: expected 16-bit PCM, got ${bits}-bit`);
      if (rate !== SAMPLE_RATE) throw new Error(`${path}: expected ${SAMPLE_RATE} Hz, got ${rate} Hz`);
      // Streaming writers may leave a placeholder size; never read past the end of the file.
      const bytes = Math.min(size, buf.length - body);
      const frames = Math.floor(bytes / (2 * channels));
      const out = new Float32Array(frames);
      for (let i = 0; i < frames; i++) {
        let sum = 0;
        for (let c = 0; c < channels; c++) sum += buf.readInt16LE(body + 2 * (i * channels + c));
        out[i] = sum / channels / 32768;
      }
      return out;
    }
    offset = body + size + (size % 2); // chunks are word-aligned
  }
  throw new Error(`${path}: no data chunk`);
}

/** Writes mono 16-bit PCM; plain rounding (no dither) keeps the output deterministic. */
function writeWav(path: string, pcm: Float32Array): void {
  const buf = Buffer.alloc(44 + pcm.length * 2);
  buf.write('RIFF', 0, 'ascii');
  buf.writeUInt32LE(36 + pcm.length * 2, 4);
  buf.write('WAVEfmt ', 8, 'ascii');
  buf.writeUInt32LE(16, 16);
  buf.writeUInt16LE(1, 20); // PCM
  buf.writeUInt16LE(1, 22); // mono
  buf.writeUInt32LE(SAMPLE_RATE, 24);
  buf.writeUInt32LE(SAMPLE_RATE * 2, 28);
  buf.writeUInt16LE(2, 32);
  buf.writeUInt16LE(16, 34);
  buf.write('data', 36, 'ascii');
  buf.writeUInt32LE(pcm.length * 2, 40);
  for (let i = 0; i < pcm.length; i++) {
    const s = Math.max(-1, Math.min(1, pcm[i] ?? 0));
    buf.writeInt16LE(Math.round(s * 32767), 44 + i * 2);
  }
  writeFileSync(path, buf);
}

function frameRms(pcm: Float32Array, start: number): number {
  const end = Math.min(pcm.length, start + FRAME);
  let sum = 0;
  for (let i = start; i < end; i++) sum += (pcm[i] ?? 0) ** 2;
  return Math.sqrt(sum / Math.max(1, end - start));
}

/** First and last audible sample (frame resolution), or null if the clip is silent. */
function audibleSpan(pcm: Float32Array, from = 0, to = pcm.length): { start: number; end: number } | null {
  let start = -1;
  let end = -1;
  for (let f = from; f < to; f += FRAME) {
    if (frameRms(pcm, f) > ACTIVITY_THRESHOLD) {
      if (start < 0) start = f;
      end = Math.min(to, f + FRAME);
    }
  }
  return start < 0 ? null : { start, end };
}

/** Scales to a target RMS over audible frames (so pauses don't skew it), capped by the peak. */
function normalize(pcm: Float32Array, targetRms: number): Float32Array {
  let sum = 0;
  let n = 0;
  let peak = 0;
  for (let f = 0; f < pcm.length; f += FRAME) {
    const rms = frameRms(pcm, f);
    if (rms > ACTIVITY_THRESHOLD) {
      sum += rms * rms;
      n++;
    }
  }
  for (const s of pcm) peak = Math.max(peak, Math.abs(s));
  if (n === 0 || peak === 0) return pcm;
  const gain = Math.min(targetRms / Math.sqrt(sum / n), PEAK_LIMIT / peak);
  return pcm.map((s) => s * gain);
}

/** Linear fade-out over the last `seconds`, so cut music ends cleanly instead of clicking. */
function fadeOut(pcm: Float32Array, seconds: number): Float32Array {
  const n = Math.min(pcm.length, Math.round(seconds * SAMPLE_RATE));
  const out = pcm.slice();
  for (let i = 0; i < n; i++) {
    const idx = pcm.length - n + i;
    out[idx] = (out[idx] ?? 0) * (1 - (i + 1) / n);
  }
  return out;
}

const toMs = (samples: number): number => Math.round((samples * 1000) / SAMPLE_RATE);
const toSec = (samples: number): number => toMs(samples) / 1000;

// ---------------------------------------------------------------------------------------------
// Deterministic PRNG (mulberry32): varied but reproducible pauses
// ---------------------------------------------------------------------------------------------

function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

// ---------------------------------------------------------------------------------------------
// Speech
// ---------------------------------------------------------------------------------------------

interface Voice {
  /** espeak-ng voice with variant, e.g. `en-us+m3`. */
  name: string;
  speed: number; // words per minute
  pitch: number; // 0-99
}

/** A sound ready for placement: `pcm` includes `leadPad`/`tailPad` samples around the content. */
interface Clip {
  pcm: Float32Array;
  leadPad: number;
  tailPad: number;
}

/** Each line becomes one cue, so it must be exactly one full sentence of 8-25 words. */
function checkSentence(text: string): void {
  const words = text.split(/\s+/).filter(Boolean).length;
  if (words < 8 || words > 25) throw new Error(`Sentence has ${words} words (want 8-25): "${text}"`);
  if (/[.!?]\s/.test(text) || !/[.!?]$/.test(text)) throw new Error(`Line must be a single sentence: "${text}"`);
}

/** Renders one sentence and trims espeak's leading/trailing silence down to EDGE_PAD. */
function renderSentence(text: string, voice: Voice, workDir: string): Clip {
  checkSentence(text);
  const wav = join(workDir, 'sentence.wav');
  // -z: no end-of-sentence pause; we insert our own pauses so they are controlled and known.
  run('espeak-ng', ['-v', voice.name, '-s', String(voice.speed), '-p', String(voice.pitch), '-z', '-w', wav, text]);
  const raw = readWav(wav);
  const span = audibleSpan(raw);
  if (!span) throw new Error(`espeak-ng produced silence for: "${text}"`);
  const from = Math.max(0, span.start - EDGE_PAD);
  const to = Math.min(raw.length, span.end + EDGE_PAD);
  return {
    pcm: normalize(raw.slice(from, to), SPEECH_RMS),
    leadPad: span.start - from,
    tailPad: to - span.end,
  };
}

// ---------------------------------------------------------------------------------------------
// Music: a tiny Standard MIDI File writer plus a pattern-based arranger
// ---------------------------------------------------------------------------------------------

const PPQ = 480; // ticks per quarter note
const DRUM_CHANNEL = 9; // "channel 10" in GM numbering
const DRUM = { kick: 36, sideStick: 37, snare: 38, closedHat: 42, crash: 49, ride: 51 } as const;

interface MidiEvent {
  tick: number;
  /** Orders simultaneous events: setup (0) before note-offs (1) before note-ons (2). */
  order: number;
  bytes: number[];
}

/** MIDI variable-length quantity: 7 bits per byte, high bit marks continuation. */
function vlq(value: number): number[] {
  const bytes = [value & 0x7f];
  for (let v = value >>> 7; v > 0; v >>>= 7) bytes.unshift((v & 0x7f) | 0x80);
  return bytes;
}

/** Format-0 SMF (one track, all channels) - the simplest file every player accepts. */
function encodeSmf(events: MidiEvent[], endTick: number): Buffer {
  const sorted = [...events].sort((a, b) => a.tick - b.tick || a.order - b.order);
  const track: number[] = [];
  let last = 0;
  for (const ev of sorted) {
    track.push(...vlq(ev.tick - last), ...ev.bytes);
    last = ev.tick;
  }
  track.push(...vlq(Math.max(0, endTick - last)), 0xff, 0x2f, 0x00); // end of track
  const header = Buffer.from([
    ...Buffer.from('MThd', 'ascii'), 0, 0, 0, 6,
    0, 0, // format 0
    0, 1, // one track
    (PPQ >> 8) & 0xff, PPQ & 0xff,
  ]);
  const len = Buffer.alloc(4);
  len.writeUInt32BE(track.length);
  return Buffer.concat([header, Buffer.from('MTrk', 'ascii'), len, Buffer.from(track)]);
}

interface SongSpec {
  bpm: number;
  /** One chord per bar (MIDI note numbers, root first); the last bar is a held final chord. */
  chords: number[][];
  keys: number; // GM program for the comping instrument (channel 1)
  pad: number; // GM program for the sustained pad (channel 2)
  bass: number; // GM program for the bass line (channel 3)
  comping: 'arpeggio' | 'block';
  drums: 'rock' | 'soft';
  /** Final length in seconds after cutting; the tail is faded out. */
  seconds: number;
  fadeSeconds: number;
}

/** Builds the note events for a short arrangement: comping, pad, bass and a drum groove. */
function arrange(song: SongSpec): { events: MidiEvent[]; endTick: number } {
  const events: MidiEvent[] = [];
  const note = (ch: number, key: number, vel: number, start: number, dur: number): void => {
    events.push({ tick: start, order: 2, bytes: [0x90 | ch, key, vel] });
    events.push({ tick: start + dur, order: 1, bytes: [0x80 | ch, key, 0] });
  };
  const usPerQuarter = Math.round(60_000_000 / song.bpm);
  events.push({ tick: 0, order: 0, bytes: [0xff, 0x51, 0x03, (usPerQuarter >> 16) & 0xff, (usPerQuarter >> 8) & 0xff, usPerQuarter & 0xff] });
  [song.keys, song.pad, song.bass].forEach((program, ch) => events.push({ tick: 0, order: 0, bytes: [0xc0 | ch, program] }));
  events.push({ tick: 0, order: 0, bytes: [0xb1, 7, 70] }); // keep the pad behind the keys

  const bar = 4 * PPQ;
  const eighth = PPQ / 2;
  song.chords.forEach((chord, b) => {
    const t0 = b * bar;
    const root = chord[0] ?? 60;
    const final = b === song.chords.length - 1;
    // Pad: the whole chord held for the full bar.
    for (const k of chord) note(1, k, 55, t0, bar);
    if (final) {
      // Ending: one struck chord with a crash, left to ring out (faded later).
      for (const k of [...chord, root + 12]) note(0, k, 90, t0, bar);
      note(2, root - 24, 95, t0, bar);
      note(DRUM_CHANNEL, DRUM.crash, 100, t0, bar);
      note(DRUM_CHANNEL, DRUM.kick, 110, t0, eighth);
      return;
    }
    compBar(song.comping, chord, t0, note);
    // Bass: root on 1, pickup on the "and" of 2, fifth on 3, root on 4 - a simple pop figure.
    note(2, root - 24, 100, t0, PPQ * 1.5 - 10);
    note(2, root - 24, 80, t0 + 3 * eighth, eighth - 10);
    note(2, root - 17, 90, t0 + 2 * PPQ, PPQ - 10);
    note(2, root - 24, 85, t0 + 3 * PPQ, PPQ - 10);
    drumBar(song.drums, b, t0, note);
  });
  // One extra bar so fluidsynth renders past the cut point and the fade has material to work on.
  return { events, endTick: (song.chords.length + 1) * bar };
}

type NoteFn = (ch: number, key: number, vel: number, start: number, dur: number) => void;

function compBar(style: SongSpec['comping'], chord: number[], t0: number, note: NoteFn): void {
  const eighth = PPQ / 2;
  if (style === 'arpeggio') {
    // Up-and-down broken chord in eighths, accenting each beat.
    const tones = [...chord, (chord[0] ?? 60) + 12];
    const order = [0, 1, 2, 3, 2, 1, 2, 3].map((i) => tones[Math.min(i, tones.length - 1)] ?? 60);
    order.forEach((k, i) => note(0, k, i % 2 === 0 ? 85 : 65, t0 + i * eighth, eighth));
  } else {
    // Syncopated block chords: 1, "and" of 2, 4.
    for (const [beat, len, vel] of [[0, 1.5, 85], [1.5, 1.5, 70], [3, 1, 75]] as const) {
      for (const k of chord) note(0, k, vel, t0 + beat * PPQ, len * PPQ - 20);
    }
  }
}

function drumBar(style: SongSpec['drums'], barIndex: number, t0: number, note: NoteFn): void {
  const eighth = PPQ / 2;
  const hit = (key: number, vel: number, at: number): void => note(DRUM_CHANNEL, key, vel, t0 + at, eighth);
  if (barIndex === 0) hit(DRUM.crash, 90, 0);
  if (style === 'rock') {
    for (let i = 0; i < 8; i++) hit(DRUM.closedHat, i % 2 === 0 ? 75 : 55, i * eighth);
    for (const at of [0, 2 * PPQ, 2 * PPQ + eighth]) hit(DRUM.kick, 105, at);
    for (const at of [PPQ, 3 * PPQ]) hit(DRUM.snare, 95, at);
  } else {
    for (let i = 0; i < 4; i++) hit(DRUM.ride, 60, i * PPQ);
    for (const at of [0, 2 * PPQ]) hit(DRUM.kick, 85, at);
    for (const at of [PPQ, 3 * PPQ]) hit(DRUM.sideStick, 70, at);
  }
}

/** Renders a song with fluidsynth and cuts it to exactly `seconds` with a fade-out. */
function renderMusic(name: string, song: SongSpec, workDir: string): Clip {
  const mid = join(workDir, `${name}.mid`);
  const wav = join(workDir, `${name}.wav`);
  const { events, endTick } = arrange(song);
  writeFileSync(mid, encodeSmf(events, endTick));
  // -ni: no shell, no MIDI input; -F renders faster than real time straight to a file.
  run('fluidsynth', ['-ni', '-q', '-g', '0.5', '-r', String(SAMPLE_RATE), '-F', wav, SOUNDFONT, mid]);
  const raw = readWav(wav);
  const span = audibleSpan(raw);
  if (!span) throw new Error(`fluidsynth rendered silence for ${name}`);
  // Start exactly on the first note so the labelled music segment begins with audible sound.
  const length = Math.round(song.seconds * SAMPLE_RATE);
  const cut = new Float32Array(length);
  cut.set(raw.subarray(span.start, Math.min(raw.length, span.start + length)));
  return { pcm: fadeOut(normalize(cut, MUSIC_RMS), song.fadeSeconds), leadPad: 0, tailPad: 0 };
}

// ---------------------------------------------------------------------------------------------
// Timeline: places clips with exact gaps and records ground-truth labels
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

class Timeline {
  private chunks: Float32Array[] = [];
  private length = 0;
  /** Samples of padding after the last content end (a clip's tail pad), part of the next gap. */
  private tailPad = 0;
  /** Labelled silence requested by `silence()`, inserted before the next placement. */
  private pendingSilence = 0;
  readonly segments: Segment[] = [];
  readonly sentences: SentenceLabel[] = [];

  /** Where the last placed content ended (excluding its pad). */
  get contentEnd(): number {
    return this.length - this.tailPad;
  }

  /** Places a clip so its content starts exactly `gapSec` after the previous content ended. */
  place(clip: Clip, gapSec: number): { start: number; end: number } {
    const silenceStart = this.contentEnd;
    const gap = Math.round((gapSec + this.pendingSilence) * SAMPLE_RATE);
    const silence = gap - this.tailPad - clip.leadPad;
    if (silence < 0) throw new Error(`Gap of ${gapSec}s is shorter than the clip padding`);
    this.append(new Float32Array(silence));
    const start = this.length + clip.leadPad;
    this.append(clip.pcm);
    this.tailPad = clip.tailPad;
    if (this.pendingSilence > 0) this.label('silence', silenceStart, silenceStart + gap);
    this.pendingSilence = 0;
    return { start, end: this.length - clip.tailPad };
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
  speech(lines: Line[], voices: Record<string, Voice>, rng: () => number, firstGapSec: number, workDir: string): void {
    let blockStart = -1;
    let previous: string | null = null;
    for (const line of lines) {
      const voice = voices[line.speaker];
      if (!voice) throw new Error(`No voice for speaker "${line.speaker}"`);
      const [lo, hi] = previous === line.speaker ? PAUSE_SAME_SPEAKER : PAUSE_NEW_SPEAKER;
      const gap = previous === null ? firstGapSec : lo + (hi - lo) * rng();
      const { start, end } = this.place(renderSentence(line.text, voice, workDir), gap);
      if (blockStart < 0) blockStart = start;
      this.sentences.push({ startSec: toSec(start), endSec: toSec(end), text: line.text });
      previous = line.speaker;
    }
    this.label('speech', blockStart, this.contentEnd);
  }

  /** Pads the end so the file doesn't stop abruptly on the last sound. */
  finish(trailSec: number): Float32Array {
    const extra = Math.round(trailSec * SAMPLE_RATE) - this.tailPad;
    this.append(new Float32Array(Math.max(0, extra)));
    const out = new Float32Array(this.length);
    let at = 0;
    for (const c of this.chunks) {
      out.set(c, at);
      at += c.length;
    }
    return out;
  }

  private append(pcm: Float32Array): void {
    this.chunks.push(pcm);
    this.length += pcm.length;
    this.tailPad = 0;
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
  build(tl: Timeline, rng: () => number, workDir: string): void;
}

const C = 60; // middle C; chords below are written around it

const NEWS_INTRO: SongSpec = {
  bpm: 120,
  chords: [[C, C + 4, C + 7], [C - 1, C + 2, C + 7], [C - 3, C, C + 4], [C - 7, C - 3, C], [C - 5, C - 1, C + 2], [C, C + 4, C + 7]],
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
  chords: [[C - 7, C - 3, C], [C, C + 4, C + 7]],
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
  chords: [[C + 2, C + 5, C + 9, C + 12], [C - 5, C - 1, C + 2, C + 5], [C, C + 4, C + 7, C + 11]],
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
  chords: [[C - 3, C, C + 4], [C - 7, C - 3, C], [C, C + 4, C + 7], [C - 5, C - 1, C + 2], [C - 3, C, C + 4], [C - 7, C - 3, C], [C - 5, C - 1, C + 2], [C - 3, C, C + 4]],
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
      const voices = { host: { name: 'en-us+m3', speed: 165, pitch: 45 }, guest: { name: 'en-gb+f2', speed: 158, pitch: 58 } };
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
      const voices = { host: { name: 'en-us+f3', speed: 160, pitch: 55 }, guest: { name: 'en-gb-x-rp+m1', speed: 156, pitch: 40 } };
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
      tl.speech(TECH_LINES, { speaker: { name: 'en-us+m2', speed: 168, pitch: 50 } }, rng, 0.6, dir);
    },
  },
  {
    name: 'short-note',
    container: 'ogg',
    transcript: 'vtt',
    title: 'Listener Note (sample short episode)',
    seed: 0x5eed_0004,
    build(tl, rng, dir) {
      tl.speech(SHORT_NOTE_LINES, { narrator: { name: 'en-gb+f4', speed: 160, pitch: 62 } }, rng, 0.25, dir);
    },
  },
];

// ---------------------------------------------------------------------------------------------
// Transcripts
// ---------------------------------------------------------------------------------------------

/** hh:mm:ss.mmm (WebVTT) or hh:mm:ss,mmm (SRT), from integer milliseconds to avoid drift. */
function timestamp(sec: number, separator: '.' | ','): string {
  const ms = Math.round(sec * 1000);
  const pad = (n: number, w = 2): string => String(n).padStart(w, '0');
  const h = Math.floor(ms / 3_600_000);
  const m = Math.floor(ms / 60_000) % 60;
  const s = Math.floor(ms / 1000) % 60;
  return `${pad(h)}:${pad(m)}:${pad(s)}${separator}${pad(ms % 1000, 3)}`;
}

function toVtt(sentences: SentenceLabel[]): string {
  const cues = sentences.map((s, i) => `${i + 1}\n${timestamp(s.startSec, '.')} --> ${timestamp(s.endSec, '.')}\n${s.text}\n`);
  return `WEBVTT\n\n${cues.join('\n')}`;
}

function toSrt(sentences: SentenceLabel[]): string {
  return sentences.map((s, i) => `${i + 1}\n${timestamp(s.startSec, ',')} --> ${timestamp(s.endSec, ',')}\n${s.text}\n`).join('\n');
}

// ---------------------------------------------------------------------------------------------
// Encoding and verification
// ---------------------------------------------------------------------------------------------

/** Encodes the master; bitexact flags drop version strings and random Ogg serials. */
function encode(master: string, out: string, ep: Episode): void {
  const codec =
    ep.container === 'mp3'
      ? ['-c:a', 'libmp3lame', '-b:a', '32k', '-ar', String(SAMPLE_RATE)]
      : ['-c:a', 'libopus', '-b:a', '24k', '-ar', '24000']; // Opus has no 22.05 kHz mode
  run('ffmpeg', [
    '-nostdin', '-y', '-v', 'error', '-i', master, '-ac', '1', ...codec,
    '-map_metadata', '-1', '-metadata', `title=${ep.title}`, '-metadata', 'artist=podpreview samples',
    '-fflags', '+bitexact', '-flags:a', '+bitexact', out,
  ]);
}

interface Verification {
  probedSec: number;
  decodedSec: number;
  codec: string;
  /** Worst disagreement between labelled sentence edges and the decoded audio, in ms. */
  maxEdgeErrorMs: number;
}

/** Decodes the encoded file and checks its duration and that labels line up with real audio. */
function verify(file: string, sentences: SentenceLabel[]): Verification {
  const probe = JSON.parse(
    run('ffprobe', ['-v', 'error', '-show_entries', 'format=duration:stream=codec_name', '-of', 'json', file]).toString(),
  ) as { format?: { duration?: string }; streams?: { codec_name?: string }[] };
  const probedSec = Number(probe.format?.duration);
  if (!Number.isFinite(probedSec)) throw new Error(`ffprobe could not read a duration from ${file}`);

  const raw = run('ffmpeg', ['-nostdin', '-v', 'error', '-i', file, '-f', 's16le', '-ac', '1', '-ar', String(SAMPLE_RATE), '-']);
  const pcm = new Float32Array(raw.length / 2);
  for (let i = 0; i < pcm.length; i++) pcm[i] = raw.readInt16LE(i * 2) / 32768;

  // Every sentence is surrounded by >= 0.3 s of digital silence, so within +-0.25 s of each
  // labelled cue the only audible material is that sentence; its edges must match the labels.
  const window = Math.round(0.25 * SAMPLE_RATE);
  let maxEdgeErrorMs = 0;
  for (const s of sentences) {
    const start = Math.round(s.startSec * SAMPLE_RATE);
    const end = Math.round(s.endSec * SAMPLE_RATE);
    const head = audibleSpan(pcm, Math.max(0, start - window), start + window);
    const tail = audibleSpan(pcm, end - window, Math.min(pcm.length, end + window));
    if (!head || !tail) throw new Error(`${file}: no audio found around "${s.text}"`);
    maxEdgeErrorMs = Math.max(maxEdgeErrorMs, Math.abs(toMs(head.start - start)), Math.abs(toMs(tail.end - end)));
  }
  if (maxEdgeErrorMs > 30) throw new Error(`${file}: labels are off by up to ${maxEdgeErrorMs} ms from the audio`);
  return { probedSec, decodedSec: toSec(pcm.length), codec: probe.streams?.[0]?.codec_name ?? '?', maxEdgeErrorMs };
}

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
  const tl = new Timeline();
  ep.build(tl, mulberry32(ep.seed), workDir);
  const pcm = tl.finish(0.5);
  const master = join(workDir, `${ep.name}.master.wav`);
  writeWav(master, pcm);

  const file = `${ep.name}.${ep.container}`;
  encode(master, join(OUT_DIR, file), ep);
  const transcript = ep.transcript ? `${ep.name}.${ep.transcript}` : null;
  if (transcript) {
    writeFileSync(join(OUT_DIR, transcript), ep.transcript === 'vtt' ? toVtt(tl.sentences) : toSrt(tl.sentences));
  }

  const verification = verify(join(OUT_DIR, file), tl.sentences);
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
  checkTools();
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
