"""Featurizer `fnv1a-ngram-v1`: the Python twin of packages/models/src/text.features.ts.

Both sides must give bit-identical indices and float32-identical values (golden.json checks it):

1. lowercase (Unicode default mapping: Python str.lower == JS String#toLowerCase for every
   character that can survive step 3);
2. delete apostrophes ' ’ ‘ ` so "that's" -> "thats", "don’t" -> "dont";
3. tokens = every match of [a-z]+|[0-9]+, and every digit run becomes the token "0"
   ("20% off" -> "0 off", "mp3" -> "mp 0"); anything else is a separator;
4. grams = unigrams t_i, plus bigrams "a b" over ["^", t_1 .. t_n, "$"] (sentence start/end
   markers, which no token can equal); text without tokens has no grams;
5. h = FNV-1a 32-bit over the gram's UTF-8 bytes (all grams are ASCII); bucket = h mod D
   (D a power of two), sign = -1 when bit 31 of h is set, else +1; acc[bucket] += sign;
6. value = sign(acc) * log1p(|acc|), zeros dropped; then L2-normalised; float32 at the end.
"""

from __future__ import annotations

import math
import re

import numpy as np

FEATURIZER_ID = "fnv1a-ngram-v1"
FNV_OFFSET = 0x811C9DC5
FNV_PRIME = 0x01000193
_APOSTROPHES = re.compile("['\u2019\u2018`]")
_TOKEN = re.compile(r"[a-z]+|[0-9]+")


def tokenize(text: str) -> list[str]:
    s = _APOSTROPHES.sub("", text.lower())
    return ["0" if m[0].isdigit() else m for m in _TOKEN.findall(s)]


def grams(tokens: list[str]) -> list[str]:
    if not tokens:
        return []
    seq = ["^", *tokens, "$"]
    return tokens + [f"{a} {b}" for a, b in zip(seq, seq[1:])]


def fnv1a32(s: str) -> int:
    h = FNV_OFFSET
    for b in s.encode("utf-8"):
        h = ((h ^ b) * FNV_PRIME) & 0xFFFFFFFF
    return h


_cache: dict[str, int] = {}


def _hash(g: str) -> int:
    h = _cache.get(g)
    if h is None:
        h = _cache[g] = fnv1a32(g)
    return h


def featurize_sparse(text: str, dims: int) -> tuple[list[int], list[float]]:
    """Sorted bucket indices and their float32 values (as Python floats)."""
    assert dims & (dims - 1) == 0, "dims must be a power of two"
    acc: dict[int, int] = {}
    for g in grams(tokenize(text)):
        h = _hash(g)
        i = h & (dims - 1)
        acc[i] = acc.get(i, 0) + (-1 if h & 0x80000000 else 1)
    idx = sorted(i for i, c in acc.items() if c != 0)
    vals = [math.copysign(math.log1p(abs(acc[i])), acc[i]) for i in idx]
    sq = 0.0
    for v in vals:  # left to right, like the TS loop (sum() is compensated on Python >= 3.12)
        sq += v * v
    norm = math.sqrt(sq)
    out = np.asarray([v / norm for v in vals] if norm > 0 else vals, dtype=np.float32)
    return idx, [float(v) for v in out]


def featurize_matrix(texts: list[str], dims: int):
    """scipy CSR float32 [len(texts), dims]."""
    from scipy.sparse import csr_matrix

    indptr, indices, data = [0], [], []
    for t in texts:
        i, v = featurize_sparse(t, dims)
        indices.extend(i)
        data.extend(v)
        indptr.append(len(indices))
    return csr_matrix((np.asarray(data, np.float32), np.asarray(indices, np.int32), np.asarray(indptr, np.int64)), shape=(len(texts), dims))
