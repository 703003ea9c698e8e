"""Assembles rendered material into labelled pseudo-episodes and cuts them into 1 s windows.

An episode is a run of segments (speech, speech over a music bed, speech in noise, music,
noise/silence) on a constant room background, at varied levels, then often passed through a
lossy codec the way podcasts are distributed. Each component's activity is measured on its own
clean track (10 ms frames), so labels follow what is audible, pauses included.
"""
import os
import subprocess
import tempfile

import numpy as np

import sources
from dsp import SR, WINDOW

ACT_FRAME = 160  # 10 ms
HOP = WINDOW // 2  # windows every 0.5 s, as runSoundEvents cuts them
IGNORE = -1

SEGMENT_WEIGHTS = {'speech': 0.22, 'speech_music': 0.14, 'speech_noise': 0.09, 'music': 0.33, 'noise': 0.22}


def db_to_amp(db: float) -> float:
    return float(10 ** (db / 20))


def active_rms(x: np.ndarray) -> float:
    """RMS over the loudest half of 10 ms frames, so pauses do not lower a voice's level."""
    n = len(x) // ACT_FRAME
    if n == 0:
        return float(np.sqrt(np.mean(np.square(x))) + 1e-12)
    e = np.square(x[: n * ACT_FRAME]).reshape(n, ACT_FRAME).mean(axis=1)
    top = np.sort(e)[n // 2 :]
    return float(np.sqrt(top.mean()) + 1e-12)


def activity(x: np.ndarray, rel_db: float, floor_db: float = -70.0) -> np.ndarray:
    """Per 10 ms frame: louder than (the clip's active level - rel_db) and than floor_db."""
    n = len(x) // ACT_FRAME
    e = np.square(x[: n * ACT_FRAME]).reshape(n, ACT_FRAME).mean(axis=1)
    db = 10 * np.log10(e + 1e-12)
    ref = 20 * np.log10(active_rms(x))
    return db > max(ref - rel_db, floor_db)


def _fade(x: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    x = x.copy()
    for side in (0, 1):
        if rng.random() < 0.5:
            n = min(len(x) // 3, int(rng.uniform(0.2, 2.0) * SR))
            ramp = np.linspace(0, 1, n, dtype=np.float32)
            if side == 0:
                x[:n] *= ramp
            else:
                x[len(x) - n :] *= ramp[::-1]
    return x


class Pools:
    """Hands out rendered clips round-robin, each speech paragraph once per pass."""

    def __init__(self, speech: list[np.ndarray], music: list[np.ndarray], rng: np.random.Generator) -> None:
        self.speech, self.music, self.rng = speech, music, rng
        self.speech_order = list(rng.permutation(len(speech)))
        self.music_order: list[int] = []
        self.speech_used = 0

    def next_speech(self) -> tuple[np.ndarray, int]:
        if not self.speech_order:
            self.speech_order = list(self.rng.permutation(len(self.speech)))
        self.speech_used += 1
        i = int(self.speech_order.pop())
        return self.speech[i], i

    def next_music(self, seconds: float | None = None) -> tuple[np.ndarray, list[int]]:
        """A music excerpt and the clips it came from; clips are joined when one is too short."""
        parts, total, used = [], 0, []
        want = int((seconds or self.rng.uniform(3, 18)) * SR)
        while total < want:
            if not self.music_order:
                self.music_order = list(self.rng.permutation(len(self.music)))
            used.append(int(self.music_order.pop()))
            clip = self.music[used[-1]]
            start = int(self.rng.integers(0, max(1, len(clip) - want)))
            part = clip[start : start + want - total]
            parts.append(part / active_rms(part))
            total += len(part)
        return np.concatenate(parts), used


def build_episode(pools: Pools, rng: np.random.Generator, seconds: float) -> dict:
    """One labelled episode: the mix and per-10 ms activity of speech and music."""
    n_total = int(seconds * SR)
    speech = np.zeros(n_total, np.float32)
    music = np.zeros(n_total, np.float32)
    noise = np.zeros(n_total, np.float32)
    s_act = np.zeros(n_total // ACT_FRAME + 1, bool)
    m_act = np.zeros_like(s_act)

    bg_kind = 'zero' if rng.random() < 0.4 else rng.choice(['dither', 'white', 'pink', 'brown', 'room', 'hum', 'fan', 'hiss_hum'])
    noise += sources.noise(bg_kind, n_total, rng) * db_to_amp(rng.uniform(-85, -50))

    def mark(act: np.ndarray, mask: np.ndarray, at: int) -> None:
        f0 = at // ACT_FRAME
        mask[f0 : f0 + len(act)] |= act[: len(mask) - f0]

    segments = []  # what went where, for error analysis
    t = int(rng.uniform(0, 1.0) * SR)
    kinds = list(SEGMENT_WEIGHTS)
    p = np.array(list(SEGMENT_WEIGHTS.values()))
    while t < n_total - SR:
        kind = rng.choice(kinds, p=p / p.sum())
        if kind.startswith('speech'):
            songs: list[int] = []
            clip, source = pools.next_speech()
            clip = clip[: n_total - t]
            level = rng.uniform(-34, -12)
            seg = clip / active_rms(clip) * db_to_amp(level)
            speech[t : t + len(seg)] += seg
            mark(activity(seg, 35), s_act, t)
            if kind == 'speech_music':
                bed, songs = pools.next_music(len(seg) / SR)
                bed = bed[: len(seg)]
                bed = _fade(bed, rng) * db_to_amp(level - rng.uniform(4, 16))
                music[t : t + len(bed)] += bed
                mark(activity(bed, 40, -75), m_act, t)
            elif kind == 'speech_noise':
                nk = rng.choice(['white', 'pink', 'brown', 'room', 'hum', 'fan', 'crackle', 'hiss_hum'])
                noise[t : t + len(seg)] += sources.noise(nk, len(seg), rng) * db_to_amp(level - rng.uniform(3, 25))
            segments.append({'kind': kind, 'start': t, 'end': t + len(seg), 'speech': source, 'music': songs if kind == 'speech_music' else []})
            t += len(seg)
        elif kind == 'music':
            clip, songs = pools.next_music()
            clip = clip[: n_total - t]
            seg = _fade(clip, rng) * db_to_amp(rng.uniform(-36, -12))
            music[t : t + len(seg)] += seg
            mark(activity(seg, 40, -75), m_act, t)
            segments.append({'kind': kind, 'start': t, 'end': t + len(seg), 'music': songs})
            t += len(seg)
        else:
            n = min(int(rng.uniform(1.5, 8) * SR), n_total - t)
            nk = rng.choice(sources.NOISE_KINDS)
            noise[t : t + n] += sources.noise(nk, n, rng) * db_to_amp(rng.uniform(-90, -25))
            segments.append({'kind': kind, 'start': t, 'end': t + n, 'noise': nk})
            t += n
        t += int(rng.uniform(0, 1.2) * SR)  # a pause on the background only

    mix = np.clip(speech + music + noise, -1, 1).astype(np.float32)
    return {'audio': mix, 'speech_act': s_act, 'music_act': m_act, 'background': bg_kind, 'segments': segments}


def draw_episodes(speech: list[np.ndarray], music: list[np.ndarray], rng: np.random.Generator) -> list[dict]:
    """Episodes of 45-120 s, each with its codec, until every speech paragraph is used."""
    pools = Pools(speech, music, rng)
    eps = []
    while pools.speech_used < len(speech):
        ep = build_episode(pools, rng, rng.uniform(45, 120))
        ep['codec'] = choose_codec(rng)
        eps.append(ep)
    return eps


# --- lossy codecs ------------------------------------------------------------------------------


def _ffmpeg(args: list[str], stdin: bytes | None = None) -> bytes:
    return subprocess.run(['ffmpeg', '-nostdin', '-hide_banner', '-loglevel', 'error', *args], input=stdin, capture_output=True, check=True).stdout


def choose_codec(rng: np.random.Generator) -> list[str] | None:
    """ffmpeg output options of a podcast-like encoding, or None for the raw mix."""
    r = rng.random()
    if r < 0.3:
        return None
    if r < 0.7:
        # Talk podcasts are often 32-64 kbps mono; low rates smear breath and hiss into warbles.
        return ['-c:a', 'libmp3lame', '-b:a', f'{rng.choice([24, 32, 32, 40, 48, 64, 96, 128])}k', '-ar', str(rng.choice([16000, 22050, 22050, 44100])), '-f', 'mp3']
    if r < 0.82:
        return ['-c:a', 'libopus', '-b:a', f'{rng.choice([16, 24, 32, 48])}k', '-f', 'ogg']
    if r < 0.92:
        # Low-quality Vorbis turns hiss and breath into steady tonal bands that look like held notes.
        return ['-c:a', 'libvorbis', '-q:a', str(rng.choice([-1, 0, 0, 1, 2])), '-ar', str(rng.choice([22050, 22050, 44100])), '-f', 'ogg']
    return ['-af', f'highpass=f=300,lowpass=f={rng.choice([3400, 4000, 5000])}', '-c:a', 'pcm_s16le', '-f', 'wav']


def codec_name(codec: list[str] | None) -> str:
    if codec is None:
        return 'none'
    if codec[0] == '-af':
        return f'band-limited {codec[1]}'
    return f'{ {"libmp3lame": "mp3", "libopus": "opus", "libvorbis": "vorbis"}[codec[1]]} {codec[3]}'


def codec_roundtrip(x: np.ndarray, codec: list[str] | None) -> np.ndarray:
    """Encodes and decodes (through a file, so mp3 keeps its gapless header), re-aligned to x."""
    if codec is None:
        return x
    with tempfile.TemporaryDirectory() as tmp:
        path = os.path.join(tmp, 'episode')
        _ffmpeg(['-f', 'f32le', '-ar', str(SR), '-ac', '1', '-i', 'pipe:0', *codec, '-y', path], x.tobytes())
        raw = _ffmpeg(['-i', path, '-f', 'f32le', '-ar', str(SR), '-ac', '1', 'pipe:1'])
    y = np.frombuffer(raw, np.float32)
    lag = _lag(x, y)
    y = y[lag:] if lag >= 0 else np.concatenate([np.zeros(-lag, np.float32), y])
    out = np.zeros_like(x)
    out[: min(len(x), len(y))] = y[: len(x)]
    return out


def _lag(x: np.ndarray, y: np.ndarray, max_lag: int = 4000) -> int:
    """Delay of y against x (codec priming), by cross-correlation of the first 20 s."""
    n = min(len(x), len(y), 20 * SR)
    if n < 2 * max_lag:
        return 0
    size = 1 << int(np.ceil(np.log2(2 * n)))
    c = np.fft.irfft(np.fft.rfft(y[:n], size) * np.conj(np.fft.rfft(x[:n], size)), size)
    cand = np.concatenate([c[: max_lag + 1], c[-max_lag:]])
    k = int(np.argmax(cand))
    return k if k <= max_lag else k - len(cand)


# --- windows -----------------------------------------------------------------------------------


def windows(ep: dict) -> tuple[np.ndarray, np.ndarray]:
    """[n, 16000] windows every 0.5 s (tail zero-padded, as the runner does) and [n, 3] labels."""
    x = ep['audio']
    n = 1 if len(x) <= WINDOW else int(np.ceil((len(x) - WINDOW) / HOP)) + 1
    padded = np.zeros((n - 1) * HOP + WINDOW, np.float32)
    padded[: len(x)] = x
    idx = np.arange(n)[:, None] * HOP + np.arange(WINDOW)[None, :]
    audio = padded[idx]
    per_win = WINDOW // ACT_FRAME
    labels = np.zeros((n, 3), np.int8)
    for i in range(n):
        f0 = i * HOP // ACT_FRAME
        s = int(ep['speech_act'][f0 : f0 + per_win].sum())
        m = int(ep['music_act'][f0 : f0 + per_win].sum())
        sp = 1 if s >= 20 else 0 if s <= 5 else IGNORE
        mu = 1 if m >= 30 else 0 if m <= 5 else IGNORE
        no = IGNORE if IGNORE in (sp, mu) else int(sp == 0 and mu == 0)
        labels[i] = (sp, mu, no)
    return audio, labels
