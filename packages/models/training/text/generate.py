"""Builds the labelled sentence set from the template families, split by family.

Labels per sentence: ad, intro, outro (0/1 each). Every (group, category) keeps about a quarter
of its families for held-out, so held-out figures measure phrasings the model never saw; held-out
families are also filled from the held-out part of the name pools (brands, shows, hosts, ...).
"""

from __future__ import annotations

import random
import zlib
from dataclasses import dataclass

from families_ads import ADS
from families_content import CONTENT
from families_framing import INTRO_ADS, INTROS, OUTROS
from grammar import expand
from pools import POOLS, SPLIT_POOLS

LABELS = ("ad", "intro", "outro")
GROUPS: dict[str, tuple[dict[str, list[str]], tuple[int, int, int]]] = {
    "ad": (ADS, (1, 0, 0)),
    "intro": (INTROS, (0, 1, 0)),
    "outro": (OUTROS, (0, 0, 1)),
    "intro-ad": (INTRO_ADS, (1, 1, 0)),
    "content": (CONTENT, (0, 0, 0)),
}
HELD_OUT_SHARE = 0.25
POOL_HELD_OUT_SHARE = 0.3
# Spoken-transcript noise, applied to every group alike so it carries no label signal.
# Share of sentences (every group alike) padded with a clause of plain content. Features are
# L2-normalised, so a cue such as "brought to you by" weighs less in a long sentence; padding
# teaches the models to keep trusting the cue when the rest of the sentence is unfamiliar.
PAD_SHARE = 0.35
PAD_CATEGORIES = {"news", "science", "tech", "sports", "culture", "history", "business", "health", "environment", "story", "explanation", "interview-answer"}
FILLERS = ["so", "and", "um", "uh", "okay", "now", "you know", "well", "alright", "and so", "but", "yeah", "oh and", "right"]


@dataclass(frozen=True)
class Family:
    id: str
    group: str
    category: str
    template: str
    labels: tuple[int, int, int]


@dataclass(frozen=True)
class Example:
    text: str
    labels: tuple[int, int, int]
    family: str
    category: str


def stable_rng(*parts: object) -> random.Random:
    return random.Random(zlib.crc32("/".join(map(str, parts)).encode()))


def families() -> list[Family]:
    out = []
    for group, (cats, labels) in GROUPS.items():
        for cat, templates in cats.items():
            for i, t in enumerate(templates):
                out.append(Family(f"{group}/{cat}/{i}", group, cat, t, labels))
    return out


def split_families(fams: list[Family], seed: int) -> dict[str, str]:
    """family id -> 'train' | 'heldout', stratified by (group, category)."""
    by_cat: dict[tuple[str, str], list[Family]] = {}
    for f in fams:
        by_cat.setdefault((f.group, f.category), []).append(f)
    split = {}
    for key, fs in sorted(by_cat.items()):
        order = list(fs)
        stable_rng(seed, *key).shuffle(order)
        n_held = max(1, round(len(order) * HELD_OUT_SHARE)) if len(order) >= 2 else 0
        for i, f in enumerate(order):
            split[f.id] = "heldout" if i < n_held else "train"
    return split


def split_pools(seed: int) -> dict[str, dict[str, list[str]]]:
    out: dict[str, dict[str, list[str]]] = {}
    for name, values in POOLS.items():
        if name not in SPLIT_POOLS:
            out[name] = {"train": values, "heldout": values}
            continue
        order = list(values)
        stable_rng(seed, "pool", name).shuffle(order)
        n_held = max(1, round(len(order) * POOL_HELD_OUT_SHARE))
        out[name] = {"heldout": order[:n_held], "train": order[n_held:]}
    return out


def noisy(text: str, rng: random.Random) -> str:
    if rng.random() < 0.2:
        text = f"{rng.choice(FILLERS)}, {text}"
    if rng.random() < 0.5:
        text = text[0].upper() + text[1:]
    return text + rng.choice([".", ".", ".", "!", "", "..."]) if text[-1:] not in "?.!" else text


def generate(seed: int = 7, per_family: int = 120) -> dict[str, list[Example]]:
    """{'train': [...], 'heldout': [...]}; deterministic for a seed."""
    fams = families()
    split = split_families(fams, seed)
    pools = split_pools(seed)
    data: dict[str, list[Example]] = {"train": [], "heldout": []}
    seen: dict[str, set[str]] = {"train": set(), "heldout": set()}
    by_group_split: dict[tuple[str, str], list[Family]] = {}
    for f in fams:
        by_group_split.setdefault((f.group, split[f.id]), []).append(f)
    padding = {part: [f for f in fams if f.group == "content" and f.category in PAD_CATEGORIES and split[f.id] == part] for part in ("train", "heldout")}

    for f in fams:
        part = split[f.id]
        rng = stable_rng(seed, f.id)
        pick = lambda slot, rng=rng, part=part: rng.choice(pools[slot][part])
        n = per_family if part == "train" else per_family // 2
        got, attempts = 0, 0
        while got < n and attempts < n * 6:
            attempts += 1
            text = expand(f.template, rng, pick)
            if rng.random() < 0.12:
                # Sentence splitters leave run-ons: join a sibling from the same group and split.
                other = rng.choice(by_group_split[(f.group, part)])
                text = f"{text}{rng.choice([', and ', ', so ', ', ', ' and '])}{expand(other.template, rng, pick)}"
            if rng.random() < PAD_SHARE:
                words = expand(rng.choice(padding[part]).template, rng, pick).split()
                pad = " ".join(words[: rng.randint(4, 14)]).rstrip(",.;:")
                text = rng.choice([f"{text}, {pad}", f"{text}, {pad}", f"{text} {pad}", f"{pad}, {text}"])
            text = noisy(text, rng)
            key = text.lower()
            if key in seen[part]:
                continue
            seen[part].add(key)
            data[part].append(Example(text, f.labels, f.id, f"{f.group}/{f.category}"))
            got += 1
    # A held-out sentence that also occurs in train says nothing about unseen phrasings.
    data["heldout"] = [e for e in data["heldout"] if e.text.lower() not in seen["train"]]
    return data


if __name__ == "__main__":
    import sys

    d = generate()
    rng = random.Random(0)
    for part in ("train", "heldout"):
        print(f"{part}: {len(d[part])} sentences", file=sys.stderr)
    for e in rng.sample(d["train"], 40):
        print(e.labels, e.category, "|", e.text)
