"""Renders the raw material: synthetic voices, General MIDI songs, sox chords, noises.

Every external tool runs with fixed arguments chosen by a seeded RNG, so a re-run with the
same tool versions renders the same audio. All output is float32 mono at 16 kHz.
"""
import io
import os
import random
import subprocess
import tempfile
import wave
from concurrent.futures import ThreadPoolExecutor
from math import gcd

import numpy as np
from scipy.signal import lfilter, resample_poly

import midi
import real
import text
from dsp import SR

SOUNDFONT = '/usr/share/sounds/sf2/FluidR3_GM.sf2'
WORKERS = max(1, os.cpu_count() or 1)

# --- voices ------------------------------------------------------------------------------------
# Held out (never trained on): every espeak variant the bundled samples use (m1, m2, m3, f2, f3,
# f4) plus three more, flite's slt, and festival's HTS slt voice.
ESPEAK_TRAIN_VARIANTS = [
    'm4', 'm5', 'm6', 'm7', 'm8', 'f1', 'f5', 'klatt', 'klatt2', 'klatt5', 'croak', 'whisper',
    'whisperf', 'Alex', 'Andrea', 'Andy', 'Annie', 'aunty', 'belinda', 'benjamin', 'david', 'Denis',
    'ed', 'edward', 'Gene', 'Jacky', 'john', 'Lee', 'Michael', 'norbert', 'paul', 'quincy', 'rob', 'robert',
    'steph', 'travis', 'zac', 'anika', 'grandma', 'grandpa', 'shelby', 'victor', 'boris', 'iven', 'Storm',
]
ESPEAK_HELDOUT_VARIANTS = ['m1', 'm2', 'm3', 'f2', 'f3', 'f4', 'klatt4', 'linda', 'max']
# English dialects mostly; a few other languages read the same English text with their accent.
ESPEAK_LANGS = ['en-us', 'en-us', 'en', 'en-gb-x-rp', 'en-gb-scotland', 'en-gb-x-gbclan', 'en-gb-x-gbcwmd', 'en-029', 'en-us-nyc', 'de', 'fr', 'es', 'nl', 'it']
FLITE_VOICES = {'train': ['kal16', 'awb', 'rms', 'kal'], 'heldout': ['slt']}
# Festival's Catalan, Czech, Finnish and Italian voices read the English text with their own
# letter-to-sound rules: accented, but their units come from recorded human speech.
FESTIVAL_VOICES = {
    'train': ['upc_ca_ona_hts', 'kal_diphone', 'ked_diphone', 'czech_dita', 'czech_krb', 'czech_machac', 'czech_ph', 'suo_fi_lj_diphone', 'hy_fi_mv_diphone', 'lp_diphone', 'pc_diphone'],
    'heldout': ['cmu_us_slt_arctic_hts'],
}

# --- instruments -------------------------------------------------------------------------------
# Held out: every GM program the bundled samples' music uses, plus six more.
HELDOUT_PROGRAMS = {0, 4, 11, 32, 33, 38, 48, 49, 89} | {19, 24, 56, 73, 81, 105}
SOX_WAVES = {'train': ['sine', 'square', 'sawtooth', 'pluck'], 'heldout': ['triangle', 'pluck']}


def _run(cmd: list[str], stdin: bytes | None = None) -> bytes:
    return subprocess.run(cmd, input=stdin, capture_output=True, check=True).stdout


def read_wav(data: bytes) -> np.ndarray:
    """WAV bytes (16-bit PCM, any rate and channel count) -> float32 mono at 16 kHz."""
    with wave.open(io.BytesIO(data)) as w:
        sr, ch, n = w.getframerate(), w.getnchannels(), w.getnframes()
        raw = w.readframes(n)
    x = np.frombuffer(raw, dtype='<i2').astype(np.float32) / 32768.0
    if ch > 1:
        x = x.reshape(-1, ch).mean(axis=1)
    return resample(x, sr, SR)


def _fix_espeak_header(data: bytes) -> bytes:
    # espeak-ng --stdout leaves the RIFF/data sizes unset (it cannot seek a pipe).
    b = bytearray(data)
    b[4:8] = (len(b) - 8).to_bytes(4, 'little')
    b[40:44] = (len(b) - 44).to_bytes(4, 'little')
    return bytes(b)


def resample(x: np.ndarray, sr_in: int, sr_out: int) -> np.ndarray:
    if sr_in == sr_out:
        return x.astype(np.float32)
    g = gcd(sr_in, sr_out)
    return resample_poly(x, sr_out // g, sr_in // g).astype(np.float32)


ESPEAK_DATA = '/usr/lib/x86_64-linux-gnu/espeak-ng-data'


def make_espeak_variants(root: str, n: int, seed: int) -> list[str]:
    """Writes n random espeak-ng voice variants (pitch range, formants, flutter, breath...) into
    an espeak-ng data dir at `root` that links everything else to the system one; use them with
    `espeak-ng --path=root -v en+rndN`. Random speakers, none of them a held-out variant."""
    data = os.path.join(root, 'espeak-ng-data')
    variants = os.path.join(data, 'voices', '!v')
    os.makedirs(variants, exist_ok=True)
    system = ESPEAK_DATA if os.path.isdir(ESPEAK_DATA) else _espeak_data_dir()
    for entry in sorted(os.listdir(system)):
        if entry != 'voices':
            _link(os.path.join(system, entry), os.path.join(data, entry))
    for entry in sorted(os.listdir(os.path.join(system, 'voices'))):
        if entry != '!v':
            _link(os.path.join(system, 'voices', entry), os.path.join(data, 'voices', entry))
    rng = random.Random(seed)
    names = []
    for i in range(n):
        female = rng.random() < 0.5
        base = rng.randint(130, 215) if female else rng.randint(60, 125)
        lines = ['language variant', f'name rnd{i}', f'gender {"female" if female else "male"}', f'pitch {base} {base + rng.randint(15, 110)}']
        for f in range(9):
            lines.append(f'formant {f} {rng.randint(85, 125) if f < 6 else 100} {rng.randint(70, 130)} {rng.randint(80, 200)}')
        lines += [f'flutter {rng.randint(0, 20)}', f'roughness {rng.randint(0, 6)}', f'consonants {rng.randint(60, 150)} {rng.randint(60, 150)}']
        if rng.random() < 0.4:
            lines.append(f'voicing {rng.randint(30, 150)}')
        if rng.random() < 0.5:  # breathy voices: aspiration noise under the harmonics
            lines.append('breath ' + ' '.join(str(rng.randint(0, 10)) for _ in range(8)))
            lines.append('breathw ' + ' '.join(str(rng.randint(100, 400)) for _ in range(6)))
        if rng.random() < 0.3:
            lines.append(f'echo {rng.randint(60, 180)} {rng.randint(5, 30)}')
        with open(os.path.join(variants, f'rnd{i}'), 'w') as fh:
            fh.write('\n'.join(lines) + '\n')
        names.append(f'rnd{i}')
    return names


def _espeak_data_dir() -> str:
    out = _run(['espeak-ng', '--version']).decode()
    return out.rsplit('Data at:', 1)[1].strip()


def _link(src: str, dst: str) -> None:
    if not os.path.lexists(dst):
        os.symlink(src, dst)


def speech_jobs(split: str, counts: dict, seed: int, random_variants: tuple[str, list[str]] | None = None) -> list[dict]:
    """Render jobs for one split: named espeak variants, random espeak variants (train only:
    `random_variants` is (espeak --path, names)), flite and festival voices."""
    rng = random.Random(seed)
    variants = ESPEAK_TRAIN_VARIANTS if split == 'train' else ESPEAK_HELDOUT_VARIANTS
    jobs = []
    for i in range(counts['espeak']):
        v = variants[i % len(variants)]
        jobs.append({'engine': 'espeak', 'voice': f'{rng.choice(ESPEAK_LANGS)}+{v}', 'speed': rng.randint(120, 210), 'pitch': rng.randint(20, 80)})
    if random_variants:
        path, names = random_variants
        for v in names:
            jobs.append({'engine': 'espeak', 'voice': f'{rng.choice(ESPEAK_LANGS)}+{v}', 'speed': rng.randint(120, 210), 'pitch': rng.randint(20, 80), 'path': path})
    for i in range(counts['flite']):
        jobs.append({'engine': 'flite', 'voice': FLITE_VOICES[split][i % len(FLITE_VOICES[split])], 'stretch': round(rng.uniform(0.85, 1.25), 2)})
    for i in range(counts['festival']):
        jobs.append({'engine': 'festival', 'voice': FESTIVAL_VOICES[split][i % len(FESTIVAL_VOICES[split])], 'stretch': round(rng.uniform(0.85, 1.25), 2)})
    for j in jobs:
        j['text'] = text.paragraph(rng)
        # Resampling shifts pitch and tempo together: more distinct speakers from each voice.
        j['warp'] = round(rng.uniform(0.85, 1.18), 3) if rng.random() < 0.6 else 1.0
    return jobs


def render_speech(job: dict) -> np.ndarray:
    with tempfile.TemporaryDirectory() as tmp:
        out = os.path.join(tmp, 'out.wav')
        if job['engine'] == 'espeak':
            path = [f'--path={job["path"]}'] if 'path' in job else []
            data = _run(['espeak-ng', *path, '-v', job['voice'], '-s', str(job['speed']), '-p', str(job['pitch']), '--stdout', job['text']])
            x = read_wav(_fix_espeak_header(data))
        elif job['engine'] == 'flite':
            _run(['flite', '-voice', job['voice'], '--setf', f'duration_stretch={job["stretch"]}', '-t', job['text'], '-o', out])
            x = read_wav(open(out, 'rb').read())
        else:
            txt = os.path.join(tmp, 'in.txt')
            with open(txt, 'w') as f:
                f.write(job['text'])
            _run(['text2wave', '-eval', f'(voice_{job["voice"]})', '-eval', f"(Parameter.set 'Duration_Stretch {job['stretch']})", txt, '-o', out])
            # Some diphone voices give up on a text without failing: no file, nothing said.
            x = read_wav(open(out, 'rb').read()) if os.path.exists(out) else np.zeros(0, np.float32)
    if job['warp'] != 1.0:
        x = resample_poly(x, 1000, int(round(1000 * job['warp']))).astype(np.float32)
    return x


def render_speech_all(jobs: list[dict]) -> list[np.ndarray]:
    with ThreadPoolExecutor(WORKERS) as pool:
        return list(pool.map(render_speech, jobs))


# --- music -------------------------------------------------------------------------------------
SONG_GAP_SEC = 2.0  # between songs in one render: reverb tails die out before the next starts


def song_batches(split: str, n_songs: int, per_batch: int, seed: int, musescore_share: float = 0.0) -> list[dict]:
    """MIDI batches of songs; a `musescore_share` of them rendered with MuseScore's soundfont
    (other recorded instrument samples than Fluid's; unpacked by real-audio.sh --training)."""
    rng = random.Random(seed)
    sf_rng = random.Random(seed + 7)
    batches = []
    for start in range(0, n_songs, per_batch):
        song, t, cuts = midi.Song(), 0.5, []
        for _ in range(min(per_batch, n_songs - start)):
            seconds = rng.uniform(8, 20)
            desc = midi.arrange(song, rng, t, seconds, split, HELDOUT_PROGRAMS)
            cuts.append((t, seconds, desc))
            t += seconds + SONG_GAP_SEC
        soundfont = real.MUSESCORE_SF if sf_rng.random() < musescore_share else SOUNDFONT
        batches.append({'smf': midi.encode_smf(song), 'cuts': cuts, 'reverb': rng.random() < 0.7, 'chorus': rng.random() < 0.5, 'soundfont': soundfont})
    return batches


def render_song_batch(batch: dict) -> list[tuple[np.ndarray, dict]]:
    with tempfile.TemporaryDirectory() as tmp:
        mid, wav = os.path.join(tmp, 'b.mid'), os.path.join(tmp, 'b.wav')
        with open(mid, 'wb') as f:
            f.write(batch['smf'])
        _run(['fluidsynth', '-ni', '-q', '-g', '0.6', '-r', str(SR), '-R', '1' if batch['reverb'] else '0', '-C', '1' if batch['chorus'] else '0', '-F', wav, batch['soundfont'], mid])
        x = read_wav(open(wav, 'rb').read())
    out = []
    for t, seconds, desc in batch['cuts']:
        clip = x[int(t * SR) : int((t + seconds) * SR)]
        if np.sqrt(np.mean(np.square(clip))) > 1e-4:
            out.append((clip, desc))
    return out


def render_music_all(batches: list[dict]) -> list[tuple[np.ndarray, dict]]:
    with ThreadPoolExecutor(WORKERS) as pool:
        return [c for clips in pool.map(render_song_batch, batches) for c in clips]


def sox_chord_jobs(split: str, n: int, seed: int) -> list[dict]:
    rng = random.Random(seed)
    jobs = []
    for _ in range(n):
        wave_kind = rng.choice(SOX_WAVES[split])
        root = rng.randint(45, 60)
        scale = midi.MAJOR if rng.random() < 0.5 else midi.MINOR
        prog = rng.choice(midi.PROGRESSIONS)
        dur = rng.uniform(0.4, 2.0)
        chords = []
        for i in range(rng.randint(4, 10)):
            notes = [root + 12 + scale[(prog[i % len(prog)] + 2 * k) % 7] + 12 * ((prog[i % len(prog)] + 2 * k) // 7) for k in range(rng.choice([3, 4]))]
            chords.append([round(440 * 2 ** ((k - 69) / 12), 2) for k in notes])
        jobs.append({'wave': wave_kind, 'dur': round(dur, 3), 'chords': chords, 'reverb': rng.randint(0, 60), 'tremolo': rng.random() < 0.3})
    return jobs


def render_sox_chords(job: dict) -> np.ndarray:
    parts = []
    for chord in job['chords']:
        cmd = ['sox', '-R', '-n', '-r', str(SR), '-b', '16', '-c', '1', '-t', 'wav', '-', 'synth', str(job['dur'])]
        for f in chord:
            cmd += [job['wave'], str(f)]
        cmd += ['fade', 'q', '0.01', str(job['dur']), '0.05']
        if job['tremolo']:
            cmd += ['tremolo', '5', '40']
        cmd += ['reverb', str(job['reverb'])] if job['reverb'] else []
        cmd += ['norm', '-6']
        parts.append(read_wav(_run(cmd)))
    return np.concatenate(parts)


def render_sox_all(jobs: list[dict]) -> list[np.ndarray]:
    with ThreadPoolExecutor(WORKERS) as pool:
        return list(pool.map(render_sox_chords, jobs))


# --- noise and silence -------------------------------------------------------------------------
NOISE_KINDS = ['zero', 'dither', 'white', 'pink', 'brown', 'hum', 'room', 'fan', 'crackle', 'hiss_hum']


def _shaped(n: int, rng: np.random.Generator, slope_db_per_oct: float) -> np.ndarray:
    """Gaussian noise with a spectral slope (0 white, -3 pink, -6 brown)."""
    spec = np.fft.rfft(rng.standard_normal(n))
    f = np.fft.rfftfreq(n, 1 / SR)
    f[0] = f[1]
    spec *= (f / 1000.0) ** (slope_db_per_oct / (20 * np.log10(2)))
    return np.fft.irfft(spec, n)


def noise(kind: str, n: int, rng: np.random.Generator) -> np.ndarray:
    """Unit-RMS background of a kind (zero stays zero)."""
    t = np.arange(n) / SR
    if kind == 'zero':
        return np.zeros(n, np.float32)
    if kind in ('dither', 'white'):
        x = rng.standard_normal(n)
    elif kind == 'pink':
        x = _shaped(n, rng, -3)
    elif kind == 'brown':
        x = _shaped(n, rng, -6)
    elif kind == 'hum':
        f0 = rng.choice([50.0, 60.0]) * rng.uniform(0.99, 1.01)
        x = sum(rng.uniform(0.1, 1) / h * np.sin(2 * np.pi * f0 * h * t + rng.uniform(0, 6.3)) for h in range(1, 8))
        x = x + 0.05 * rng.standard_normal(n)
    elif kind == 'room':
        x = lfilter([1.0], [1.0, -0.95], _shaped(n, rng, -3))
    elif kind == 'fan':
        lo = rng.uniform(0.02, 0.2)
        x = lfilter([lo], [1.0, -(1 - lo)], rng.standard_normal(n)) * (1 + 0.3 * np.sin(2 * np.pi * rng.uniform(0.2, 3) * t))
        x = x + 0.3 * np.sin(2 * np.pi * rng.uniform(80, 300) * t)
    elif kind == 'crackle':
        x = 0.2 * rng.standard_normal(n)
        clicks = rng.random(n) < rng.uniform(2, 40) / SR
        x[clicks] += rng.standard_normal(clicks.sum()) * 15
    else:  # hiss_hum
        x = _shaped(n, rng, 0) + 0.5 * np.sin(2 * np.pi * rng.choice([50.0, 60.0]) * t)
    x = np.asarray(x, np.float64)
    return (x / (np.sqrt(np.mean(np.square(x))) + 1e-12)).astype(np.float32)
