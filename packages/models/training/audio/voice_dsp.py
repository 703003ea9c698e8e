"""The numpy reference of what the voice-embed ONNX graph computes from sed-mini's front end.

A voice is mostly its spectral envelope (vocal tract: formants, brightness, nasality) and its
pitch. Both are pooled over the window's voiced frames only, so pauses and breaths do not
blur them, and taken relative to the frame's level, so a louder or quieter passage of the same
voice stays the same voice.
"""
import numpy as np

import dsp

# Harmonic ripple periods, in 31.25 Hz DFT bins: f0 of 75-400 Hz on a log grid.
PITCH_PERIODS = np.geomspace(75.0, 400.0, 24) / (dsp.SR / dsp.N_FFT)
# Frames within this many nepers of the window's loudest frame count as voiced (about 17 dB).
VOICED_NEPER = 4.0
EMBED_DIM = 32


def voice_constants() -> dict:
    k = np.arange(dsp.FINE_BINS - dsp.FINE_SMOOTH + 1)[:, None]
    ang = 2 * np.pi * k / PITCH_PERIODS[None, :]
    return {
        'pitch_cos': np.cos(ang).astype(np.float32),  # [152, 24]
        'pitch_sin': np.sin(ang).astype(np.float32),
    }


def voice_features(lm: np.ndarray, fine: np.ndarray, c: dict | None = None) -> np.ndarray:
    """[B, 49, 48] log-mel and [B, 49, 152] fine structure -> [B, 48 + 48 + 24 + 1] features:
    voiced-frame weighted mean and std of the level-normalised envelope, the pitch histogram
    (share of harmonic ripple at each f0), and the share of voiced frames."""
    c = c or voice_constants()
    level = lm.mean(axis=2, keepdims=True)  # [B, 49, 1]
    w = dsp.sigmoid(np.float32(4) * (level - (level.max(axis=1, keepdims=True) - np.float32(VOICED_NEPER))))
    wsum = w.sum(axis=1) + np.float32(1e-3)  # [B, 1]
    shape = lm - level
    mean = (shape * w).sum(axis=1) / wsum  # [B, 48]
    var = (np.square(shape - mean[:, None, :]) * w).sum(axis=1) / wsum
    std = np.sqrt(var + np.float32(1e-4))
    amp = np.sqrt(np.square(fine @ c['pitch_cos']) + np.square(fine @ c['pitch_sin']))  # [B, 49, 24]
    share = amp / (amp.sum(axis=2, keepdims=True) + np.float32(1e-3))
    pitch = (share * w).sum(axis=1) / wsum  # [B, 24]
    voiced = w.mean(axis=1)  # [B, 1]
    return np.concatenate([mean, std, pitch, voiced], axis=1).astype(np.float32)


N_VOICE_FEATURES = 2 * dsp.N_MELS + len(PITCH_PERIODS) + 1


def embed(feats: np.ndarray, p: dict) -> np.ndarray:
    """Standardise, project (LDA), unit length: the embedding as exported."""
    z = ((feats - p['mean']) * p['inv_std']) @ p['proj']
    return (z / np.sqrt(np.square(z).sum(axis=1, keepdims=True) + np.float32(1e-6))).astype(np.float32)


def voice_forward(audio: np.ndarray, p: dict) -> np.ndarray:
    c = dsp.sed_constants()
    return embed(voice_features(*dsp.spectra(audio, c)), p)
