"""The live path through a real sound server: `pumpcoach start` on the real clock, her commands
played into a virtual microphone, the coach's answers recorded off the speaker's monitor.

Used by the live-path test (does it work?) and by `scripts/bench_live.py` (how fast does the
coach answer?): from the end of her word to the first sound of the coach's answer.
"""

from __future__ import annotations

import signal
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from assistant.audio.pcm import Samples, write_wav
from assistant.audio.pump_noise import PROFILES
from assistant.audio.voices import WOMEN, speak
from assistant.bench.sound_server import SPEAKER_RATE, SoundServer
from assistant.demo.scenario import Utterance, render

ROUTINE_NAME = "quiet-rest"
ROUTINE = """\
name = "quiet-rest"
title = "Quiet rest"
summary = "A rest, for the live-path test."
safety = ["Stop if anything hurts."]
sources = [{ title = "Tests", credit = "Pump Coach tests", document = "none.txt" }]
[[steps]]
id = "rest"
title = "Rest"
cue = "Rest."
duration_s = 120
"""
SAID = (
    (14.0, "pause"),
    (20.0, "resume"),
    (26.0, "log sixty five milliliters"),
    (32.0, "sixty five"),
    (38.0, "stop"),
    (44.0, "yes"),
    (52.0, "finish"),
)
"""Her commands, in the coach's silences (the coach's words take 1-4 s each). "sixty five"
answers the coach if it asks which amount she said ("65, or 165?"); if it did not ask, it is
no command and changes nothing."""
BARGE_IN_ROUTINE = ROUTINE.replace(
    'cue = "Rest."',
    'cue = "Rest now. Let your shoulders drop and your jaw soften. Breathe in slowly through '
    "your nose, and let the breath out through your mouth, a little longer than it came in. "
    "Keep the flanges steady and let the pump do its work. If your hands are tired, rest them "
    'in your lap for a while, and notice the warmth of the room around you."',
)
BARGE_IN_SAID = (
    (12.0, "pause"),
    (18.0, "resume"),
    (24.0, "repeat"),
    (34.0, "stop"),
    (40.0, "yes"),
    (47.0, "log sixty five milliliters"),
    (54.0, "sixty five"),
    (60.0, "finish"),
)
"""Her commands while the coach reads a long cue, with the speaker played back into the
microphone: "pause" and "repeat" fall in the middle of it."""
SOUND = 300
"""A sample louder than this on the speaker's monitor is the coach talking."""


@dataclass(frozen=True)
class LiveRun:
    out: str
    err: str
    returncode: int | None
    said: list[Utterance]
    fed_at: float
    """When her recording started playing into the microphone (monotonic seconds)."""
    played: Samples
    """The speaker's monitor at SPEAKER_RATE, from `recorded_at`."""
    recorded_at: float

    def answer_delays(self, within_s: float = 3.0) -> list[float | None]:
        """For each of her commands, seconds from the end of her word to the coach's next
        sound (None: no sound within `within_s`, the command was not answered)."""
        loud = np.flatnonzero(np.abs(self.played.astype(np.int32)) > SOUND)
        delays: list[float | None] = []
        for utterance in self.said:
            ended = self.fed_at + utterance.end_s - self.recorded_at
            after = loud[loud >= round(ended * SPEAKER_RATE)]
            delay = after[0] / SPEAKER_RATE - ended if len(after) else None
            delays.append(delay if delay is not None and delay <= within_s else None)
        return delays

    def silence_delays(self, quiet_s: float = 0.1) -> list[float | None]:
        """For each of her commands, seconds from the end of her word to the first moment
        the speaker falls silent for `quiet_s` (the cue cut short, or ended by itself)."""
        loud = np.abs(self.played.astype(np.int32)) > SOUND
        window = round(quiet_s * SPEAKER_RATE)
        quiet = np.convolve(loud, np.ones(window), mode="valid") == 0
        delays: list[float | None] = []
        for utterance in self.said:
            ended = round((self.fed_at + utterance.end_s - self.recorded_at) * SPEAKER_RATE)
            after = np.flatnonzero(quiet[max(0, ended) :])
            delays.append(after[0] / SPEAKER_RATE if len(after) else None)
        return delays


def run_through_sound_server(folder: Path, barge_in: bool = False) -> LiveRun:
    """One session of `pumpcoach start` on a sound server of its own; about a minute. With
    `barge_in`, she talks over a long cue, and the speaker is heard in the microphone."""
    routine = folder / f"{ROUTINE_NAME}.toml"
    routine.write_text(BARGE_IN_ROUTINE if barge_in else ROUTINE)
    said = _her_recording(folder / "her.wav", BARGE_IN_SAID if barge_in else SAID)
    with SoundServer() as server:
        if barge_in:
            server.echo_into_mic()
        speaker = server.record_speaker()
        command = [sys.executable, "-m", "assistant"]
        command += ["start", str(routine)]
        app = subprocess.Popen(
            [*command, "--db", str(folder / "sessions.db")],
            env=server.env,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        time.sleep(1.0)  # the app opens the microphone
        fed_at = time.monotonic()
        server.feed_mic(folder / "her.wav").wait(timeout=120)
        out, err = _ended(app)
        played = speaker.stop()
    return LiveRun(out, err, app.returncode, said, fed_at, played, speaker.started)


def _her_recording(path: Path, commands: tuple[tuple[float, str], ...]) -> list[Utterance]:
    voice = WOMEN[0]
    said = [
        Utterance(text, t, t + len(speak(text, voice).samples) / 16_000) for t, text in commands
    ]
    write_wav(path, render(said, voice, PROFILES["double-electric"], 25.0, seed=3, tail_s=8.0))
    return said


def _ended(app: subprocess.Popen[str]) -> tuple[str, str]:
    """Her "finish" ends the session; if it was missed, Ctrl-C saves and quits, as for her."""
    try:
        return app.communicate(timeout=20)
    except subprocess.TimeoutExpired:
        app.send_signal(signal.SIGINT)
        return app.communicate(timeout=20)
