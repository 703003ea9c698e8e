"""Seeded General MIDI arrangements and a Standard MIDI File writer.

All timing is in seconds: the file has one fixed tempo (960 ticks a second), and each song
places its own beats, so many songs can be rendered back to back in one fluidsynth run and cut
apart again at known times.
"""
import random
import struct

PPQ = 480
US_PER_QUARTER = 500_000  # 120 bpm -> 960 ticks per second
TICKS_PER_SEC = PPQ * 1_000_000 / US_PER_QUARTER
DRUM_CH = 9

# General MIDI programs by role (0-based). Sound effects (120-127) are never used.
ROLE_PROGRAMS = {
    'harmony': [*range(0, 8), *range(8, 16), *range(16, 24), *range(24, 32), 45, 46, 48, 49, 50, 51, 61, 88, 89, 90, 92, 94],
    'pad': [*range(48, 56), *range(88, 96), 16, 17, 19, 20, 61, 62, 63],
    'bass': [*range(32, 40), 42, 43, 58, 70],
    'melody': [0, 4, 8, 9, 10, 11, 12, 13, 14, 19, *range(24, 28), 40, 41, *range(56, 61), *range(64, 88), *range(104, 112)],
}
DRUM_KITS = {'train': [0, 8, 16, 24, 25, 40], 'heldout': [0, 32, 48]}

MAJOR = [0, 2, 4, 5, 7, 9, 11]
MINOR = [0, 2, 3, 5, 7, 8, 10]
PROGRESSIONS = [
    [0, 4, 5, 3], [0, 5, 3, 4], [1, 4, 0, 0], [0, 3, 4, 3], [5, 3, 0, 4], [0, 0, 3, 4],
    [0, 6, 5, 4], [0, 3, 0, 4], [0, 2, 3, 4], [5, 4, 3, 4], [0, 4, 5, 2, 3, 0, 3, 4],
]


def programs_for(role: str, heldout_programs: set[int], split: str) -> list[int]:
    """Train songs never use a held-out program; held-out songs use only those."""
    pool = ROLE_PROGRAMS[role]
    chosen = [p for p in pool if (p in heldout_programs) == (split == 'heldout')]
    return chosen or pool


class Song:
    def __init__(self) -> None:
        self.events: list[tuple[float, int, bytes]] = []

    def note(self, ch: int, key: int, vel: int, t: float, dur: float) -> None:
        key = max(0, min(127, key))
        vel = max(1, min(127, vel))
        self.events.append((t, 2, bytes([0x90 | ch, key, vel])))
        self.events.append((t + max(0.02, dur), 1, bytes([0x80 | ch, key, 0])))

    def cc(self, ch: int, num: int, val: int, t: float) -> None:
        self.events.append((t, 0, bytes([0xB0 | ch, num, val])))

    def program(self, ch: int, prog: int, t: float) -> None:
        self.events.append((t, 0, bytes([0xC0 | ch, prog])))

    def bend(self, ch: int, value: int, t: float) -> None:
        """Pitch bend, 0..16383 with 8192 = none (+-2 semitones by default)."""
        value = max(0, min(16383, value))
        self.events.append((t, 0, bytes([0xE0 | ch, value & 0x7F, value >> 7])))


def _chord(root: int, scale: list[int], degree: int, size: int) -> list[int]:
    notes = []
    for i in range(size):
        d = degree + 2 * i
        notes.append(root + scale[d % 7] + 12 * (d // 7))
    return notes


def arrange(song: Song, rng: random.Random, t0: float, seconds: float, split: str, heldout_programs: set[int]) -> dict:
    """Adds one arrangement starting at t0 lasting `seconds`; returns its description."""
    bpm = rng.uniform(60, 160)
    beat = 60.0 / bpm
    meter = 3 if rng.random() < 0.15 else 4
    bar = beat * meter
    root = rng.randint(45, 57)
    scale = MAJOR if rng.random() < 0.6 else MINOR
    prog = rng.choice(PROGRESSIONS)
    bars_per_chord = rng.choice([1, 1, 2])
    humanize = lambda: rng.uniform(-0.008, 0.008)  # noqa: E731

    shape = rng.random()
    if shape < 0.15:
        roles = ['harmony']  # solo piano, guitar, organ...
    elif shape < 0.25:
        roles = ['melody']
    elif shape < 0.3:
        roles = ['drums']
    else:
        roles = ['harmony'] + [r for r in ('pad', 'bass', 'melody', 'drums') if rng.random() < 0.55]
    desc = {'bpm': round(bpm), 'roles': roles, 'programs': {}}

    channels = {'harmony': 0, 'pad': 1, 'bass': 2, 'melody': 3}
    for role in roles:
        if role == 'drums':
            kit = rng.choice(DRUM_KITS[split])
            song.program(DRUM_CH, kit, t0)
            song.cc(DRUM_CH, 7, rng.randint(70, 110), t0)
            desc['programs']['drums'] = kit
            continue
        p = rng.choice(programs_for(role, heldout_programs, split))
        ch = channels[role]
        song.program(ch, p, t0)
        song.cc(ch, 7, rng.randint(60, 110) if role != 'pad' else rng.randint(45, 85), t0)
        song.cc(ch, 91, rng.randint(0, 90), t0)  # reverb send
        # Vibrato (mod wheel) and sustain pedal: held notes that wobble or ring like played ones.
        song.cc(ch, 1, rng.randint(30, 110) if role in ('melody', 'pad') and rng.random() < 0.35 else 0, t0)
        song.cc(ch, 64, 127 if role == 'harmony' and p < 8 and rng.random() < 0.4 else 0, t0)
        desc['programs'][role] = p

    comp = rng.choice(['block', 'arpeggio', 'strum', 'sustain', 'waltz' if meter == 3 else 'offbeat'])
    arp_order = rng.choice([[0, 1, 2, 3, 2, 1], [0, 1, 2, 3], [0, 2, 1, 3], [3, 2, 1, 0]])
    drum_style = rng.choice(['rock', 'soft', 'four', 'shuffle', 'half', 'latin'])
    bass_style = rng.choice(['whole', 'root5', 'walk', 'octaves'])
    mel_step = rng.choice([0.5, 0.5, 1.0, 0.25])
    mel_pos = rng.randint(7, 11)
    bends = rng.random() < 0.25
    n_bars = int(seconds / bar) + 1

    for b in range(n_bars):
        tb = t0 + b * bar
        if tb >= t0 + seconds:
            break
        degree = prog[(b // bars_per_chord) % len(prog)]
        chord = _chord(root + 12, scale, degree, rng.choice([3, 3, 4]))
        if 'harmony' in roles:
            if comp == 'block':
                for at in ([0, 1.5, 3] if meter == 4 else [0, 1, 2]):
                    for k in chord:
                        song.note(0, k, rng.randint(60, 100), tb + at * beat + humanize(), beat * 1.2)
            elif comp == 'arpeggio':
                tones = chord + [chord[0] + 12]
                steps = int(meter * 2)
                for i in range(steps):
                    k = tones[arp_order[i % len(arp_order)] % len(tones)]
                    song.note(0, k, rng.randint(55, 95), tb + i * beat / 2 + humanize(), beat / 2)
            elif comp == 'strum':
                for at in range(meter):
                    for j, k in enumerate(chord + [chord[0] - 12]):
                        song.note(0, k, rng.randint(55, 95), tb + at * beat + j * 0.018, beat * 0.9)
            elif comp == 'sustain':
                for k in chord:
                    song.note(0, k, rng.randint(50, 90), tb, bar * 0.98)
            elif comp == 'waltz':
                song.note(0, chord[0] - 12, 90, tb, beat * 0.9)
                for at in (1, 2):
                    for k in chord[1:]:
                        song.note(0, k, 70, tb + at * beat, beat * 0.8)
            else:  # offbeat (reggae / ska skank)
                for at in range(meter):
                    for k in chord:
                        song.note(0, k, rng.randint(60, 90), tb + (at + 0.5) * beat, beat * 0.35)
        if 'pad' in roles:
            for k in chord:
                song.note(1, k, rng.randint(40, 75), tb, bar)
        if 'bass' in roles:
            r = chord[0] - 24
            if bass_style == 'whole':
                song.note(2, r, 95, tb, bar * 0.95)
            elif bass_style == 'root5':
                for at in range(meter):
                    song.note(2, r + (7 if at % 2 else 0), rng.randint(80, 105), tb + at * beat, beat * 0.9)
            elif bass_style == 'walk':
                for at in range(meter):
                    song.note(2, r + scale[rng.randint(0, 6)], rng.randint(80, 105), tb + at * beat, beat * 0.95)
            else:
                for i in range(meter * 2):
                    song.note(2, r + (12 if i % 2 else 0), rng.randint(75, 100), tb + i * beat / 2, beat / 2 * 0.9)
        if 'melody' in roles:
            t = 0.0
            while t < meter - 1e-6:
                step = mel_step * rng.choice([1, 1, 2])
                if rng.random() < 0.8:
                    mel_pos = max(0, min(20, mel_pos + rng.choice([-2, -1, -1, 0, 1, 1, 2, 3, -3])))
                    k = root + 12 + scale[mel_pos % 7] + 12 * (mel_pos // 7)
                    at = tb + t * beat + humanize()
                    song.note(3, k, rng.randint(70, 110), at, step * beat * 0.95)
                    if bends and step >= 1:
                        # A slide into or out of the note, like a singer, violin or guitar.
                        far = 8192 + rng.choice([-1, 1]) * rng.randint(1500, 8000)
                        start, stop = (far, 8192) if rng.random() < 0.5 else (8192, far)
                        for q in range(6):
                            song.bend(3, int(start + (stop - start) * q / 5), at + q * step * beat / 8)
                        song.bend(3, 8192, at + step * beat * 0.96)
                t += step
        if 'drums' in roles:
            _drum_bar(song, rng, drum_style, tb, beat, meter, first=b == 0)

    end = t0 + seconds
    for ch in (*channels.values(), DRUM_CH):
        song.cc(ch, 123, 0, end + 0.3)  # all notes off: the next song starts clean
        song.cc(ch, 121, 0, end + 0.31)  # reset controllers
        if ch != DRUM_CH:
            song.bend(ch, 8192, end + 0.31)
    return desc


def _drum_bar(song: Song, rng: random.Random, style: str, tb: float, beat: float, meter: int, first: bool) -> None:
    kick, snare, hat, open_hat, ride, side, crash, conga, clave = 36, 38, 42, 46, 51, 37, 49, 63, 75
    hit = lambda key, vel, at: song.note(DRUM_CH, key, max(1, vel + rng.randint(-10, 10)), tb + at * beat, 0.1)  # noqa: E731
    if first:
        hit(crash, 90, 0)
    if style == 'rock':
        for i in range(meter * 2):
            hit(hat, 70 if i % 2 == 0 else 50, i / 2)
        for at in (0, 2, 2.5)[: meter]:
            hit(kick, 105, at)
        for at in (1, 3)[: meter // 2]:
            hit(snare, 95, at)
    elif style == 'soft':
        for i in range(meter):
            hit(ride, 60, i)
        hit(kick, 80, 0)
        hit(side, 70, min(1, meter - 1))
    elif style == 'four':
        for i in range(meter):
            hit(kick, 110, i)
            hit(open_hat, 65, i + 0.5)
        hit(snare, 85, 1)
    elif style == 'shuffle':
        for i in range(meter):
            hit(hat, 70, i)
            hit(hat, 45, i + 2 / 3)
        hit(kick, 100, 0)
        hit(snare, 90, meter - 1)
    elif style == 'half':
        for i in range(meter * 2):
            hit(hat, 55, i / 2)
        hit(kick, 105, 0)
        hit(snare, 100, meter / 2)
    else:  # latin
        for at in (0, 1.5, 3, 5, 6)[: 3 if meter == 3 else 5]:
            hit(clave, 80, at / 2)
        for i in range(meter * 2):
            hit(conga, 70 if i % 3 == 0 else 50, i / 2)
        hit(kick, 90, 0)


def encode_smf(song: Song) -> bytes:
    """Format-0 Standard MIDI File with one fixed tempo."""
    track = bytearray()
    tempo = US_PER_QUARTER.to_bytes(3, 'big')
    track += b'\x00\xff\x51\x03' + tempo
    last = 0
    for t, _, data in sorted(song.events, key=lambda e: (e[0], e[1])):
        tick = max(0, int(round(t * TICKS_PER_SEC)))
        track += _varlen(tick - last) + data
        last = tick
    track += _varlen(int(TICKS_PER_SEC)) + b'\xff\x2f\x00'  # one second of tail, then end of track
    return b'MThd' + struct.pack('>IHHH', 6, 0, 1, PPQ) + b'MTrk' + struct.pack('>I', len(track)) + bytes(track)


def _varlen(n: int) -> bytes:
    out = [n & 0x7F]
    n >>= 7
    while n:
        out.append((n & 0x7F) | 0x80)
        n >>= 7
    return bytes(reversed(out))
