"""How well the endpointer segments commands over each pump, to choose its thresholds.

Commands said by the synthetic voices are placed 1.5-3 s apart (from 3 s on) over each pump
profile at each SNR, and the endpointer's segments are compared with where the speech was put
(each command's span is its audio trimmed to the frames within 40 dB of its loudest). Also
60 s of each pump alone, for spurious segments.

Columns: found = commands matched by exactly one kept segment with both boundaries within
0.25 s; err = median boundary error (starts and ends) of the matched ones; spur/min = kept
segments per minute of pump alone; RTF = endpointer time / audio time on one core.

    .venv/bin/python scripts/tune_endpointer.py                   # the defaults, full table
    .venv/bin/python scripts/tune_endpointer.py --grid            # onset/offset/hangover grid
    .venv/bin/python scripts/tune_endpointer.py --onset 7 --offset 4 --hangover 0.3
"""

from __future__ import annotations

import argparse
import itertools
import statistics
import time
from dataclasses import dataclass

import numpy as np

from assistant.audio.mix import mix
from assistant.audio.pcm import SAMPLE_RATE, Audio, Samples, to_int16
from assistant.audio.pump_noise import PROFILES, PumpProfile, pump_noise
from assistant.audio.source import frames_of
from assistant.bench.segments import VOICES, Segment, Span, said
from assistant.bench.segments import segments as endpointer_segments
from assistant.settings import RecognitionSettings

COMMANDS = (
    "next",
    "pause",
    "log sixty five millilitres",
    "resume",
    "how long is left",
    "say that again",
    "stop",
    "total ninety",
    "where am i",
    "skip this step",
)
SNRS: tuple[float | None, ...] = (None, 15.0, 10.0, 5.0, 0.0)
TOLERANCE_S = 0.25


def variants(count: int, seed: int = 2024) -> dict[str, PumpProfile]:
    """Random pumps unlike the named PROFILES, to check that nothing was tuned to those four."""
    rng = np.random.default_rng(seed)
    made = {}
    for i in range(count):
        low = float(rng.uniform(150, 700))
        made[f"variant-{i}"] = PumpProfile(
            name=f"variant-{i}",
            hum_hz=float(rng.uniform(80, 260)),
            harmonics=int(rng.integers(6, 17)),
            rolloff=float(rng.uniform(0.55, 0.8)),
            cycle_hz=float(rng.uniform(0.6, 2.2)),
            duty=float(rng.uniform(0.35, 0.7)),
            whoosh_band_hz=(low, float(rng.uniform(max(1500, 2 * low), 5000))),
            whoosh_level=float(rng.uniform(0.3, 1.5)),
            click_level=float(rng.uniform(0.3, 2.0)),
            sag=float(rng.uniform(0.01, 0.08)),
            whine_hz=float(rng.uniform(800, 2500)) if rng.uniform() < 0.3 else 0.0,
        )
    return made


def commands(
    profile: PumpProfile | None, snr_db: float | None, seed: int, count: int = 10
) -> tuple[Samples, list[Span]]:
    """`count` commands over `profile` at `snr_db` (None: no pump), and where each one is."""
    rng = np.random.default_rng(seed)
    clips = [
        said(COMMANDS[(i + seed) % len(COMMANDS)], (3 * i + seed) % len(VOICES))
        for i in range(count)
    ]
    spans: list[Span] = []
    t = 3.0
    for clip in clips:
        spans.append((t, t + len(clip) / SAMPLE_RATE))
        t = spans[-1][1] + float(rng.uniform(1.5, 3.0))
    speech = np.zeros(round((t + 1.0) * SAMPLE_RATE))
    for clip, (start, _) in zip(clips, spans, strict=True):
        at = round(start * SAMPLE_RATE)
        speech[at : at + len(clip)] = clip
    if profile is None or snr_db is None:
        return mix(speech, speech, None), spans
    noise = pump_noise(len(speech) / SAMPLE_RATE, profile, seed)
    return mix(speech, noise, snr_db), spans


def segments(samples: Samples, settings: RecognitionSettings) -> tuple[list[Segment], float]:
    """The endpointer's segments of `samples`, and its real-time factor."""
    frames = list(frames_of(Audio(samples, SAMPLE_RATE)))
    began = time.perf_counter()
    found = endpointer_segments(frames, settings)
    return found, (time.perf_counter() - began) / (len(samples) / SAMPLE_RATE)


def match(found: list[Segment], spans: list[Span]) -> tuple[int, list[float], int]:
    """Commands found, boundary errors of the matched, kept segments matching no command."""
    hits, used = 0, set()
    errors: list[float] = []
    for start, end in spans:
        near = [i for i, s in enumerate(found) if not s.dropped and s.start < end and s.end > start]
        used.update(near)
        if len(near) == 1:
            seg = found[near[0]]
            pair = [abs(seg.start - start), abs(seg.end - end)]
            errors += pair
            hits += max(pair) <= TOLERANCE_S
    extra = sum(1 for i, s in enumerate(found) if not s.dropped and i not in used)
    return hits, errors, extra


@dataclass
class Row:
    found: float
    error: float
    extra: int
    spurious_per_min: float
    rtf: float


def evaluate(
    settings: RecognitionSettings,
    pumps: dict[str, PumpProfile],
    snrs: tuple[float | None, ...] = SNRS,
    seeds: int = 2,
    pump_s: float = 60.0,
) -> dict[str, dict[str, Row]]:
    """Per pump, per SNR label: how the endpointer did."""
    table: dict[str, dict[str, Row]] = {}
    for name, profile in pumps.items():
        alone = to_int16(pump_noise(pump_s, profile, seed=11) * 8000)
        pump_segments, pump_rtf = segments(alone, settings)
        spurious = sum(1 for s in pump_segments if not s.dropped) / (pump_s / 60)
        table[name] = {}
        for snr in snrs:
            hits, extra, total, rtfs = 0, 0, 0, [pump_rtf]
            errors: list[float] = []
            for seed in range(seeds):
                samples, spans = commands(profile if snr is not None else None, snr, seed)
                found, rtf = segments(samples, settings)
                h, e, x = match(found, spans)
                hits, errors, extra, total = hits + h, errors + e, extra + x, total + len(spans)
                rtfs.append(rtf)
            label = "clean" if snr is None else f"{snr:g} dB"
            error = statistics.median(errors) if errors else float("nan")
            table[name][label] = Row(hits / total, error, extra, spurious, max(rtfs))
    return table


def show(table: dict[str, dict[str, Row]]) -> None:
    head = ("profile", "SNR", "found", "err s", "extra", "spur/min", "RTF")
    print("{:16} {:>6} {:>6} {:>6} {:>5} {:>8} {:>7}".format(*head))
    for name, rows in table.items():
        for label, row in rows.items():
            print(
                f"{name:16} {label:>6} {row.found:6.0%} {row.error:6.3f} {row.extra:5d}"
                f" {row.spurious_per_min:8.1f} {row.rtf:7.4f}"
            )


def summary(table: dict[str, dict[str, Row]]) -> str:
    """One line: found % per SNR over all profiles, extras, spurious per minute."""
    labels = list(next(iter(table.values())))
    parts = []
    for label in labels:
        rows = [rows[label] for rows in table.values()]
        parts.append(f"{label} {np.mean([r.found for r in rows]):4.0%}")
    extra = sum(r.extra for rows in table.values() for r in rows.values())
    spurious = np.mean([next(iter(rows.values())).spurious_per_min for rows in table.values()])
    return "  ".join(parts) + f"  extra {extra:3d}  spur/min {spurious:4.2f}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--onset", type=float)
    parser.add_argument("--offset", type=float)
    parser.add_argument("--hangover", type=float)
    parser.add_argument("--grid", action="store_true", help="try a grid of thresholds")
    parser.add_argument("--variants", type=int, default=0, help="random pumps instead of PROFILES")
    parser.add_argument("--seeds", type=int, default=2)
    args = parser.parse_args()
    pumps = variants(args.variants) if args.variants else dict(PROFILES)
    base = RecognitionSettings()
    changes = {
        key: value
        for key, value in (
            ("onset_db", args.onset),
            ("offset_db", args.offset),
            ("hangover_s", args.hangover),
        )
        if value is not None
    }
    base = base.model_copy(update=changes)
    if not args.grid:
        print(f"onset_db={base.onset_db} offset_db={base.offset_db} hangover_s={base.hangover_s}")
        table = evaluate(base, pumps, seeds=args.seeds)
        show(table)
        print(summary(table))
        return
    for onset, offset in itertools.product((5.0, 6.0, 7.0, 9.0), (3.0, 4.0, 6.0)):
        if offset > onset:
            continue
        settings = base.model_copy(update={"onset_db": onset, "offset_db": offset})
        table = evaluate(settings, pumps, (10.0, 5.0, 0.0), args.seeds)
        print(f"onset {onset:4.1f} offset {offset:4.1f}  {summary(table)}", flush=True)


if __name__ == "__main__":
    main()
