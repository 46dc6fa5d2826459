"""The memory benchmark: peak memory of `hear` and `run --audio-in` by recording length.

A session is 20-40 minutes and the target is a Raspberry Pi, so what matters is that memory
does not follow the recording's length. Recordings come from `long_recording` (pump noise,
quiet room, a few spoken commands), and each command runs in a process of its own under
`/usr/bin/time -v`, whose "Maximum resident set size" is the figure. The soak samples the
process's resident memory from /proc while it runs, to see growth rather than only a peak.
"""

from __future__ import annotations

import json
import re
import shlex
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import asdict, dataclass
from pathlib import Path

from assistant.bench.long_recording import FORMATS, Format, session_plan, soak_plan, write_recording


@dataclass(frozen=True)
class Row:
    """One measured run."""

    command: str
    """One of KINDS."""
    minutes: int
    format: str
    peak_mb: float
    """Maximum resident set size, MB (`/usr/bin/time -v`): the largest single process."""
    own_mb: float
    """The pumpcoach process's own peak (its VmHWM), MB."""
    tree_mb: float
    """The most the pumpcoach process and its helpers (festival) held together, MB, sampled
    every TREE_SAMPLE_S."""
    wall_s: float
    commands: int
    """Commands the run decided (hear) or was given (run)."""
    heard_min: float
    """Minutes of the recording heard: all of it for hear; for run, until the session ended
    (a stop heard in the pump noise and confirmed ends it early)."""
    argv: str
    """The exact command line measured."""


KINDS = ("hear", "run", "run-echo")
TREE_SAMPLE_S = 0.25


def pumpcoach_argv(kind: str, wav: Path, db: Path) -> list[str]:
    """The command line for `kind` on `wav`: `hear --json`, or a ten-round `mss` session
    (88 minutes of routine, longer with the pauses said, so every row's recording up to 60
    minutes is heard to its end: see `heard_min`), with the
    coach's cues played back into the input for `run-echo` (their timeline is kept)."""
    exe = str(Path(sys.executable).with_name("pumpcoach"))
    if kind == "hear":
        return [exe, "hear", str(wav), "--json"]
    echo = ["--echo-gain", "-6"] if kind == "run-echo" else []
    return [
        exe, "run", "--routine", "mss", "--cycles", "10", "--audio-in", str(wav),
        "--events-json", "--db", str(db), *echo,
    ]  # fmt: skip


def measure(kind: str, wav: Path, minutes: int, form: Format, db: Path) -> Row:
    """Run one command under `/usr/bin/time -v`; its peak memory, wall time and output.

    `/usr/bin/time` reports the largest single process of the tree, which with a festival
    voice is festival's, not ours: so the tree is also watched from /proc, for our process's
    own peak and for the whole tree's."""
    argv = pumpcoach_argv(kind, wav, db)
    timed = ["/usr/bin/time", "-v", *argv]
    with tempfile.TemporaryFile("w+") as out, tempfile.TemporaryFile("w+") as err:
        process = subprocess.Popen(timed, stdout=out, stderr=err, text=True)
        own_kb, tree_kb = _watch_tree(process)
        out.seek(0)
        err.seek(0)
        stdout, stderr = out.read(), err.read()
    if process.returncode != 0:
        raise RuntimeError(f"{shlex.join(argv)} failed: {stderr.strip()[-500:]}")
    peak_kb = int(_field(stderr, r"Maximum resident set size \(kbytes\): (\d+)"))
    return Row(
        kind,
        minutes,
        form.name,
        round(peak_kb / 1024, 1),
        round(own_kb / 1024, 1),
        round(tree_kb / 1024, 1),
        round(_wall_s(_field(stderr, r"Elapsed \(wall clock\) time.*: ([\d:.]+)")), 1),
        _decided(kind, stdout),
        min(minutes, round(_ended_s(kind, stdout, minutes) / 60, 1)),
        shlex.join(timed),
    )


def _watch_tree(process: subprocess.Popen[str]) -> tuple[int, int]:
    """Until `process` ends: the peak (VmHWM) of its child, the pumpcoach process, and the
    largest sum of resident memory over all its descendants seen at one moment, in kB."""
    own = tree = 0
    while process.poll() is None:
        below = _descendants(process.pid)
        if below:
            own = max(own, _status(below[0]).get("VmHWM", 0))
            tree = max(tree, sum(_status(pid).get("VmRSS", 0) for pid in below))
        time.sleep(TREE_SAMPLE_S)
    return own, tree


def _descendants(root: int) -> list[int]:
    """The processes under `root`, its own child first (from each process's parent id)."""
    parents: dict[int, int] = {}
    for stat_file in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat_file.read_text().rsplit(")", 1)[1].split()
        except (OSError, IndexError):
            continue
        parents[int(stat_file.parent.name)] = int(fields[1])
    found, frontier = [], [root]
    while frontier:
        children = sorted(pid for pid, parent in parents.items() if parent in frontier)
        found += children
        frontier = children
    return found


def _field(text: str, pattern: str) -> str:
    found = re.search(pattern, text)
    if found is None:
        raise RuntimeError(f"/usr/bin/time -v printed no {pattern!r}")
    return found.group(1)


def _wall_s(clock: str) -> float:
    """`h:mm:ss` or `m:ss.ss` as seconds."""
    seconds = 0.0
    for part in clock.split(":"):
        seconds = seconds * 60 + float(part)
    return seconds


def _decided(kind: str, stdout: str) -> int:
    """Commands in the JSON lines: each heard one (hear), each one acted on (run)."""
    marker = '"intent"' if kind == "hear" else '"type": "command"'
    return sum(1 for line in stdout.splitlines() if marker in line and '"intent": null' not in line)


def _ended_s(kind: str, stdout: str, minutes: int) -> float:
    """When the session was saved (run), else the whole recording (hear)."""
    for line in reversed(stdout.splitlines()):
        if kind != "hear" and '"session_saved"' in line:
            return float(json.loads(line)["t"])
    return 60.0 * minutes


def rows(lengths: Sequence[int], kinds: Sequence[str], folder: Path) -> Iterator[Row]:
    """Every (format, length, command) measured, each recording deleted once measured."""
    for form in FORMATS:
        for minutes in lengths:
            wav = folder / f"{minutes}min-{form.rate}-{form.channels}.wav"
            write_recording(wav, session_plan(minutes), form)
            try:
                for kind in kinds:
                    with tempfile.TemporaryDirectory(prefix="pumpcoach-bench-") as scratch:
                        yield measure(kind, wav, minutes, form, Path(scratch) / "s.sqlite3")
            finally:
                wav.unlink()


def render_rows(measured: Sequence[Row]) -> str:
    """The table, then each row's exact command line."""
    lines = [
        f"{'#':>2}  {'command':<8} {'minutes':>7}  {'format':<14} {'peak RSS MB':>11} "
        f"{'own MB':>7} {'tree MB':>7} {'wall s':>7} {'commands':>8} {'heard min':>9}"
    ]
    for i, row in enumerate(measured, 1):
        lines.append(
            f"{i:>2}  {row.command:<8} {row.minutes:>7}  {row.format:<14} {row.peak_mb:>11.1f} "
            f"{row.own_mb:>7.1f} {row.tree_mb:>7.1f} {row.wall_s:>7.1f} {row.commands:>8} "
            f"{row.heard_min:>9.1f}"
        )
    lines.append(
        "peak RSS: /usr/bin/time -v, the largest single process; own: pumpcoach's own peak; "
        "tree: pumpcoach and its helpers (festival) together."
    )
    lines.append("")
    lines += [f"{i:>2}  {row.argv}" for i, row in enumerate(measured, 1)]
    return "\n".join(lines)


SOAK_HOURS = 8
SOAK_SAMPLE_S = 5.0
"""The soak reads the process's memory this often (wall seconds); the 8 hours of audio run
in about ten minutes, so a sample a minute would see too little."""
SOAK_START_S = 600.0
"""Audio seconds after which memory counts as the start: models loaded, the first cues said
and the first utterances heard, so what follows is growth, not warming up."""


@dataclass(frozen=True)
class Sample:
    """The soak process's memory at one moment."""

    wall_s: float
    audio_s: float
    """How far into the recording the session was (its last event's time)."""
    rss_mb: float
    closing: bool
    """Whether the session was already saved: the process is closing down, models freed."""


@dataclass(frozen=True)
class Soak:
    """The soak's figures."""

    hours: int
    start_mb: float
    """Resident memory once SOAK_START_S of audio were heard."""
    end_mb: float
    """Resident memory at the last sample before the session was saved."""
    peak_mb: float
    """The process's own high-water mark (VmHWM)."""
    growth_pct: float
    """(end - start) / start."""
    wall_s: float
    commands: dict[str, int]
    """Commands the session was given, by intent."""
    heard_h: float
    """Hours of the recording heard before the session ended (all of it, unless the routine
    ran out first)."""
    outcome: str
    argv: str


def soak(folder: Path, hours: int, progress: Path) -> Soak:
    """Write an `hours`-long recording (16 kHz mono), run a session on it, and sample the
    process's memory every SOAK_SAMPLE_S into `progress` (one JSON line each) as it goes."""
    wav = folder / f"soak-{hours}h.wav"
    write_recording(wav, soak_plan(hours), FORMATS[0])
    try:
        argv = pumpcoach_argv("run", wav, folder / "soak.sqlite3")
        return _watch(argv, hours, progress)
    finally:
        wav.unlink()


def _watch(argv: list[str], hours: int, progress: Path) -> Soak:
    events: list[dict[str, object]] = []
    started = time.monotonic()
    samples: list[Sample] = []
    process = subprocess.Popen(argv, stdout=subprocess.PIPE, text=True)
    reader = threading.Thread(target=_collect, args=(process, events), daemon=True)
    reader.start()
    peak_kb = 0
    with progress.open("w", encoding="utf-8") as log, _ended_with(process):
        while process.poll() is None:
            status = _status(process.pid)
            if status:
                peak_kb = max(peak_kb, status.get("VmHWM", 0))
                last = events[-1] if events else {}
                sample = Sample(
                    round(time.monotonic() - started, 1),
                    float(str(last.get("t", 0.0))),
                    round(status["VmRSS"] / 1024, 1),
                    last.get("type") == "session_saved",
                )
                samples.append(sample)
                log.write(json.dumps(asdict(sample)) + "\n")
                log.flush()
            time.sleep(SOAK_SAMPLE_S)
    reader.join()
    if process.returncode != 0:
        raise RuntimeError(f"{shlex.join(argv)} failed with exit status {process.returncode}")
    running = [s for s in samples if not s.closing] or samples
    warm = [s for s in running if s.audio_s >= SOAK_START_S] or running
    start, end = warm[0].rss_mb, warm[-1].rss_mb
    commands: dict[str, int] = {}
    for event in events:
        if event.get("type") == "command":
            intent = str(event.get("intent"))
            commands[intent] = commands.get(intent, 0) + 1
    saved = next((e for e in reversed(events) if e.get("type") == "session_saved"), {})
    return Soak(
        hours,
        start,
        end,
        round(peak_kb / 1024, 1),
        round(100 * (end - start) / start, 1),
        round(time.monotonic() - started),
        commands,
        round(min(float(hours), float(str(saved.get("t", 0.0))) / 3600), 2),
        str(saved.get("outcome", "?")),
        shlex.join(argv),
    )


@contextmanager
def _ended_with(process: subprocess.Popen[str]) -> Iterator[None]:
    """The session process is stopped if the benchmark stops first (Ctrl-C, SIGTERM)."""
    try:
        yield
    finally:
        if process.poll() is None:
            process.terminate()
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()


def _collect(process: subprocess.Popen[str], events: list[dict[str, object]]) -> None:
    """The session's JSON events as they come (the list only grows: read from the other
    thread by its last element)."""
    for line in process.stdout or ():
        try:
            events.append(json.loads(line))
        except json.JSONDecodeError:
            continue


def _status(pid: int) -> dict[str, int]:
    """VmRSS and VmHWM of a process, in kB (empty once it has gone)."""
    try:
        text = Path(f"/proc/{pid}/status").read_text()
    except OSError:
        return {}
    found = {}
    for line in text.splitlines():
        name, _, value = line.partition(":")
        if name in ("VmRSS", "VmHWM"):
            found[name] = int(value.split()[0])
    return found if "VmRSS" in found else {}


def render_soak(result: Soak) -> str:
    commands = ", ".join(f"{intent} {n}" for intent, n in sorted(result.commands.items()))
    return "\n".join(
        [
            f"soak: {result.hours} h of audio in {result.wall_s} s; memory at the start "
            f"{result.start_mb:.1f} MB, at the end {result.end_mb:.1f} MB "
            f"({result.growth_pct:+.1f} %), peak {result.peak_mb:.1f} MB",
            f"      {result.heard_h} h of it heard; session {result.outcome}; "
            f"commands: {commands or 'none'}",
            f"      {result.argv}",
        ]
    )


HISTORY = Path(__file__).with_name("memory_history.jsonl")


def record(words: Sequence[str], figures: dict[str, object]) -> dict[str, object]:
    """One line of the history: when, on what code, by which command, and the figures."""
    return {
        "date": time.strftime("%Y-%m-%dT%H:%M:%S%z"),
        "commit": _commit(),
        "command": shlex.join(["python", "scripts/bench_memory.py", *words]),
        **figures,
    }


def _commit() -> str:
    """The commit measured, marked when the tree has changes beyond it."""
    here = Path(__file__).parent
    commit = subprocess.run(
        ["git", "rev-parse", "--short", "HEAD"], capture_output=True, text=True, cwd=here,
        check=False,
    ).stdout.strip()  # fmt: skip
    dirty = subprocess.run(
        ["git", "status", "--porcelain", "--untracked-files=no"], capture_output=True, text=True,
        cwd=here, check=False,
    ).stdout.strip()  # fmt: skip
    return commit + ("+changes" if dirty else "")
