"""Context features `sentence-context-v1`: the Python twin of packages/models/src/text.context.ts.

One row per transcript sentence, built from the sentence classifiers' outputs around it and its
place in the episode. Both sides must agree to float32 (context-golden.json checks it).

With p[i] = (ad, intro, outro) of sentence i (0 outside the episode), N sentences, D the episode's
duration in seconds, and clip(x) = min(1, max(0, x)):

    0..2    p[i]
    3..20   p[i + d] for d in -3, -2, -1, 1, 2, 3 (three values each, in that order)
    21..23  per label: max of p over i-2 .. i+2 without i
    24..26  per label: mean of p over i-3 .. i+3, counting only sentences that exist
    27      start / D
    28      clip(start / 300)
    29      clip((D - end) / 300)
    30      clip(i / 3), 31  clip((N - 1 - i) / 3)
    32      clip(words / 40), words = tokens of the featurizer (featurize.tokenize)
"""

from __future__ import annotations

import numpy as np

from featurize import tokenize

CONTEXT_FEATURES_ID = "sentence-context-v1"
CONTEXT_DIMS = 33
OFFSETS = (-3, -2, -1, 1, 2, 3)


def clip01(x: float) -> float:
    return min(1.0, max(0.0, x))


def context_rows(probs: np.ndarray, starts: list[float], ends: list[float], texts: list[str], duration_sec: float) -> np.ndarray:
    """probs float [N, 3] -> float32 [N, CONTEXT_DIMS]."""
    n = len(probs)
    p = np.asarray(probs, dtype=np.float64)
    out = np.zeros((n, CONTEXT_DIMS), dtype=np.float64)
    d = max(duration_sec, ends[-1] if n else 0.0, 1e-6)
    at = lambda j: p[j] if 0 <= j < n else np.zeros(3)
    for i in range(n):
        row = out[i]
        row[0:3] = p[i]
        for k, off in enumerate(OFFSETS):
            row[3 + 3 * k : 6 + 3 * k] = at(i + off)
        near = [at(i + off) for off in (-2, -1, 1, 2)]
        row[21:24] = np.max(near, axis=0)
        around = [p[j] for j in range(i - 3, i + 4) if 0 <= j < n]
        row[24:27] = np.sum(around, axis=0) / len(around)
        row[27] = starts[i] / d
        row[28] = clip01(starts[i] / 300)
        row[29] = clip01((d - ends[i]) / 300)
        row[30] = clip01(i / 3)
        row[31] = clip01((n - 1 - i) / 3)
        row[32] = clip01(len(tokenize(texts[i])) / 40)
    return out.astype(np.float32)
