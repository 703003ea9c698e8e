"""The `words` input of the text classifiers: pretrained word vectors (word_vectors.mjs) for the
sentence's known words. The Python twin of packages/models/src/text.words.ts:

1. tokens as the n-gram featurizer makes them (featurize.tokenize);
2. id = 1 + the token's line in weights/word-vocab.txt; tokens not in it are skipped;
3. the first MAX_WORDS ids, zero-padded: int64 [batch, MAX_WORDS].

The graph looks the ids up in its table (row 0 is zeros), sums the rows and scales the sum to
unit length: the direction of the sentence's mean word vector, whatever its length.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np

from featurize import tokenize

MAX_WORDS = 64
DIMS = 100
NORM_EPS = 1e-6


def load_vocab(path: Path) -> dict[str, int]:
    words = path.read_text().split("\n")
    return {w: i + 1 for i, w in enumerate(w for w in words if w)}


def word_ids(text: str, vocab: dict[str, int]) -> list[int]:
    return [vocab[t] for t in tokenize(text) if t in vocab][:MAX_WORDS]


def word_matrix(texts: list[str], vocab: dict[str, int]) -> np.ndarray:
    out = np.zeros((len(texts), MAX_WORDS), np.int64)
    for r, t in enumerate(texts):
        ids = word_ids(t, vocab)
        out[r, : len(ids)] = ids
    return out


def load_table(vectors: Path, n_words: int) -> np.ndarray:
    """[n_words + 1, DIMS]: row 0 zeros, then every word's vector at unit length, rounded to
    float16 as the graph stores it (so training sees what inference computes)."""
    v = np.fromfile(vectors, "<f4").reshape(-1, DIMS)[:n_words].astype(np.float64)
    v /= np.maximum(np.linalg.norm(v, axis=1, keepdims=True), NORM_EPS)
    return np.vstack([np.zeros((1, DIMS)), v]).astype(np.float16).astype(np.float32)


def embed(ids: np.ndarray, table: np.ndarray) -> np.ndarray:
    """What the graph computes: the sum of the words' rows, at unit length (zeros stay zeros)."""
    s = table[ids].astype(np.float64).sum(axis=1)
    return (s / np.maximum(np.linalg.norm(s, axis=1, keepdims=True), NORM_EPS)).astype(np.float32)
