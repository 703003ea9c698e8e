"""A tiny template grammar for the generated training text.

    (a|b|c)   one of the alternatives, uniformly
    [a]       a, or nothing (even odds)
    {slot}    a value drawn from the slot's pool; pool values are templates themselves

Nesting is allowed: "(this|today's) episode is [proudly ](brought to you|sponsored) by {brand}".
One template line is one *family*: every sentence it can produce is a paraphrase of the others,
so train/held-out splits are made by family, never by row.
"""

from __future__ import annotations

import random
import re
from typing import Callable, Union

Node = Union[str, "Choice", "Optional_", "Slot", list]


class Choice:
    def __init__(self, options: list[list[Node]]):
        self.options = options


class Optional_:
    def __init__(self, body: list[Node]):
        self.body = body


class Slot:
    def __init__(self, name: str):
        self.name = name


def parse(template: str) -> list[Node]:
    pos = 0

    def seq(stop: str) -> list[Node]:
        nonlocal pos
        out: list[Node] = []
        buf = ""
        while pos < len(template) and template[pos] not in stop:
            c = template[pos]
            if c in "([{":
                if buf:
                    out.append(buf)
                    buf = ""
                pos += 1
                if c == "(":
                    options = [seq("|)")]
                    while template[pos] == "|":
                        pos += 1
                        options.append(seq("|)"))
                    out.append(Choice(options))
                elif c == "[":
                    out.append(Optional_(seq("]")))
                else:
                    end = template.index("}", pos)
                    out.append(Slot(template[pos:end]))
                    pos = end
                if pos >= len(template):
                    raise ValueError(f"unbalanced template: {template!r}")
                pos += 1
            else:
                buf += c
                pos += 1
        if buf:
            out.append(buf)
        return out

    nodes = seq("")
    if pos != len(template):
        raise ValueError(f"unbalanced template: {template!r}")
    return nodes


_parsed: dict[str, list[Node]] = {}


def expand(template: str, rng: random.Random, pick: Callable[[str], str]) -> str:
    """Expands `template`; `pick(slot)` returns a pool value, itself expanded recursively."""
    nodes = _parsed.get(template)
    if nodes is None:
        nodes = _parsed[template] = parse(template)
    return tidy(_render(nodes, rng, pick))


def _render(nodes: list[Node], rng: random.Random, pick: Callable[[str], str]) -> str:
    out = []
    for n in nodes:
        if isinstance(n, str):
            out.append(n)
        elif isinstance(n, Choice):
            out.append(_render(rng.choice(n.options), rng, pick))
        elif isinstance(n, Optional_):
            if rng.random() < 0.5:
                out.append(_render(n.body, rng, pick))
        else:
            out.append(expand(pick(n.name), rng, pick))
    return "".join(out)


def tidy(s: str) -> str:
    s = re.sub(r"\s+", " ", s).strip()
    s = re.sub(r"\s+([,.;:?!])", r"\1", s)
    s = re.sub(r",\s*,", ",", s)
    s = re.sub(r"\b([Aa]) ([aeiou])", r"\1n \2", s)
    s = re.sub(r"\b([Aa])n ([b-df-gj-np-tv-z])", r"\1 \2", s)
    return s
