"""Hearing her, end to end: real synthesized speech, real pump noise, the real engines
(pocketsphinx proposing, Whisper checking).

Slow-ish (a few seconds each); the full accuracy table lives in the recognition benchmark.
"""

from __future__ import annotations

import json
import os
import stat
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from assistant.audio.pcm import SAMPLE_RATE, Audio, write_wav
from assistant.audio.pump_noise import PROFILES, pump_noise
from assistant.audio.voices import FLITE_WOMEN, WOMEN, Voice, speak
from assistant.cli.main import main
from assistant.demo.scenario import Utterance, place_commands, render
from assistant.routines.loader import BUILTIN_DIR, find_routine
from assistant.session.plan import build_plan

pytestmark = pytest.mark.slow


def recording(tmp_path: Path, texts: list[str], voice: Voice, snr_db: float | None) -> Path:
    """The texts spoken 2 s apart, from 3.5 s on (after the endpointer has learnt the room),
    over the double-electric pump (or in a quiet room)."""
    utterances, t = [], 3.5
    for text in texts:
        duration = speak(text, voice).duration_s
        utterances.append(Utterance(text, t, t + duration))
        t += duration + 2.0
    path = tmp_path / "said.wav"
    write_wav(path, render(utterances, voice, PROFILES["double-electric"], snr_db, seed=7))
    return path


def hear(capsys: pytest.CaptureFixture[str], wav: Path) -> list[dict]:  # type: ignore[type-arg]
    assert main(["hear", str(wav), "--json"]) == 0
    out = capsys.readouterr().out
    return [json.loads(line) for line in out.splitlines()]


def run_app(*args: str) -> subprocess.CompletedProcess[str]:
    """`pumpcoach ARGS` in a process of its own, as she runs it, for sessions that speak their
    cues. In the tests' process pyttsx3's one engine keeps voice settings from earlier
    sessions, which moves the cues; and its espeak-ng would sit beside the one piper loads for
    the test voices, a pair that once crashed the whole run inside espeak's Synth."""
    done = subprocess.run(
        [sys.executable, "-m", "assistant", *args], capture_output=True, text=True, check=False
    )
    assert done.returncode == 0, done.stderr
    return done


@pytest.mark.parametrize(
    ("text", "voice", "snr_db", "intent", "amounts"),
    [
        ("where am i", WOMEN[1], None, "status", None),
        ("say that again", WOMEN[0], None, "repeat", None),
        ("total ninety", WOMEN[1], None, "log", {"total": 90.0}),
        ("resume", WOMEN[1], 15.0, "resume", None),
        ("log sixty five milliliters", WOMEN[1], 25.0, "log", {"total": 65.0}),
    ],
)
def test_hear_prints_the_spoken_command_as_json(
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    text: str,
    voice: Voice,
    snr_db: float | None,
    intent: str,
    amounts: dict[str, float] | None,
) -> None:
    """`hear --json` gives one line per command: intent, amounts, text and its timing."""
    heard = hear(capsys, recording(tmp_path, [text], voice, snr_db))
    assert len(heard) == 1
    [line] = heard
    assert line["intent"] == intent
    assert line.get("amounts_ml") == amounts
    assert 3.2 <= line["start_s"] <= 3.8
    assert line["start_s"] < line["end_s"] < line["decided_s"] <= line["end_s"] + 0.8


def test_the_pump_alone_is_never_a_command(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A minute of each pump profile, nobody speaking: nothing is decided."""
    for name, profile in PROFILES.items():
        noise = pump_noise(60, profile, seed=11) * 3000
        path = tmp_path / f"{name}.wav"
        write_wav(path, Audio(noise.astype(np.int16), SAMPLE_RATE))
        assert hear(capsys, path) == [], name


def test_chatter_is_not_a_command(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """Everyday talk near her, over the pump, comes out as nothing: pocketsphinx bends
    "did you call your mother today" into a command, and Whisper turns it down."""
    chatter = [
        "honey can you bring me some water",
        "the baby is finally asleep",
        "did you call your mother today",
        "i think it is going to rain",
    ]
    assert hear(capsys, recording(tmp_path, chatter, WOMEN[2], 15.0)) == []


def warm_up_that_asks_for_milk(folder: Path) -> Path:
    """The warm-up as it was before it led into pumping, asking for her milk at its end: these
    recordings are placed in its cues' silences."""
    path = folder / "warm-up-then-milk.toml"
    text = (BUILTIN_DIR / "warm-up.toml").read_text().replace('leads_to = "mss"\n', "")
    path.write_text(text.replace('name = "warm-up"', 'name = "warm-up-then-milk"'))
    return path


def test_a_recorded_session_logs_her_yield(tmp_path: Path) -> None:
    """pause, resume, next, repeat and "log sixty five milliliters" over the pump: 65 ml stored.

    The coach's own cues are mixed back into the input (--echo-gain) and the gate keeps
    them from being heard as commands.
    """
    routine = warm_up_that_asks_for_milk(tmp_path)
    plan = build_plan(find_routine(str(routine), None), 1)
    wishes = [
        (30.0, "pause"),
        (37.0, "resume"),  # a breath after "Paused. Say resume when you're ready."
        (50.0, "next"),
        (62.0, "repeat"),
        (75.0, "stop"),
        (80.0, "yes"),
        (90.0, "log sixty five milliliters"),
        (96.0, "sixty five"),  # her answer, if the coach asks which amount she said
    ]
    voice = FLITE_WOMEN[4]  # a recorded speaker's voice: see the benchmark on espeak-ng's
    utterances = place_commands(plan, wishes, voice)
    wav = tmp_path / "session.wav"
    write_wav(wav, render(utterances, voice, PROFILES["double-electric"], 25.0, seed=3))
    db = tmp_path / "s.db"
    run = ["run", "--routine", str(routine), "--audio-in", str(wav), "--db", str(db)]
    cues = tmp_path / "cues.wav"
    done = run_app(*run, "--events-json", "--speak-to", str(cues), "--echo-gain", "-6")
    events = [json.loads(line) for line in done.stdout.splitlines()]
    intents = [e["intent"] for e in events if e["type"] == "command"]
    assert intents[:7] == ["pause", "resume", "next", "repeat", "stop", "yes", "log"]
    assert intents[7:] in ([], ["log"])  # "sixty five": her answer, or an unanswered "Another 65?"
    assert [e["amounts_ml"] for e in events if e["type"] == "yield_logged"] == [{"total": 65.0}]
    assert events[-1]["type"] == "session_saved" and events[-1]["total_ml"] == 65.0
    [session] = json.loads(run_app("history", "--db", str(db), "--json").stdout)
    assert session["yields_ml"] == {"total": 65.0}


@pytest.mark.parametrize("gain", ["0", "6"])
def test_the_coachs_own_cues_fed_back_produce_no_command(tmp_path: Path, gain: str) -> None:
    """A whole routine with only the pump and the coach's echo in the room, the microphone
    open while the coach talks (barge-in), the echo as loud as the cues or 6 dB louder (the
    cues' peaks then overload the input): no command."""
    quiet_pump = pump_noise(400, PROFILES["wearable"], seed=5) * 600
    wav = tmp_path / "pump.wav"
    write_wav(wav, Audio(quiet_pump.astype(np.int16), SAMPLE_RATE))
    run = ["run", "--routine", "warm-up", "--audio-in", str(wav), "--db", str(tmp_path / "d.db")]
    done = run_app(*run, "--events-json", "--echo-gain", gain)
    events = [json.loads(line) for line in done.stdout.splitlines()]
    assert len([e for e in events if e["type"] == "cue"]) > 5
    assert [e for e in events if e["type"] == "command"] == []


def test_she_talks_over_the_coach_and_it_listens(tmp_path: Path) -> None:
    """Commands at fixed times, whether the coach is talking or not (barge-in), over the pump
    at 15 dB with the coach's echo at -6 dB through the room: the "pause" said in the middle of
    the opening cue stops it at once, and her amount is logged (asked back, if she said it over
    the coach)."""
    voice = FLITE_WOMEN[4]
    wishes = [
        (14.0, "pause"),
        (20.0, "resume"),
        (40.0, "stop"),
        (45.0, "yes"),
        (50.0, "log sixty five milliliters"),
        (58.0, "yes"),  # if it was said over the coach, the coach asks whether she said 65
    ]
    utterances = []
    for at, text in wishes:
        utterances.append(Utterance(text, at, at + speak(text, voice).duration_s))
    wav = tmp_path / "session.wav"
    write_wav(wav, render(utterances, voice, PROFILES["double-electric"], 15.0, seed=4))
    routine = warm_up_that_asks_for_milk(tmp_path)
    run = ["run", "--routine", str(routine), "--audio-in", str(wav), "--db", str(tmp_path / "s.db")]
    done = run_app(*run, "--events-json", "--echo-gain", "-6")
    events = [json.loads(line) for line in done.stdout.splitlines()]
    commands = [e for e in events if e["type"] == "command"]
    pause = next(e for e in commands if e["intent"] == "pause")
    assert pause.get("over_coach") is True and 14.0 < pause["t"] < 16.0
    cut = [e for e in events if e["type"] == "cue" and e["t"] == pause["t"]]
    assert cut and cut[0]["interrupt"] is True  # the opening cue stops where she spoke
    assert events[-1]["type"] == "session_saved" and events[-1]["total_ml"] == 65.0


@pytest.mark.parametrize("snr", ["25", "10"])
def test_the_demo_logs_what_its_voice_says(tmp_path: Path, snr: str) -> None:
    """The newcomer's first run: "log sixty five milliliters" over the pump ends as 65 ml,
    at the demo's default and at 10 dB (asked back and answered if the coach could not tell).
    Run as she runs it, in a process of its own: pyttsx3's one engine keeps voice settings
    from earlier sessions in the same process, which moves the cues. What it keeps is hers
    alone whatever the umask: the recording and the database 0600, a folder it made 0700."""
    db = tmp_path / "made" / "demo.db"
    recording = tmp_path / "demo.wav"
    demo = ["demo", "--snr", snr, "--speed", "100000", "--db", str(db), "--save", str(recording)]
    before = os.umask(0o022)
    try:
        done = run_app(*demo)
    finally:
        os.umask(before)
    assert "Logged: 65 ml" in done.stdout
    modes = [stat.S_IMODE(path.stat().st_mode) for path in (recording, db, db.parent)]
    assert modes == [0o600, 0o600, 0o700] and recording.stat().st_size > 100_000


def test_the_demo_without_a_database_leaves_nothing_behind(tmp_path: Path) -> None:
    """Its temporary folder, recording and database are gone when it ends."""
    done = subprocess.run(
        [sys.executable, "-m", "assistant", "demo", "--speed", "100000"],
        capture_output=True,
        text=True,
        check=False,
        env={**os.environ, "TMPDIR": str(tmp_path)},
    )
    assert done.returncode == 0, done.stderr
    assert "Logged: 65 ml" in done.stdout and "nothing was kept" in done.stdout
    assert list(tmp_path.iterdir()) == []
