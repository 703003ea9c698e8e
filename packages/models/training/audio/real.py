"""Recordings no synthesizer made, from Debian packages that `scripts/real-audio.sh --training`
unpacks under .data/real-audio: which are trained on, which are held out, and how they become
speech paragraphs and music excerpts.

Trained on: recorded telephone-system prompts by six voice talents (CC-BY-3.0 / CC-BY-SA-3.0)
and recorded music (CC-BY-SA-3.0). Held out, whole speakers and whole packages (evaluation
only; GPL-2+ recordings are never trained on): the two voice actors of fillets-ng's Dutch and
Czech dialogs, the Colombian Spanish and French prompt voices, and sonic-pi's recorded loops and
textures (the clips of src/evaluation/real-recordings.ts). Licences: weights/NOTICE.md.
"""
import glob
import hashlib
import os
import re
import subprocess
from concurrent.futures import ThreadPoolExecutor

import numpy as np

from dsp import SR

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.environ.get('PODPREVIEW_REAL_AUDIO_DIR') or os.path.abspath(os.path.join(HERE, '..', '..', '..', '..', '.data', 'real-audio', 'x', 'usr', 'share'))
CACHE = os.path.abspath(os.path.join(ROOT, '..', '..', '..', 'decoded'))
ASTERISK = os.path.join(ROOT, 'asterisk', 'sounds')
FILLETS = os.path.join(ROOT, 'games', 'fillets-ng', 'sound')
SONIC = os.path.join(ROOT, 'sonic-pi', 'samples')

# Prompts that are tones, not speech.
NOT_SPEECH = re.compile(r'^(beep|beeperr|ascending-2tone|descending-2tone)\.')

# name -> (directory, licence). Every file directly in the directory is one prompt of one voice.
TRAIN_SPEAKERS = {
    'asterisk:en_US_f_Allison': ('en_US_f_Allison', 'CC-BY-SA-3.0'),
    'asterisk:es_MX_f_Allison': ('es_MX_f_Allison', 'CC-BY-SA-3.0'),
    'asterisk:fr_CA_f_June': ('fr_CA_f_June', 'CC-BY-SA-3.0'),
    'asterisk:it_IT_m_Carlo': ('it_IT_m_Carlo', 'CC-BY-3.0'),
    'asterisk:it_IT_f_Menardi': ('it_IT_f_Menardi', 'CC-BY-SA-3.0'),
    'asterisk:ru_RU_f_IvrvoiceRU': ('ru_RU_f_IvrvoiceRU', 'CC-BY-3.0'),
}
HELDOUT_PROMPT_SPEAKERS = {'asterisk:es_CO (GPL)': 'es', 'asterisk:fr_armelle (GPL)': 'fr'}
TRAIN_MUSIC = {
    'asterisk-moh-opsound': (os.path.join(ROOT, 'asterisk', 'moh'), '*.g722'),
    'singularity-music': (os.path.join(ROOT, 'games', 'singularity', 'music'), '**/*.ogg'),
}
# Held-out tracks of a trained-on package (the report's per-track figure), by file name.
HELDOUT_TRACKS = {'Nebula.ogg', 'Through Space.ogg', 'Chimes They Fade.ogg', 'reno_project-system.g722'}
MUSESCORE_SF = os.path.join(ROOT, 'sounds', 'sf3', 'MuseScore_General_Lite.sf3')
# The clips the real-recordings test scores (src/evaluation/real-recordings.ts): never trained on.
SONIC_MUSIC = ['loop_amen_full', 'loop_breakbeat', 'loop_compus', 'loop_electric', 'loop_garzul', 'loop_mika', 'loop_safari', 'loop_tabla', 'loop_mehackit1', 'loop_mehackit2', 'guit_em9', 'guit_e_fifths', 'guit_harmonics', 'ambi_piano', 'ambi_choir']
SONIC_NOISE = ['vinyl_hiss', 'ambi_soft_buzz', 'ambi_haunted_hum', 'ambi_glass_hum', 'loop_3d_printer', 'ambi_sauna', 'ambi_drone']


def available() -> bool:
    return all(os.path.isdir(os.path.join(ASTERISK, d)) for d, _ in TRAIN_SPEAKERS.values()) and os.path.isdir(FILLETS)


def _decode(path: str) -> np.ndarray:
    # Raw telephone codecs have no header to probe.
    fmt = {'.g722': ['-f', 'g722'], '.gsm': ['-f', 'gsm']}.get(os.path.splitext(path)[1], [])
    raw = subprocess.run(['ffmpeg', '-nostdin', '-loglevel', 'error', *fmt, '-i', path, '-ac', '1', '-ar', str(SR), '-f', 's16le', 'pipe:1'], capture_output=True, check=True).stdout
    return np.frombuffer(raw, '<i2').astype(np.float32) / 32768.0


def decode_all(paths: list[str], workers: int) -> list[np.ndarray]:
    """Decoded once and kept under .data/real-audio/decoded, keyed by the file list."""
    key = hashlib.sha256('\n'.join(paths).encode()).hexdigest()[:16]
    cached = os.path.join(CACHE, f'{key}.npz')
    if os.path.exists(cached):
        z = np.load(cached)
        return np.split(z['pcm'].astype(np.float32) / 32768.0, z['ends'][:-1])
    with ThreadPoolExecutor(workers) as pool:
        clips = list(pool.map(_decode, paths))
    os.makedirs(CACHE, exist_ok=True)
    pcm = np.concatenate(clips) if clips else np.zeros(0, np.float32)
    np.savez(cached, pcm=np.round(pcm * 32768).clip(-32768, 32767).astype(np.int16), ends=np.cumsum([len(c) for c in clips]))
    return clips


def prompt_files(directory: str) -> list[str]:
    d = os.path.join(ASTERISK, directory)
    return sorted(os.path.join(d, f) for f in os.listdir(d) if os.path.isfile(os.path.join(d, f)) and not NOT_SPEECH.match(f))


def _trim(x: np.ndarray) -> np.ndarray:
    """Drops leading and trailing near-silence (prompts carry up to a second of it)."""
    frames = np.sqrt(np.mean(np.square(x[: len(x) // 160 * 160].reshape(-1, 160)), axis=1)) if len(x) >= 160 else np.zeros(0)
    if not len(frames) or frames.max() <= 0:
        return x[:0]
    on = np.where(frames > frames.max() * 10 ** (-40 / 20))[0]
    return x[max(0, on[0] * 160 - 800) : min(len(x), (on[-1] + 1) * 160 + 800)]


def speech_paragraphs(rng: np.random.Generator, workers: int) -> tuple[list[np.ndarray], list[str]]:
    """Each trained-on voice's prompts strung into paragraphs of 3-7 prompts (8-30 s) with
    0.15-0.8 s between them, each prompt used once; some paragraphs pitch/tempo-warped or given a
    room (more speakers and rooms than six studio voices)."""
    out, names = [], []
    for name, (directory, _) in TRAIN_SPEAKERS.items():
        prompts = [p for p in (_trim(c) for c in decode_all(prompt_files(directory), workers)) if len(p) > 0.3 * SR]
        order = list(rng.permutation(len(prompts)))
        while order:
            parts = []
            for _ in range(int(rng.integers(3, 8))):
                if not order:
                    break
                parts.append(prompts[order.pop()])
                parts.append(np.zeros(int(rng.uniform(0.15, 0.8) * SR), np.float32))
            x = np.concatenate(parts[:-1])
            out.append(augment(x, rng))
            names.append(name)
    return out, names


def augment(x: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    from scipy.signal import fftconvolve, resample_poly

    if rng.random() < 0.5:
        warp = rng.uniform(0.86, 1.14)
        x = resample_poly(x, 1000, int(round(1000 * warp))).astype(np.float32)
    if rng.random() < 0.35:
        # A room: exponentially decaying noise tail (RT60 0.15-0.9 s) under the direct sound.
        rt60 = rng.uniform(0.15, 0.9)
        n = int(rt60 * SR)
        tail = rng.standard_normal(n) * np.exp(-6.9 * np.arange(n) / n)
        ir = np.concatenate([[1.0], np.zeros(int(rng.uniform(0.002, 0.01) * SR)), tail * rng.uniform(0.02, 0.12)])
        x = fftconvolve(x, ir)[: len(x)].astype(np.float32)
    return x


def music_tracks(workers: int) -> tuple[list[np.ndarray], list[str], list[np.ndarray], list[str]]:
    """(train clips, names, held-out clips, names): whole recorded tracks."""
    train, train_names, held, held_names = [], [], [], []
    for name, (directory, pattern) in TRAIN_MUSIC.items():
        paths = sorted(glob.glob(os.path.join(directory, pattern), recursive=True))
        for p, clip in zip(paths, decode_all(paths, workers)):
            if os.path.basename(p) in HELDOUT_TRACKS:
                held.append(clip)
                held_names.append(f'{name}:{os.path.basename(p)}')
            else:
                train.append(clip)
                train_names.append(f'{name}:{os.path.basename(p)}')
    return train, train_names, held, held_names


def music_excerpts(tracks: list[np.ndarray], names: list[str], n: int, rng: np.random.Generator) -> tuple[list[np.ndarray], list[str]]:
    """n excerpts of 8-20 s from random places of the tracks (skipping each track's first and last 5 s)."""
    out, out_names = [], []
    for i in range(n):
        k = i % len(tracks)
        t = tracks[k]
        seconds = int(rng.uniform(8, 20) * SR)
        lo, hi = 5 * SR, max(5 * SR + 1, len(t) - 5 * SR - seconds)
        start = int(rng.integers(lo, hi)) if hi > lo else 0
        clip = t[start : start + seconds]
        if np.sqrt(np.mean(np.square(clip))) > 1e-4:
            out.append(clip.astype(np.float32))
            out_names.append(names[k])
    return out, out_names


def heldout_clips(workers: int, per_source: int = 80) -> list[tuple[str, str, np.ndarray]]:
    """(source, truth, pcm) of every held-out real source, the way the real-recordings test
    scores them: whole dialog lines and prompts, 10 s of each loop or texture."""
    out = []
    nl = sorted(glob.glob(os.path.join(FILLETS, '*', 'nl', '*.ogg')))
    cs = sorted(glob.glob(os.path.join(FILLETS, '*', 'cs', '*.ogg')))
    for source, files in (('fillets-nl (voice actors)', nl), ('fillets-cs (voice actors)', cs)):
        step = max(1, len(files) // per_source)
        picked = files[::step][:per_source]
        out += [(source, 'speech', c) for c in decode_all(picked, workers)]
    for source, directory in HELDOUT_PROMPT_SPEAKERS.items():
        d = os.path.join(ASTERISK, directory)
        files = sorted(os.path.join(d, f) for f in os.listdir(d) if os.path.isfile(os.path.join(d, f)) and not NOT_SPEECH.match(f))
        step = max(1, len(files) // per_source)
        out += [(source, 'speech', c) for c in decode_all(files[::step][:per_source], workers)]
    loop = lambda c: np.tile(c, int(np.ceil(10 * SR / max(1, len(c)))))[: 10 * SR]  # noqa: E731
    music = decode_all([os.path.join(SONIC, f'{m}.flac') for m in SONIC_MUSIC], workers)
    out += [('sonic-pi music', 'music', loop(c)) for c in music]
    noise = decode_all([os.path.join(SONIC, f'{m}.flac') for m in SONIC_NOISE] + [os.path.join(ROOT, 'sounds', 'alsa', 'Noise.wav')], workers)
    out += [('sonic-pi + alsa noise', 'noise', loop(c)) for c in noise]
    return out
