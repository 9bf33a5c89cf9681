"""Counts to figures: precision, recall and F1 from true/false positives and false negatives.

Shared by every scorer in kg.evaluate (extraction here; coreference and WikiEvents metrics alike).
"""

from __future__ import annotations

from collections import Counter


def ratio(a: int, b: int) -> float:
    """Return a / b rounded to four places, 0.0 when b is 0."""
    return round(a / b, 4) if b else 0.0


def prf(counts: Counter) -> dict:
    """Turn a Counter with tp/fp/fn into {"p","r","f1","tp","fp","fn"} plus any other counts it holds."""
    tp, fp, fn = counts["tp"], counts["fp"], counts["fn"]
    p, r = ratio(tp, tp + fp), ratio(tp, tp + fn)
    entry = {"p": p, "r": r, "f1": round(2 * p * r / (p + r), 4) if p + r else 0.0, "tp": tp, "fp": fp, "fn": fn}
    entry.update({k: v for k, v in counts.items() if k not in entry})
    return entry
