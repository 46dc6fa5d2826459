"""Run the recognition benchmark: build the corpus, hear it, print the tables, keep the figures.

Ours hears both voice sets; the naive build hears the report set only (it is slow, and it is
there to compare against the headline). Clips are heard in worker processes (two by default,
one per core); the real-time factor is CPU time over audio time within a worker, so it is a
one-core figure. Peak memory is that of a fresh `pumpcoach hear` (or naive) process on a
12-minute stream. Every run is added to `history.jsonl` beside this module, with the command and
the commit it ran on.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import shlex
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from multiprocessing import get_context
from pathlib import Path
from typing import cast

import numpy as np

from assistant.audio.pcm import SAMPLE_RATE, Audio, read_wav, write_wav
from assistant.bench import barge_in, corpus
from assistant.bench.corpus import SNRS, Clip
from assistant.bench.scoring import Tally, percentile, score
from assistant.bench.sets import SET_NAMES
from assistant.bench.table import Figures, render_families, render_table
from assistant.hearing.listener import Heard
from assistant.routines.loader import find_routine
from assistant.session.plan import build_plan

CHUNKS_PER_SYSTEM = 6
"""Each system's clips are split this many ways, so two workers stay busy to the end."""
SYSTEMS = ("ours", "naive")
OWN_CUES_ROUTINE = "mss"
"""The whole of this routine is run with only a quiet pump and the coach's echo in the room."""
OWN_CUE_GAINS = (0.0, 6.0)
"""The coach's echo against the cues as spoken (dB), for that run."""
HISTORY = Path(__file__).with_name("history.jsonl")


@dataclass
class Result:
    """What one worker measured on its share of clips."""

    system: str
    """"ours", "naive", or "over-cue" (ours, with the coach talking under her commands)."""
    heard: dict[str, list[Heard]]
    cpu_s: dict[str, float]
    """CPU seconds per clip."""
    load_s: float


@dataclass
class Measured:
    """Everything measured for one system."""

    tallies: dict[str, Tally] = field(default_factory=dict)
    heard: dict[str, list[Heard]] = field(default_factory=dict)
    cpu_s: dict[str, float] = field(default_factory=dict)
    loads: list[float] = field(default_factory=list)


def main(argv: Sequence[str] | None = None) -> int:
    args = _arguments(argv)
    folder = args.work or _default_folder(args.seed, args.every)
    started = time.monotonic()
    commit = _commit()  # now: the code is read as the workers start, not when they end
    clips = corpus.build(folder, args.seed, args.every)
    print(
        f"corpus: {len(clips)} clips in {folder} ({time.monotonic() - started:.0f} s)",
        file=sys.stderr,
    )
    if args.tuning_only:
        clips = [c for c in clips if c.voice_set == "tuning"]
    over_cue = barge_in.over_cue_clips(clips)
    barge_in.write_cue_track(folder, 2 * max(c.duration_s for c in over_cue) + 1)
    heard_by = {"ours": clips, "over-cue": over_cue, "over-cue-warm": over_cue}
    if not args.no_baseline and not args.tuning_only:
        heard_by["naive"] = [c for c in clips if c.voice_set == "report"]
    measured = _hear_all(folder, heard_by, args.jobs, args.config)
    figures: dict[str, dict[str, Figures]] = {
        system: {
            name: _figures([c for c in mine if c.voice_set == name], measured[system])
            for name in SET_NAMES
            if any(c.voice_set == name for c in mine)
        }
        for system, mine in heard_by.items()
        if not system.startswith("over-cue")
    }
    for name, f in figures["ours"].items():
        over, warm = Tally(), Tally()
        for clip in (c for c in over_cue if c.voice_set == name):
            over.add(measured["over-cue"].tallies[clip.name])
            warm.add(measured["over-cue-warm"].tallies[clip.name])
        f.over_cue_accuracy, f.over_cue_wrong_amounts = over.accuracy, over.wrong_amounts
        f.warm_over_cue_accuracy = warm.accuracy
    own_cues = (
        None if args.tuning_only else {gain: _own_cues(folder, gain) for gain in OWN_CUE_GAINS}
    )
    for system, by_set in figures.items():
        if args.tuning_only:
            break  # choosing a threshold: accuracy and false activations are what count
        peak = _peak_memory_mb(system, folder, clips)
        for f in by_set.values():
            f.peak_mb = peak
            if system == "ours" and own_cues is not None:
                f.own_cue_commands = {g: n for g, (n, _) in own_cues.items()}
                f.cue_minutes = own_cues[OWN_CUE_GAINS[0]][1]
    ours = figures["ours"]
    naive = figures.get("naive", {}).get("report")
    caption = _caption(args, ours.get("report", ours["tuning"]))
    print(render_table(ours.get("report"), ours["tuning"], naive, caption))
    print()
    print(render_families(ours))
    if args.misses:
        _print_misses(measured["ours"], clips)
        print("over a cue:")
        _print_misses(measured["over-cue"], over_cue)
        print("over a cue, warm:")
        _print_misses(measured["over-cue-warm"], over_cue)
    record = _record(args, argv, commit, figures, time.monotonic() - started)
    with HISTORY.open("a", encoding="utf-8") as history:
        history.write(json.dumps(record) + "\n")
    if args.json:
        args.json.write_text(json.dumps(record, indent=1))
    print(f"(benchmark took {time.monotonic() - started:.0f} s)", file=sys.stderr)
    return 0


def _caption(args: argparse.Namespace, report: Figures) -> str:
    per_snr = report.utterances // len(SNRS)
    return (
        f"seed {args.seed}, every {args.every}: {per_snr} utterances per SNR in each set; "
        f"{report.logs_said} logs said in each set; own cues: "
        f"{report.cue_minutes:.1f} min of the coach speaking over a quiet pump"
    )


def _record(
    args: argparse.Namespace,
    argv: Sequence[str] | None,
    commit: str,
    figures: dict[str, dict[str, Figures]],
    seconds: float,
) -> dict[str, object]:
    """One line of the history: when, on what code, by which command, and every figure."""
    words = sys.argv[1:] if argv is None else list(argv)
    return {
        "date": time.strftime("%Y-%m-%dT%H:%M:%S%z"),
        "commit": commit,
        "command": shlex.join(["python", "scripts/bench_recognition.py", *words]),
        "seed": args.seed,
        "every": args.every,
        "seconds": round(seconds),
        "figures": {
            system: {name: f.as_dict() for name, f in by_set.items()}
            for system, by_set in figures.items()
        },
    }


def _commit() -> str:
    """The commit the benchmark runs on, marked when the tree has changes beyond it."""
    commit = subprocess.run(
        ["git", "rev-parse", "--short", "HEAD"], capture_output=True, text=True, check=False
    ).stdout.strip()
    dirty = subprocess.run(
        ["git", "status", "--porcelain", "--untracked-files=no"],
        capture_output=True, text=True, check=False,
    ).stdout.strip()  # fmt: skip
    return commit + ("+changes" if dirty else "")


def _arguments(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="bench_recognition",
        description="Recognition accuracy, false activations, latency and cost, "
        "ours against a naive build, on synthetic speech over synthetic pumps.",
    )
    parser.add_argument(
        "--seed",
        type=int,
        default=0,
        help="corpus seed (0: the listed voices and pumps; others jitter them)",
    )
    parser.add_argument("--every", type=int, default=1, help="keep one phrasing in N (quick look)")
    parser.add_argument("--jobs", type=int, default=2, help="worker processes (default 2)")
    parser.add_argument("--work", type=Path, help="corpus folder (default: a temp folder per seed)")
    parser.add_argument(
        "--no-baseline", action="store_true", help="skip the naive build (most of the time)"
    )
    parser.add_argument("--misses", action="store_true", help="list what ours got wrong")
    parser.add_argument(
        "--tuning-only",
        action="store_true",
        help="hear the tuning set only, to choose a threshold without seeing the report set",
    )
    parser.add_argument("--json", type=Path, help="also write the figures here")
    parser.add_argument(
        "--config", type=Path, help="settings to hear with (a pumpcoach config.toml; default: none)"
    )
    return parser.parse_args(argv)


def _default_folder(seed: int, every: int) -> Path:
    """One folder per corpus definition: a change to phrasings, voices or pumps rebuilds it."""
    digest = hashlib.sha256(corpus.definition(seed, every).encode()).hexdigest()[:10]
    return Path(tempfile.gettempdir()) / f"pumpcoach-bench-{seed}-{every}-{digest}"


def _hear_all(
    folder: Path,
    heard_by: dict[str, list[Clip]],
    jobs: int,
    config: Path | None = None,
) -> dict[str, Measured]:
    tasks = []
    for system in reversed(heard_by):  # the slow one first
        biggest_first = sorted(heard_by[system], key=lambda c: -c.duration_s)
        tasks += [
            (system, folder, [c.name for c in biggest_first[i::CHUNKS_PER_SYSTEM]], config)
            for i in range(CHUNKS_PER_SYSTEM)
        ]
    by_name = {c.name: c for clips in heard_by.values() for c in clips}
    measured = {s: Measured() for s in heard_by}
    with ProcessPoolExecutor(max_workers=jobs, mp_context=get_context("spawn")) as pool:
        for result in pool.map(_hear_chunk, *zip(*tasks, strict=True)):
            m = measured[result.system]
            m.cpu_s.update(result.cpu_s)
            m.loads.append(result.load_s)
            for name, heard in result.heard.items():
                m.heard[name] = heard
                m.tallies[name] = score(by_name[name], heard)
    return measured


def _hear_chunk(system: str, folder: Path, names: list[str], config: Path | None) -> Result:
    """In a worker: build the system (timed), hear each clip (CPU-timed)."""
    from assistant.bench.systems import NaiveBaseline, Ours, System
    from assistant.config import load_settings
    from assistant.hearing.engines import choose
    from assistant.hearing.models import default_models_dir
    from assistant.settings import Settings

    os.environ.setdefault("OMP_NUM_THREADS", "1")
    started = time.perf_counter()
    hearer: System
    if system in ("ours", "over-cue", "over-cue-warm"):
        settings = Settings() if config is None else load_settings(config)
        hearer = Ours(choose(settings, os.environ, default_models_dir()), settings)
    else:
        hearer = NaiveBaseline()
    load_s = time.perf_counter() - started
    heard: dict[str, list[Heard]] = {}
    cpu: dict[str, float] = {}
    over_cue = {c.name: c for c in corpus.build(folder)} if system.startswith("over-cue") else {}
    for name in names:
        clip_audio = read_wav(folder / f"{name}.wav")
        before = time.process_time()
        if name in over_cue and system == "over-cue-warm":
            hear = cast(Ours, hearer).hear
            heard[name] = barge_in.heard_warm(folder, over_cue[name], clip_audio, hear)
        elif name in over_cue:
            mixed, played = barge_in.with_cues(folder, over_cue[name], clip_audio)
            heard[name] = barge_in.without_own_words(folder, cast(Ours, hearer).hear(mixed, played))
        else:
            heard[name] = hearer.hear(clip_audio)
        cpu[name] = time.process_time() - before
    hearer.close()
    return Result(system, heard, cpu, load_s)


def _figures(clips: list[Clip], m: Measured) -> Figures:
    by_snr = {snr: Tally() for snr in SNRS}
    families: dict[str, dict[float | None, Tally]] = {}
    negatives = {key: Tally() for key in ("pump", "changing-pump", "chatter", "quiet")}
    everything, latencies = Tally(), Tally()
    for clip in clips:
        tally = m.tallies[clip.name]
        everything.add(tally)
        if clip.kind == "commands":
            by_snr[clip.snr_db].add(tally)
            family = families.setdefault(clip.family or "", {snr: Tally() for snr in SNRS})
            family[clip.snr_db].add(tally)
            latencies.add(tally)
        elif clip.kind == "chatter" and clip.snr_db is None:
            negatives["quiet"].add(tally)
        else:
            negatives[clip.kind].add(tally)
    audio_s = sum(c.duration_s for c in clips)
    return Figures(
        accuracy={snr: t.accuracy for snr, t in by_snr.items()},
        families={
            name: {snr: t.accuracy for snr, t in tallies.items()}
            for name, tallies in families.items()
        },
        utterances=sum(t.utterances for t in by_snr.values()),
        pump_fa_per_hour=negatives["pump"].false_per_hour,
        changing_pump_fa_per_hour=negatives["changing-pump"].false_per_hour,
        chatter_fa_per_hour=negatives["chatter"].false_per_hour,
        quiet_chatter_fa_per_hour=negatives["quiet"].false_per_hour,
        wrong_amounts=everything.wrong_amounts,
        asked=everything.asked,
        logs_said=everything.logs_said,
        latency_p50=percentile(latencies.latencies, 50),
        latency_p95=percentile(latencies.latencies, 95),
        rtf=sum(m.cpu_s[c.name] for c in clips) / audio_s if audio_s else float("nan"),
        load_s=sorted(m.loads)[len(m.loads) // 2] if m.loads else float("nan"),
    )


STREAM_S = 720.0
"""Peak memory is measured on a stream this long (12 minutes: a session)."""


def _peak_memory_mb(system: str, folder: Path, clips: list[Clip]) -> float:
    """Peak resident memory of a fresh process hearing a 12-minute stream (report-set
    commands over the pump, one clip after another), in MB."""
    wav = str(_stream(folder, clips))
    if system == "ours":
        command = [sys.executable, "-m", "assistant", "hear", wav]
    else:
        command = [sys.executable, "-m", "assistant.bench.systems", wav]
    probe = (
        "import resource, subprocess, sys; subprocess.run(sys.argv[1:], check=True, "
        "stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL); "
        "print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)"
    )
    out = subprocess.run(
        [sys.executable, "-c", probe, *command], capture_output=True, text=True, check=True
    )
    return int(out.stdout.strip()) / 1024


def _stream(folder: Path, clips: list[Clip]) -> Path:
    path = folder / f"stream-{STREAM_S:.0f}s.wav"
    if not path.exists():
        parts, total = [], 0.0
        for clip in (c for c in clips if c.kind == "commands" and c.voice_set == "report"):
            if total >= STREAM_S:
                break
            parts.append(read_wav(folder / f"{clip.name}.wav").samples)
            total += clip.duration_s
        samples = np.concatenate(parts)[: round(STREAM_S * SAMPLE_RATE)]
        write_wav(path, Audio(samples, SAMPLE_RATE))
    return path


def _own_cues(folder: Path, gain_db: float) -> tuple[int, float]:
    """Commands a whole session hears when only the pump and the coach's echo (at `gain_db`)
    are in the room; and for how many minutes the coach spoke."""
    seconds = build_plan(find_routine(OWN_CUES_ROUTINE, None)).total_s + 30
    wav = folder / f"cues-pump-{seconds:.0f}s.wav"
    if not wav.exists():
        corpus.write_quiet_pump(wav, seconds=seconds)
    with tempfile.TemporaryDirectory(prefix="pumpcoach-bench-") as tmp:
        out = subprocess.run(
            [
                sys.executable,
                "-m",
                "assistant",
                "run",
                "--routine",
                OWN_CUES_ROUTINE,
                "--audio-in",
                str(wav),
                "--db",
                f"{tmp}/b.db",
                "--events-json",
                "--echo-gain",
                f"{gain_db:g}",
                "--speak-to",
                f"{tmp}/cues.wav",
            ],
            capture_output=True,
            text=True,
            check=True,
        ).stdout
        spoken = corpus.sounding_seconds(Path(tmp) / "cues.wav", until_s=seconds)
    events = [json.loads(line) for line in out.splitlines()]
    commands = [e for e in events if e["type"] == "command"]
    return len(commands), spoken / 60


def _print_misses(m: Measured, clips: list[Clip]) -> None:
    for clip in sorted(clips, key=lambda c: c.name):
        for miss in m.tallies[clip.name].misses:
            print(f"  {clip.name} ({clip.voice}): {miss}")
