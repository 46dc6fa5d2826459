"""Run the recognition benchmark: build the corpus, hear it with both systems, print the table.

Both systems hear every clip in worker processes (two by default, one per core); the
real-time factor is CPU time over audio time within a worker, so it is a one-core figure.
Peak memory is that of a fresh `pumpcoach hear` (or naive) process on the longest clip.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from multiprocessing import get_context
from pathlib import Path

from assistant.audio.pcm import read_wav
from assistant.bench import corpus
from assistant.bench.corpus import SNRS, Clip
from assistant.bench.scoring import Tally, percentile, score
from assistant.bench.table import Figures, render_table
from assistant.hearing.listener import Heard
from assistant.routines.loader import find_routine
from assistant.session.plan import build_plan

CHUNKS_PER_SYSTEM = 6
"""Each system's clips are split this many ways, so two workers stay busy to the end."""
SYSTEMS = ("ours", "naive")
OWN_CUES_ROUTINE = "mss"
"""The whole of this routine is run with only a quiet pump and the coach's echo in the room."""


@dataclass
class Result:
    """What one worker measured on its share of clips."""

    system: str
    heard: dict[str, list[Heard]]
    cpu_s: float
    audio_s: float
    load_s: float


@dataclass
class Measured:
    """Everything measured for one system."""

    tallies: dict[str, Tally] = field(default_factory=dict)
    cpu_s: float = 0.0
    audio_s: float = 0.0
    loads: list[float] = field(default_factory=list)


def main(argv: Sequence[str] | None = None) -> int:
    args = _arguments(argv)
    folder = args.work or _default_folder(args.seed, args.every, args.synth)
    started = time.monotonic()
    clips = corpus.build(folder, args.seed, args.every, args.synth)
    print(
        f"corpus: {len(clips)} clips in {folder} ({time.monotonic() - started:.0f} s)",
        file=sys.stderr,
    )
    systems = [s for s in SYSTEMS if not (args.no_baseline and s == "naive")]
    measured = _hear_all(folder, clips, systems, args.jobs)
    figures = {name: _figures(clips, m) for name, m in measured.items()}
    for name in systems:
        figures[name].peak_mb = _peak_memory_mb(name, folder, clips)
    figures["ours"].own_cue_commands, figures["ours"].cue_minutes = _own_cues(folder)
    print(render_table(figures, args.seed, args.synth))
    if args.misses:
        _print_misses(measured["ours"])
    if args.json:
        args.json.write_text(json.dumps({k: v.as_dict() for k, v in figures.items()}, indent=1))
    print(f"(benchmark took {time.monotonic() - started:.0f} s)", file=sys.stderr)
    return 0


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
    parser.add_argument(
        "--synth",
        choices=("flite", "espeak-ng"),
        default="flite",
        help="who speaks her commands (default flite: recorded voices; espeak-ng: rule-made)",
    )
    parser.add_argument("--every", type=int, default=1, help="keep one phrasing in N (quick look)")
    parser.add_argument("--jobs", type=int, default=2, help="worker processes (default 2)")
    parser.add_argument("--work", type=Path, help="corpus folder (default: a temp folder per seed)")
    parser.add_argument("--no-baseline", action="store_true", help="skip the naive build")
    parser.add_argument("--misses", action="store_true", help="list what ours got wrong")
    parser.add_argument("--json", type=Path, help="also write the figures here")
    return parser.parse_args(argv)


def _default_folder(seed: int, every: int, synth: corpus.Synth) -> Path:
    """One folder per corpus definition: a change to phrasings, voices or pumps rebuilds it."""
    definition = repr(
        (
            corpus.VERSION,
            corpus.phrasings(seed),
            corpus.voices(seed, synth),
            corpus.profiles(seed),
            corpus.SNRS,
            corpus.GAP_S,
            corpus.CHATTER,
            every,
        )
    )
    digest = hashlib.sha256(definition.encode()).hexdigest()[:10]
    return Path(tempfile.gettempdir()) / f"pumpcoach-bench-{synth}-{seed}-{every}-{digest}"


def _hear_all(
    folder: Path, clips: list[Clip], systems: list[str], jobs: int
) -> dict[str, Measured]:
    biggest_first = sorted(clips, key=lambda c: -c.duration_s)
    tasks = [
        (system, folder, [c.name for c in biggest_first[i::CHUNKS_PER_SYSTEM]])
        for system in reversed(systems)  # the slow one first
        for i in range(CHUNKS_PER_SYSTEM)
    ]
    by_name = {c.name: c for c in clips}
    measured = {s: Measured() for s in systems}
    with ProcessPoolExecutor(max_workers=jobs, mp_context=get_context("spawn")) as pool:
        for result in pool.map(_hear_chunk, *zip(*tasks, strict=True)):
            m = measured[result.system]
            m.cpu_s += result.cpu_s
            m.audio_s += result.audio_s
            m.loads.append(result.load_s)
            for name, heard in result.heard.items():
                m.tallies[name] = score(by_name[name], heard)
    return measured


def _hear_chunk(system: str, folder: Path, names: list[str]) -> Result:
    """In a worker: build the system (timed), hear each clip (CPU-timed)."""
    from assistant.bench.systems import NaiveBaseline, Ours, System
    from assistant.hearing.models import EngineChoice
    from assistant.settings import Settings

    os.environ.setdefault("OMP_NUM_THREADS", "1")
    started = time.perf_counter()
    hearer: System
    if system == "ours":
        hearer = Ours(EngineChoice("pocketsphinx", None, "benchmark"), Settings())
    else:
        hearer = NaiveBaseline()
    load_s = time.perf_counter() - started
    heard: dict[str, list[Heard]] = {}
    cpu = audio = 0.0
    for name in names:
        clip_audio = read_wav(folder / f"{name}.wav")
        before = time.process_time()
        heard[name] = hearer.hear(clip_audio)
        cpu += time.process_time() - before
        audio += clip_audio.duration_s
    hearer.close()
    return Result(system, heard, cpu, audio, load_s)


def _figures(clips: list[Clip], m: Measured) -> Figures:
    by_snr = {snr: Tally() for snr in SNRS}
    pump, chatter, latencies = Tally(), Tally(), Tally()
    for clip in clips:
        tally = m.tallies[clip.name]
        if clip.kind == "commands":
            by_snr[clip.snr_db].add(tally)
            latencies.add(tally)
        elif clip.kind == "pump":
            pump.add(tally)
        else:
            chatter.add(tally)
    return Figures(
        accuracy={snr: t.accuracy for snr, t in by_snr.items()},
        utterances=sum(t.utterances for t in by_snr.values()),
        pump_fa_per_hour=pump.false_per_hour,
        chatter_fa_per_hour=chatter.false_per_hour,
        latency_p50=percentile(latencies.latencies, 50),
        latency_p95=percentile(latencies.latencies, 95),
        rtf=m.cpu_s / m.audio_s if m.audio_s else float("nan"),
        load_s=sorted(m.loads)[len(m.loads) // 2] if m.loads else float("nan"),
    )


def _peak_memory_mb(system: str, folder: Path, clips: list[Clip]) -> float:
    """Peak resident memory of a fresh process hearing the longest clip, in MB."""
    longest = max(clips, key=lambda c: c.duration_s)
    wav = str(folder / f"{longest.name}.wav")
    if system == "ours":
        command = [sys.executable, "-m", "assistant", "hear", wav, "--engine", "pocketsphinx"]
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


def _own_cues(folder: Path) -> tuple[int, float]:
    """Commands a whole session hears when only the pump and the coach's echo are in the room."""
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
                "0",
                "--engine",
                "pocketsphinx",
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


def _print_misses(m: Measured) -> None:
    for name, tally in sorted(m.tallies.items()):
        for miss in tally.misses:
            print(f"  {name}: {miss}")
