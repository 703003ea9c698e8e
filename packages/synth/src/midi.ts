/** A tiny Standard MIDI File writer: enough for fluidsynth to render arranged music. */

export const PPQ = 480; // ticks per quarter note
export const DRUM_CHANNEL = 9; // "channel 10" in GM numbering

export interface MidiEvent {
  tick: number;
  /** Orders simultaneous events: setup (0) before note-offs (1) before note-ons (2). */
  order: number;
  bytes: number[];
}

/** MIDI variable-length quantity: 7 bits per byte, high bit marks continuation. */
export function vlq(value: number): number[] {
  const bytes = [value & 0x7f];
  for (let v = value >>> 7; v > 0; v >>>= 7) bytes.unshift((v & 0x7f) | 0x80);
  return bytes;
}

/** Format-0 SMF (one track, all channels) - the simplest file every player accepts. */
export function encodeSmf(events: MidiEvent[], endTick: number): Buffer {
  const sorted = [...events].sort((a, b) => a.tick - b.tick || a.order - b.order);
  const track: number[] = [];
  let last = 0;
  for (const ev of sorted) {
    track.push(...vlq(ev.tick - last), ...ev.bytes);
    last = ev.tick;
  }
  track.push(...vlq(Math.max(0, endTick - last)), 0xff, 0x2f, 0x00); // end of track
  const header = Buffer.from([
    ...Buffer.from('MThd', 'ascii'),
    0,
    0,
    0,
    6,
    0,
    0, // format 0
    0,
    1, // one track
    (PPQ >> 8) & 0xff,
    PPQ & 0xff,
  ]);
  const len = Buffer.alloc(4);
  len.writeUInt32BE(track.length);
  return Buffer.concat([header, Buffer.from('MTrk', 'ascii'), len, Buffer.from(track)]);
}
