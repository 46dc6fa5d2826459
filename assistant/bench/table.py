"""The benchmark's tables: the report set as the headline, the tuning set beside it, the naive
build on the report set, the target; then accuracy per voice family."""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass, field
from typing import Any


@dataclass
class Figures:
    """One system's figures on one voice set."""

    accuracy: dict[float | None, float]
    """Share of utterances heard right (intent and amounts), per SNR (None: clean)."""
    families: dict[str, dict[float | None, float]]
    """The same, per voice family (speech engine)."""
    utterances: int
    pump_fa_per_hour: float
    changing_pump_fa_per_hour: float
    chatter_fa_per_hour: float
    """Chatter over the pump."""
    quiet_chatter_fa_per_hour: float
    wrong_amounts: int
    """Logs decided with amounts she did not say."""
    asked: int
    """Logs asked back ("60, or 16?") instead of logged."""
    logs_said: int
    latency_p50: float
    latency_p95: float
    rtf: float
    load_s: float
    peak_mb: float = float("nan")
    own_cue_commands: dict[float, int] | None = None
    """Commands heard in a whole routine with only the coach's echo and a quiet pump, by the
    echo's gain (dB)."""
    cue_minutes: float = float("nan")
    over_cue_accuracy: float = float("nan")
    """Share of her 10 dB commands heard right with the coach talking under them."""
    over_cue_wrong_amounts: int | None = None
    warm_over_cue_accuracy: float = float("nan")
    """The same, after the canceller has heard the coach for as long again (mid-session)."""
    notes: list[str] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        d = asdict(self)
        d["accuracy"] = _by_snr_name(self.accuracy)
        d["families"] = {k: _by_snr_name(v) for k, v in self.families.items()}
        return d


def snr_name(snr: float | None) -> str:
    return "clean" if snr is None else f"{snr:g}dB"


def _by_snr_name(values: dict[float | None, float]) -> dict[str, float]:
    return {snr_name(k): v for k, v in values.items()}


@dataclass(frozen=True)
class Row:
    label: str
    value: Callable[[Figures], float | None]
    unit: str
    target: float | None
    higher_is_better: bool


def _warm_over_cue(f: Figures) -> float:
    return 100 * f.warm_over_cue_accuracy


def _accuracy(snr: float | None) -> Callable[[Figures], float | None]:
    return lambda f: 100 * f.accuracy[snr]


def _own(f: Figures, gain_db: float) -> float | None:
    return None if f.own_cue_commands is None else f.own_cue_commands.get(gain_db)


ROWS = (
    Row("accuracy, clean", _accuracy(None), "%", 98, True),
    Row("accuracy, 15 dB", _accuracy(15.0), "%", None, True),
    Row("accuracy, 10 dB", _accuracy(10.0), "%", 95, True),
    Row("accuracy, 5 dB", _accuracy(5.0), "%", 90, True),
    Row("accuracy, 0 dB", _accuracy(0.0), "%", 75, True),
    Row("wrong amounts logged", lambda f: f.wrong_amounts, "", 0, False),
    Row("logs asked back", lambda f: f.asked, "", None, False),
    Row("false activations, pump alone", lambda f: f.pump_fa_per_hour, "/h", 1, False),
    Row("false activations, pump changing", lambda f: f.changing_pump_fa_per_hour, "/h", 1, False),
    Row("false activations, chatter+pump", lambda f: f.chatter_fa_per_hour, "/h", 3, False),
    Row("false activations, chatter quiet", lambda f: f.quiet_chatter_fa_per_hour, "/h", 3, False),
    Row("accuracy, 10 dB over a cue", lambda f: 100 * f.over_cue_accuracy, "%", 90, True),
    Row("accuracy, 10 dB over a cue, warm", _warm_over_cue, "%", 90, True),
    Row("wrong amounts, over a cue", lambda f: f.over_cue_wrong_amounts, "", 0, False),
    Row("commands from own cues, echo 0 dB", lambda f: _own(f, 0.0), "", 0, False),
    Row("commands from own cues, echo +6 dB", lambda f: _own(f, 6.0), "", 0, False),
    Row("latency end→decision p50", lambda f: f.latency_p50, "s", None, False),
    Row("latency end→decision p95", lambda f: f.latency_p95, "s", 0.6, False),
    Row("real-time factor (1 core)", lambda f: f.rtf, "", 0.15, False),
    Row("model load", lambda f: f.load_s, "s", 2, False),
    Row("peak memory", lambda f: f.peak_mb, "MB", 300, False),
)


def render_table(
    report: Figures | None, tuning: Figures | None, naive: Figures | None, caption: str
) -> str:
    """Plain text, so it can be pasted into an issue note as it is. No report figures: the
    tuning set was heard alone (choosing a threshold)."""
    header = ["figure", "report", "tuning", "naive", "report/naive", "target", "met"]
    lines = [header]
    for row in ROWS:
        mine = row.value(report) if report else None
        theirs = row.value(naive) if naive else None
        target = row.target
        lines.append(
            [
                row.label,
                _number(mine, row.unit),
                _number(row.value(tuning) if tuning else None, row.unit),
                _number(theirs, row.unit),
                _ratio(mine, theirs),
                ""
                if target is None
                else ("≥ " if row.higher_is_better else "≤ ") + _number(target, row.unit),
                _met(mine, row),
            ]
        )
    return "\n".join([*_aligned(lines), caption])


def render_families(sets: dict[str, Figures]) -> str:
    """Accuracy per voice family and SNR, each family under its set."""
    snrs = next(iter(sets.values())).accuracy.keys()
    lines = [["family", "set", *(snr_name(s) for s in snrs)]]
    for set_name, figures in sets.items():
        for family, accuracy in figures.families.items():
            lines.append([family, set_name, *(_number(100 * accuracy[s], "%") for s in snrs)])
    return "\n".join(_aligned(lines))


def _aligned(lines: Sequence[Sequence[object]]) -> list[str]:
    widths = [max(len(str(line[i])) for line in lines) for i in range(len(lines[0]))]
    text = [
        "  ".join(
            str(cell).ljust(w) if i == 0 else str(cell).rjust(w)
            for i, (cell, w) in enumerate(zip(line, widths, strict=True))
        )
        for line in lines
    ]
    text.insert(1, "  ".join("-" * w for w in widths))
    return text


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
