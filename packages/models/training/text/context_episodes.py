"""Episode-shaped sentence sequences for the context model: where ads, intros and outros sit.

An episode is a list of sentences drawn from labelled pools, each with the sentence classifiers'
probabilities (computed elsewhere, on sentences those classifiers never trained on) and times.
Shapes vary on purpose so position alone never decides: cold opens before the intro, pre-roll and
post-roll ads, zero to three mid-rolls, intros and outros that are missing, short or long, music
before the first word and after the last, and ad reads whose middle is plain product talk.
"""

from __future__ import annotations

import random
from dataclasses import dataclass

AD_LEAD = ("sponsor-mention", "midroll-break", "underwriting")
AD_BODY = ("product-pitch", "feature-list", "testimonial", "insurance-finance", "trial-guarantee", "offer-discount", "disclaimer")
AD_CALL = ("url-cta", "promo-code", "offer-discount", "trial-guarantee")
INTRO_ORDER = ("welcome", "host-identity", "show-identity", "episode-preview", "guest-intro", "kickoff")
OUTRO_ORDER = ("thank-guest", "thats-all", "thanks-listening", "subscribe-review", "contact", "credits", "next-episode", "see-you")


@dataclass(frozen=True)
class Item:
    text: str
    labels: tuple[int, int, int]
    probs: tuple[float, float, float]
    category: str  # "group/category"


@dataclass
class Episode:
    items: list[Item]
    starts: list[float]
    ends: list[float]
    duration_sec: float


class Pools:
    """Items by group ("ad", "intro", "outro", "intro-ad", "content") and by category."""

    def __init__(self, items: list[Item]):
        self.by_group: dict[str, list[Item]] = {}
        self.by_cat: dict[str, list[Item]] = {}
        for it in items:
            group, _, cat = it.category.partition("/")
            self.by_group.setdefault(group, []).append(it)
            self.by_cat.setdefault(cat, []).append(it)

    def pick(self, rng: random.Random, group: str, cats: tuple[str, ...] = ()) -> Item:
        options = [c for c in cats if self.by_cat.get(c)]
        if options:
            return rng.choice(self.by_cat[rng.choice(options)])
        return rng.choice(self.by_group[group])


def ad_block(rng: random.Random, pools: Pools) -> list[Item]:
    out = []
    if rng.random() < 0.75:
        out.append(pools.pick(rng, "ad", AD_LEAD))
    out += [pools.pick(rng, "ad", AD_BODY) for _ in range(rng.randint(0, 5))]
    if rng.random() < 0.8 or not out:
        out.append(pools.pick(rng, "ad", AD_CALL))
    if rng.random() < 0.3:
        out += [pools.pick(rng, "ad", AD_BODY) for _ in range(rng.randint(1, 2))]
    if rng.random() < 0.3:
        out.append(pools.pick(rng, "ad", ("midroll-break",)))
    return out


def ordered_block(rng: random.Random, pools: Pools, group: str, order: tuple[str, ...], n: int) -> list[Item]:
    cats = sorted(rng.sample(range(len(order)), min(n, len(order))))
    return [pools.pick(rng, group, (order[c],)) for c in cats]


def content_block(rng: random.Random, pools: Pools, n: int) -> list[Item]:
    return [pools.pick(rng, "content") for _ in range(n)]


def make_episode(rng: random.Random, pools: Pools) -> Episode:
    items: list[Item] = []
    if rng.random() < 0.3:
        items += ad_block(rng, pools)  # pre-roll
    if rng.random() < 0.25:
        items += content_block(rng, pools, rng.randint(1, 6))  # cold open
    if rng.random() < 0.85:
        intro = ordered_block(rng, pools, "intro", INTRO_ORDER, rng.randint(1, 5))
        if rng.random() < 0.15 and pools.by_group.get("intro-ad"):
            intro.insert(rng.randint(0, len(intro)), rng.choice(pools.by_group["intro-ad"]))
        if rng.random() < 0.2:
            intro += ad_block(rng, pools)  # "but first, a word from…"
        items += intro
    body = rng.randint(8, 120)
    mids = rng.choice((0, 1, 1, 2, 2, 3))
    cuts = sorted(rng.sample(range(2, body - 1), min(mids, body - 3)))
    prev = 0
    for c in [*cuts, body]:
        items += content_block(rng, pools, c - prev)
        if c != body:
            items += ad_block(rng, pools)
        prev = c
    if rng.random() < 0.85:
        items += ordered_block(rng, pools, "outro", OUTRO_ORDER, rng.randint(1, 5))
    if rng.random() < 0.25:
        items += ad_block(rng, pools)  # post-roll
        if rng.random() < 0.3:
            items += ordered_block(rng, pools, "outro", OUTRO_ORDER, 1)

    t = rng.choice((0.0, 0.0, rng.uniform(3, 40)))  # music before the first word
    starts, ends = [], []
    rate = rng.uniform(2.2, 3.3)  # words per second
    for it in items:
        words = max(1, len(it.text.split()))
        starts.append(t)
        t += words / rate + rng.uniform(0.1, 0.6)
        ends.append(t)
        t += rng.uniform(0.15, 0.9)
    duration = t + rng.choice((0.0, rng.uniform(2, 30)))
    return Episode(items, starts, ends, duration)
