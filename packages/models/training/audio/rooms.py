"""A second part of sed-mini's training split: the trained-on recorded voices and recorded music
in reverberant rooms (halls, stairwells, tiled and bare rooms: RT60 0.6-2.5 s, as much reverberant
as direct sound), many voices also lowered in pitch.

Why: a voice in a live room leaves a tail after every phrase that keeps the last vowel's harmonics
for a second or more while it decays. Without such rooms in training, sed-mini hears that tail,
a held tone with no articulation, as music; low voices, whose harmonics are dense, the most.
Music gets the same rooms, so a tail alone is no evidence of speech.

Kept apart from the base recipe (train_sed.RECIPE) and cached on its own, so the base split's
windows are not rendered again when this part changes.
"""
import numpy as np
from scipy.signal import fftconvolve, lfilter, resample_poly

import real
from dsp import SR

# Share of each trained-on voice's prompts strung into reverberant paragraphs (the base part
# already uses every prompt once, with a small room at most).
PROMPT_SHARE = 0.4
MUSIC_EXCERPTS = 90
RT60_SEC = (0.6, 2.5)
# Direct-to-reverberant ratio: from a close microphone in a live room to the far end of a hall.
DRR_DB = (-8.0, 6.0)


def room_impulse(rng: np.random.Generator) -> np.ndarray:
    """Direct sound, a few early reflections, then a noise tail whose highs die sooner than its
    lows (air and soft surfaces absorb highs), scaled to a drawn direct-to-reverberant ratio."""
    rt60 = rng.uniform(*RT60_SEC)
    n = int(rt60 * 1.2 * SR)
    t = np.arange(n) / SR
    noise = rng.standard_normal(n)
    smooth = lfilter([0.325], [1, -0.675], noise)  # one-pole low-pass at about 1 kHz
    low, high = smooth * 2.3, noise - smooth
    tail = low * np.exp(-6.9 * t / rt60) + high * np.exp(-6.9 * t / (rt60 * rng.uniform(0.35, 0.7)))
    onset = int(rng.uniform(0.005, 0.03) * SR)
    tail[:onset] = 0.0
    for _ in range(int(rng.integers(2, 7))):  # early reflections
        k = int(rng.uniform(0.003, 0.05) * SR)
        if k < n:
            tail[k] += rng.uniform(-0.6, 0.6)
    drr = 10 ** (rng.uniform(*DRR_DB) / 10)
    tail *= np.sqrt(1.0 / (drr * np.sum(np.square(tail)) + 1e-12))
    ir = tail.copy()
    ir[0] = 1.0
    return ir


def in_room(x: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """The clip in a drawn room, its tail kept (the clip grows by the room's decay)."""
    y = fftconvolve(x, room_impulse(rng))
    return (y / (np.max(np.abs(y)) + 1e-9) * np.max(np.abs(x))).astype(np.float32)


def lowered(x: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """Pitch, formants and tempo lowered together by a factor of 1.0-1.35 for two clips in three:
    the six recorded voices are five women and one man, and deep voices are where a tail sounds
    most like a held note."""
    if rng.random() < 1 / 3:
        return x
    return resample_poly(x, int(round(1000 * rng.uniform(1.0, 1.35))), 1000).astype(np.float32)


def speech_paragraphs(rng: np.random.Generator, workers: int) -> tuple[list[np.ndarray], list[str]]:
    """Paragraphs of 2-5 prompts of each trained-on voice, every prompt in the room of its
    paragraph, with its tail running into the pause after it."""
    out, names = [], []
    for name, (directory, _) in real.TRAIN_SPEAKERS.items():
        prompts = [p for p in (real._trim(c) for c in real.decode_all(real.prompt_files(directory), workers)) if len(p) > 0.3 * SR]
        order = list(rng.permutation(len(prompts))[: int(len(prompts) * PROMPT_SHARE)])
        while order:
            parts = []
            for _ in range(int(rng.integers(2, 6))):
                if not order:
                    break
                parts.append(prompts[order.pop()])
                parts.append(np.zeros(int(rng.uniform(0.1, 1.0) * SR), np.float32))
            out.append(in_room(lowered(np.concatenate(parts[:-1]), rng), rng))
            names.append(f'{name} (reverberant room)')
    return out, names


def music_excerpts(rng: np.random.Generator, workers: int) -> tuple[list[np.ndarray], list[str]]:
    """Recorded music excerpts (held-out tracks excluded, as in the base part), three in four in a room."""
    tracks, track_names, _, _ = real.music_tracks(workers)
    clips, names = real.music_excerpts(tracks, track_names, MUSIC_EXCERPTS, rng)
    return [in_room(c, rng) if rng.random() < 0.75 else c for c in clips], names
