"""The benchmark's one table: each figure for ours and the naive build, their ratio, the target."""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from typing import Any


@dataclass
class Figures:
    """One system's figures."""

    accuracy: dict[float | None, float]
    """Share of utterances heard right (intent and amounts), per SNR (None: clean)."""
    utterances: int
    pump_fa_per_hour: float
    chatter_fa_per_hour: float
    latency_p50: float
    latency_p95: float
    rtf: float
    load_s: float
    peak_mb: float = float("nan")
    own_cue_commands: int | None = None
    cue_minutes: float = float("nan")
    notes: list[str] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        d = asdict(self)
        d["accuracy"] = {
            ("clean" if k is None else f"{k:g}dB"): v for k, v in self.accuracy.items()
        }
        return d


@dataclass(frozen=True)
class Row:
    label: str
    value: Callable[[Figures], float | None]
    unit: str
    target: float | None
    higher_is_better: bool


def _accuracy(snr: float | None) -> Callable[[Figures], float | None]:
    return lambda f: 100 * f.accuracy[snr]


ROWS = (
    Row("accuracy, clean", _accuracy(None), "%", 98, True),
    Row("accuracy, 15 dB", _accuracy(15.0), "%", None, True),
    Row("accuracy, 10 dB", _accuracy(10.0), "%", 95, True),
    Row("accuracy, 5 dB", _accuracy(5.0), "%", 90, True),
    Row("accuracy, 0 dB", _accuracy(0.0), "%", 75, True),
    Row("false activations, pump alone", lambda f: f.pump_fa_per_hour, "/h", 1, False),
    Row("false activations, chatter", lambda f: f.chatter_fa_per_hour, "/h", 3, False),
    Row("commands from own cues (gate on)", lambda f: f.own_cue_commands, "", 0, False),
    Row("latency end→decision p50", lambda f: f.latency_p50, "s", None, False),
    Row("latency end→decision p95", lambda f: f.latency_p95, "s", 0.6, False),
    Row("real-time factor (1 core)", lambda f: f.rtf, "", 0.15, False),
    Row("model load", lambda f: f.load_s, "s", 2, False),
    Row("peak memory", lambda f: f.peak_mb, "MB", 300, False),
)


def render_table(figures: dict[str, Figures], seed: int, synth: str) -> str:
    """Plain text, so it can be pasted into an issue note as it is."""
    ours, naive = figures["ours"], figures.get("naive")
    header = ["figure", "ours", "naive", "ours/naive", "target", "met"]
    lines = [header]
    for row in ROWS:
        mine = row.value(ours)
        theirs = row.value(naive) if naive else None
        lines.append(
            [
                row.label,
                _number(mine, row.unit),
                _number(theirs, row.unit),
                _ratio(mine, theirs),
                ""
                if row.target is None
                else ("≥ " if row.higher_is_better else "≤ ") + _number(row.target, row.unit),
                _met(mine, row),
            ]
        )
    widths = [max(len(str(line[i])) for line in lines) for i in range(len(header))]
    text = [
        "  ".join(
            str(cell).ljust(w) if i == 0 else str(cell).rjust(w)
            for i, (cell, w) in enumerate(zip(line, widths, strict=True))
        )
        for line in lines
    ]
    text.insert(1, "  ".join("-" * w for w in widths))
    footer = (
        f"seed {seed}, {synth} voices: {ours.utterances // 5} utterances per SNR, "
        f"own cues: {ours.cue_minutes:.1f} min of the coach speaking over a quiet pump"
    )
    return "\n".join([*text, footer])


def _number(value: float | None, unit: str) -> str:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "—"
    if unit == "%":
        return f"{value:.1f}%"
    if unit == "MB":
        return f"{value:.0f} MB"
    if unit == "s":
        return f"{value:.2f} s"
    if unit == "/h":
        return f"{value:.1f}/h"
    if isinstance(value, int):
        return str(value)
    return f"{value:.3f}"


def _ratio(mine: float | None, theirs: float | None) -> str:
    if mine is None or theirs is None or math.isnan(mine) or math.isnan(theirs):
        return "—"
    if theirs == 0:
        return "—" if mine == 0 else "∞"
    return f"{mine / theirs:.2f}x"


def _met(value: float | None, row: Row) -> str:
    if row.target is None or value is None or math.isnan(value):
        return ""
    ok = value >= row.target if row.higher_is_better else value <= row.target
    return "yes" if ok else "NO"
