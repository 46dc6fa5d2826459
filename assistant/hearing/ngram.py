"""A small trigram language model, in ARPA text, trained on sentences of the command grammar.

pocketsphinx turns a JSGF grammar of our size (numbers, units and sides under many
phrasings) into a search graph too large to decode in real time; an n-gram model trained
on sentences sampled from the same grammar keeps its structure at a fraction of the cost
(the parser still has the last word). Absolute discounting with back-off keeps it simple.
"""

from __future__ import annotations

import math
from collections import Counter, defaultdict
from collections.abc import Iterable

Gram = tuple[str, ...]
BOS, EOS = "<s>", "</s>"


def count_grams(sentences: Iterable[str], order: int) -> list[Counter[Gram]]:
    """counts[n][gram] for n = 1..order, with sentence boundary markers."""
    counts: list[Counter[Gram]] = [Counter() for _ in range(order + 1)]
    for sentence in sentences:
        tokens = [BOS, *sentence.split(), EOS]
        for n in range(1, order + 1):
            for i in range(len(tokens) - n + 1):
                counts[n][tuple(tokens[i : i + n])] += 1
    del counts[1][(BOS,)]
    return counts


def build_arpa(sentences: Iterable[str], order: int = 3, discount: float = 0.5) -> str:
    """ARPA text of a back-off model; every word seen gets some probability everywhere."""
    counts = count_grams(sentences, order)
    vocab = sorted({g[0] for g in counts[1]})
    total = sum(counts[1].values())
    probs: list[dict[Gram, float]] = [{} for _ in range(order + 1)]
    probs[1] = {(w,): (counts[1][(w,)] + 1) / (total + len(vocab)) for w in vocab}
    backoff: dict[Gram, float] = {}
    for n in range(2, order + 1):
        by_context: dict[Gram, list[Gram]] = defaultdict(list)
        for gram in counts[n]:
            by_context[gram[:-1]].append(gram)
        for context, grams in by_context.items():
            seen = sum(counts[n][g] for g in grams)
            for gram in grams:
                probs[n][gram] = (counts[n][gram] - discount) / seen
            freed = discount * len(grams) / seen
            lower = sum(_prob(g[1:], probs, backoff) for g in grams)
            backoff[context] = freed / max(1e-9, 1.0 - lower)
    return _format(probs, backoff, order)


def _prob(gram: Gram, probs: list[dict[Gram, float]], backoff: dict[Gram, float]) -> float:
    if gram in probs[len(gram)]:
        return probs[len(gram)][gram]
    if len(gram) == 1:
        return 1e-9
    return backoff.get(gram[:-1], 1.0) * _prob(gram[1:], probs, backoff)


def _format(probs: list[dict[Gram, float]], backoff: dict[Gram, float], order: int) -> str:
    lines = ["\\data\\"]
    lines += [f"ngram {n}={len(probs[n]) + (1 if n == 1 else 0)}" for n in range(1, order + 1)]
    for n in range(1, order + 1):
        lines += ["", f"\\{n}-grams:"]
        if n == 1:  # the sentence start is a context, never predicted
            lines.append(f"-99.0000\t{BOS}\t{math.log10(backoff.get((BOS,), 1.0)):.4f}")
        for gram in sorted(probs[n]):
            line = f"{math.log10(probs[n][gram]):.4f}\t{' '.join(gram)}"
            if n < order and gram in backoff:
                line += f"\t{math.log10(backoff[gram]):.4f}"
            lines.append(line)
    lines += ["", "\\end\\", ""]
    return "\n".join(lines)
