"""Signal constants and the numpy reference of every computation the sed-mini ONNX graph does.

The graph in graphs.py is built from the same matrices, so this file is the single
definition of the features: framing, window, DFT, mel filterbank, pooled statistics.
"""
import numpy as np

SR = 16000
WINDOW = SR  # one model input: 1 s of 16 kHz mono

# --- sed-mini front end: 25 ms frames every 20 ms, 512-point DFT, 48 mel bands ---------------
CHUNK = 80  # 5 ms; frames are built from whole chunks so framing is Reshape + strided Slice
FRAME_CHUNKS = 5  # 400 samples = 25 ms
HOP_CHUNKS = 4  # 320 samples = 20 ms
FRAME_LEN = CHUNK * FRAME_CHUNKS
N_CHUNKS = WINDOW // CHUNK
N_FRAMES = (N_CHUNKS - FRAME_CHUNKS) // HOP_CHUNKS + 1  # 49
N_FFT = 512
N_BINS = N_FFT // 2 + 1
N_MELS = 48
# The shared front end (audio-spectra) runs on one second plus one hop per row: the 50 frames that
# start in that second, so a stretch's rows tile the episode's 20 ms frame grid. A model window at
# second t reads frames 50t .. 50t + 48 of it.
FRONT_FRAMES = WINDOW // (HOP_CHUNKS * CHUNK)  # 50
FRONT_SAMPLES = (FRONT_FRAMES - 1) * HOP_CHUNKS * CHUNK + FRAME_CHUNKS * CHUNK  # 16080
FMIN_HZ, FMAX_HZ = 50.0, 8000.0
# Added to mel power before the log: about the level of white noise at -85 dBFS, so digital
# silence and dither look alike instead of the model keying on sub-audible differences.
MEL_EPS = 1e-6
# Plus a floor 40 dB under the window's loudest band: low-bitrate codecs punch on/off holes into
# quiet high bands, and without this their log flickers like nothing in clean audio does.
FLOOR_REL = 1e-4
DELTA_LAG = 5  # 100 ms: the syllable-rate change that separates speech from held notes
MOD_HZ = 16  # level modulation spectrum: 1..16 cycles per second (49 frames span 0.98 s)
QUIET_NEPER = 3.0  # "well below the loudest frame": 3 nepers of mel power = 13 dB
SHAPE_LAGS = (1, 2, 5, 10)
FINE_BINS = 160  # 0-5 kHz of the 512-point spectrum
FINE_SMOOTH = 9  # local-mean width (bins) removed to leave the harmonic ripple
FINE_EPS = 1e-6
FINE_LAGS = (1, 2, 4, 8)
# Per frame, what the heads take from the front end: mel-band power, then the power of the DFT bins
# under 5 kHz (the fine structure's input). Both are logged per window (the floor follows the
# window's loudest frame), so the log stays in the heads.
SPECTRA_WIDTH = N_MELS + FINE_BINS  # 208
CLASSES = ['speech', 'music', 'noise']


def hann(n: int) -> np.ndarray:
    """Periodic Hann window (the STFT convention)."""
    return (0.5 - 0.5 * np.cos(2 * np.pi * np.arange(n) / n)).astype(np.float64)


def dft_matrix(frame_len: int, n_fft: int) -> np.ndarray:
    """[frame_len, 2*bins]: real parts then imaginary parts of the DFT of a zero-padded frame."""
    n = np.arange(frame_len)[:, None]
    k = np.arange(n_fft // 2 + 1)[None, :]
    ang = 2 * np.pi * n * k / n_fft
    return np.concatenate([np.cos(ang), -np.sin(ang)], axis=1)


def hz_to_mel(f):
    return 2595.0 * np.log10(1.0 + np.asarray(f, dtype=np.float64) / 700.0)


def mel_to_hz(m):
    return 700.0 * (10.0 ** (np.asarray(m, dtype=np.float64) / 2595.0) - 1.0)


def mel_filterbank() -> np.ndarray:
    """[N_BINS, N_MELS] HTK-style triangles with peak 1."""
    freqs = np.arange(N_BINS) * SR / N_FFT
    edges = mel_to_hz(np.linspace(hz_to_mel(FMIN_HZ), hz_to_mel(FMAX_HZ), N_MELS + 2))
    fb = np.zeros((N_BINS, N_MELS))
    for m in range(N_MELS):
        lo, mid, hi = edges[m], edges[m + 1], edges[m + 2]
        up = (freqs - lo) / (mid - lo)
        down = (hi - freqs) / (hi - mid)
        fb[:, m] = np.maximum(0.0, np.minimum(up, down))
    assert (fb.sum(axis=0) > 0).all(), 'every mel band must cover at least one DFT bin'
    return fb


def fine_matrix() -> np.ndarray:
    """[FINE_BINS, FINE_BINS - FINE_SMOOTH + 1]: bin k minus the mean of the FINE_SMOOTH bins
    centred on it, for every k with a full neighbourhood (bins 4..155, 125 Hz-4.8 kHz)."""
    half = FINE_SMOOTH // 2
    out = FINE_BINS - FINE_SMOOTH + 1
    m = np.zeros((FINE_BINS, out))
    for j in range(out):
        m[j : j + FINE_SMOOTH, j] -= 1.0 / FINE_SMOOTH
        m[j + half, j] += 1.0
    return m


def sed_constants() -> dict:
    """The constant tensors of the sed-mini front end, float32 as in the graph."""
    t = np.arange(N_FRAMES)[:, None]
    f = np.arange(1, MOD_HZ + 1)[None, :]
    return {
        'window': hann(FRAME_LEN).astype(np.float32),
        'dft': dft_matrix(FRAME_LEN, N_FFT).astype(np.float32),  # [400, 514]
        # Power is re^2 + im^2; stacking the filterbank twice sums both halves in one MatMul.
        'mel': np.concatenate([mel_filterbank()] * 2, axis=0).astype(np.float32),  # [514, 48]
        'fine': fine_matrix().astype(np.float32),  # [160, 152]
        'mod_cos': np.cos(2 * np.pi * t * f / N_FRAMES).astype(np.float32),  # [49, 16]
        'mod_sin': np.sin(2 * np.pi * t * f / N_FRAMES).astype(np.float32),
        'band_index': np.arange(N_MELS, dtype=np.float32)[:, None],  # [48, 1]
    }


def sed_frames(audio: np.ndarray) -> np.ndarray:
    """[B, 16000] -> [B, 49, 400]: frame f is chunks 4f..4f+4 (what the graph's slices build)."""
    chunks = audio.reshape(audio.shape[0], N_CHUNKS, CHUNK)
    span = HOP_CHUNKS * (N_FRAMES - 1) + 1
    parts = [chunks[:, o : o + span : HOP_CHUNKS] for o in range(FRAME_CHUNKS)]
    return np.concatenate(parts, axis=2)


def spectra(audio: np.ndarray, c: dict | None = None) -> tuple[np.ndarray, np.ndarray]:
    """[B, 16000] float32 -> log-mel [B, 49, 48] and fine spectral structure [B, 49, 152]."""
    c = c or sed_constants()
    spec = (sed_frames(audio.astype(np.float32)) * c['window']) @ c['dft']
    power = np.square(spec)
    mel = power @ c['mel']
    lm = np.log(mel + (np.float32(MEL_EPS) + np.float32(FLOOR_REL) * mel.max(axis=(1, 2), keepdims=True)))
    low = power[..., :FINE_BINS] + power[..., N_BINS : N_BINS + FINE_BINS]
    fine = np.log(low + (np.float32(FINE_EPS) + np.float32(FLOOR_REL) * low.max(axis=(1, 2), keepdims=True))) @ c['fine']
    return lm, fine


def log_mel(audio: np.ndarray, c: dict | None = None) -> np.ndarray:
    return spectra(audio, c)[0]


def _std(x: np.ndarray, axis: int) -> np.ndarray:
    mean = x.mean(axis=axis, keepdims=True)
    return np.sqrt(np.square(x - mean).mean(axis=axis) + np.float32(1e-6))


def _unit(x: np.ndarray, eps: float) -> np.ndarray:
    """Scales each frame (last axis) to unit length."""
    return x / np.sqrt(np.square(x).sum(axis=2, keepdims=True) + np.float32(eps))


def _lag_similarity(u: np.ndarray, lags: tuple[int, ...]) -> list[np.ndarray]:
    """Mean and std over time of the cosine similarity between frames `lag` apart."""
    out = []
    for lag in lags:
        sim = (u[:, lag:] * u[:, :-lag]).sum(axis=2)
        out += [sim.mean(axis=1, keepdims=True), _std(sim, 1)[:, None]]
    return out


def pooled_features(lm: np.ndarray, fine: np.ndarray, c: dict | None = None) -> np.ndarray:
    """What the classifier sees of a 1 s window ([B, N_FEATURES]):

    - per mel band: mean and std of the log-mel, std of its 20 ms and 100 ms deltas (4 x 48);
    - the frame level (mean log-mel): mean, std, its modulation spectrum 1-16 Hz as shares
      (syllables run at 3-8 Hz, beats elsewhere) and log total, share of frames well below the
      loudest (pauses between words), spectral centroid mean and std (2 + 16 + 1 + 1 + 2);
    - spectral shape (log-mel minus its frame mean), cosine similarity of frames 20/40/100/200 ms
      apart: mean and std (8);
    - fine structure (log spectrum minus its 9-bin local mean, 125 Hz-4.8 kHz), the harmonics:
      similarity of frames 20/40/80/160 ms apart (held notes stay put, voiced speech glides) and
      peakiness (10).
    """
    c = c or sed_constants()
    d1 = lm[:, 1:] - lm[:, :-1]
    d5 = lm[:, DELTA_LAG:] - lm[:, :-DELTA_LAG]
    level = lm.mean(axis=2)  # [B, 49]
    centred = level - level.mean(axis=1, keepdims=True)
    mod = np.sqrt(np.square(centred @ c['mod_cos']) + np.square(centred @ c['mod_sin']))  # [B, 16]
    mod_total = mod.sum(axis=1, keepdims=True) + np.float32(1e-3)
    quiet = sigmoid(np.float32(4) * (level.max(axis=1, keepdims=True) - np.float32(QUIET_NEPER) - level)).mean(axis=1, keepdims=True)
    weights = np.exp(lm - lm.max(axis=2, keepdims=True))
    centroid = (weights @ c['band_index'])[..., 0] / weights.sum(axis=2)
    shape = _unit(lm - lm.mean(axis=2, keepdims=True), 1e-6)
    harm = _unit(fine, 1e-3)
    peaks = np.maximum(fine, 0).mean(axis=2)
    feats = [
        lm.mean(axis=1), _std(lm, 1), _std(d1, 1), _std(d5, 1),
        level.mean(axis=1, keepdims=True), _std(level, 1)[:, None], mod / mod_total, np.log(mod_total), quiet,
        centroid.mean(axis=1, keepdims=True), _std(centroid, 1)[:, None],
        *_lag_similarity(shape, SHAPE_LAGS), *_lag_similarity(harm, FINE_LAGS),
        peaks.mean(axis=1, keepdims=True), _std(peaks, 1)[:, None],
    ]
    return np.concatenate(feats, axis=1).astype(np.float32)


N_FEATURES = 4 * N_MELS + 22 + 2 * 4 + 2 * 4 + 2


def sigmoid(x):
    return 1.0 / (1.0 + np.exp(-x))


def mlp_forward(feats: np.ndarray, p: dict) -> np.ndarray:
    """Standardize, hidden ReLU layers, sigmoid: the classifier as exported."""
    h = (feats - p['mean']) * p['inv_std']
    for i, (w, b) in enumerate(zip(p['weights'], p['biases'])):
        h = h @ w + b
        if i < len(p['weights']) - 1:
            h = np.maximum(h, 0)
    return sigmoid(h).astype(np.float32)


def sed_forward(audio: np.ndarray, p: dict) -> np.ndarray:
    c = sed_constants()
    return mlp_forward(pooled_features(*spectra(audio, c), c), p)
