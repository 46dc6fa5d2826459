"""The live path through a real sound server: `pumpcoach start` on the real clock, her commands
played into a virtual microphone, the coach's answers recorded off the speaker's monitor.

Used by the live-path tests (does it work?) and by `scripts/bench_live.py` (how fast does the
coach react?): from the end of her word to the first sound of the coach's answer, or, when she
talked over the coach, to the moment it fell silent.
"""

from __future__ import annotations

import signal
import subprocess
import sys
import time
from dataclasses import dataclass
from itertools import pairwise
from pathlib import Path
from typing import Literal

import numpy as np
import numpy.typing as npt

from assistant.audio.pcm import Samples, write_wav
from assistant.audio.pump_noise import PROFILES
from assistant.audio.voices import WOMEN, speak
from assistant.bench.sound_server import SPEAKER_RATE, Recording, SoundServer
from assistant.demo.scenario import Utterance, render
from assistant.speech.live_speaker import sentences, without_lead_in
from assistant.speech.speaker import DEFAULT_RATE_WPM, DEFAULT_VOLUME, VoiceSettings
from assistant.speech.synthesis_worker import SynthesisWorker

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
microphone: "pause" falls in the middle of it, and "stop" in the middle of the cue read
again on "repeat"."""
SOUND = 300
"""A sample louder than this on the speaker's monitor is the coach talking."""
GAP_S = 0.2
"""A silence this long on the speaker's monitor, while it was talking, is a cue cut short
(when the coach's answer to her cannot be found after it)."""
MIN_MATCH = 0.3
"""The least normalised correlation at which the coach's answer, rendered again here, is
taken to be found on the speaker's monitor."""


@dataclass(frozen=True)
class Reaction:
    said: str
    kind: Literal["answer", "interrupt"]
    delay_s: float | None


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

    def reactions(self, within_s: float = 3.0) -> list[Reaction]:
        """For each of her commands, how the coach reacted and how fast, from the end of her
        word: if it was quiet then, to its next sound (its answer); if it was talking, to the
        moment it fell silent (the cue cut short). None: nothing within `within_s`.

        The answer to an interrupting command follows the cut within a few hundredths of a
        second, so no silence marks the cut. The answers the coach gave are rendered again
        and looked for on the monitor; the cut is the cue's last sound before the answer.
        Where no answer is found, the cut is the first silence of GAP_S, which a pause
        between two of the cue's sentences can flatter."""
        loud = np.abs(self.played.astype(np.int32)) > SOUND
        gap = round(GAP_S * SPEAKER_RATE)
        answers = [(t - self.welcome_t, text) for t, text in self.answers()]  # on her clock
        reactions = []
        for utterance in self.said:
            ended = round((self.fed_at + utterance.end_s - self.recorded_at) * SPEAKER_RATE)
            talking = bool(loud[max(0, ended - gap) : ended].any())
            if talking:
                near = [text for t, text in answers if -1 <= t - utterance.end_s <= within_s + 1]
                delay = self._cut(ended, loud, _rendered(near), within_s)
            else:
                after = np.flatnonzero(loud[ended:])
                delay = after[0] / SPEAKER_RATE if len(after) else None
            in_time = delay if delay is not None and delay <= within_s else None
            kind: Literal["answer", "interrupt"] = "interrupt" if talking else "answer"
            reactions.append(Reaction(utterance.text, kind, in_time))
        return reactions

    def _cut(
        self, ended: int, loud: npt.NDArray[np.bool_], answers: list[Samples], within_s: float
    ) -> float | None:
        """Seconds from `ended` to the cue's last sound before the coach's answer, else to the
        speaker's first silence of GAP_S."""
        longest = max((len(answer) for answer in answers), default=0)
        window = self.played[ended : ended + round(within_s * SPEAKER_RATE) + longest]
        answer = _found(window, answers)
        if answer is not None:
            before = np.flatnonzero(loud[ended : ended + answer])
            return (before[-1] + 1 if len(before) else 0) / SPEAKER_RATE
        gap = round(GAP_S * SPEAKER_RATE)
        sounds = np.concatenate([[0], np.cumsum(loud[ended:])])
        after = np.flatnonzero(sounds[gap:] == sounds[:-gap])  # no sound in the next GAP_S
        return after[0] / SPEAKER_RATE if len(after) else None

    @property
    def welcome_t(self) -> float:
        """The session's time, in the live view, of its first cue: when her recording began."""
        return min(_seconds(line) for line in self.out.splitlines() if " coach: " in line)

    def answers(self) -> list[tuple[float, str]]:
        """What the coach said right after each command it acted on, at the live view's time
        (whole seconds)."""
        lines = [line for line in self.out.splitlines() if " you: " in line or " coach: " in line]
        return [
            (_seconds(answer), answer.split(" coach: ", 1)[1])
            for heard, answer in pairwise(lines)
            if " you: " in heard and "(not a command)" not in heard and " coach: " in answer
        ]


def _seconds(line: str) -> float:
    minutes, seconds = line.split()[0].split(":")
    return 60 * int(minutes) + int(seconds)


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
        app = start_app(server, routine, folder / "sessions.db")
        await_first_words(speaker, app)
        fed_at = time.monotonic()
        server.feed_mic(folder / "her.wav").wait(timeout=120)
        out, err = _ended(app)
        played = speaker.stop()
    return LiveRun(out, err, app.returncode, said, fed_at, played, speaker.started)


def _rendered(texts: list[str]) -> list[Samples]:
    """The first sentence of each text as the live speaker plays it (it renders a sentence at
    a time): at the default voice, resampled to 16 kHz for the output, and to the monitor's
    rate here."""
    worker = SynthesisWorker()
    settings = VoiceSettings(DEFAULT_RATE_WPM, DEFAULT_VOLUME)
    firsts = [sentences(text)[0] for text in texts if sentences(text)]
    try:
        rendered = [worker.submit(text, settings).result() for text in firsts]
    finally:
        worker.close()
    played = [without_lead_in(audio.resampled(16_000)) for audio in rendered]
    return [audio.resampled(SPEAKER_RATE).samples for audio in played]


def _found(window: Samples, answers: list[Samples]) -> int | None:
    """Where in `window` one of `answers` begins (the best match, if good enough): at the
    start of the short silence the speech engine puts before its first word."""
    best, where = MIN_MATCH, None
    heard = window.astype(np.float64)
    power = np.concatenate([[0.0], np.cumsum(heard**2)])
    for answer in answers:
        template = answer.astype(np.float64)
        size = len(heard) - len(template) + 1
        if size <= 0:
            continue
        n = len(heard) + len(template)
        spectrum = np.fft.rfft(heard, n) * np.conj(np.fft.rfft(template, n))
        correlation = np.fft.irfft(spectrum, n)[:size]
        own = np.sum(template**2)
        stretch = np.maximum(power[len(template) :][:size] - power[:size], own / 100)  # not silence
        match = correlation / np.sqrt(stretch * own)
        k = int(np.argmax(match))
        if match[k] > best:
            best, where = match[k], k
    return where


def start_app(server: SoundServer, routine: Path, db: Path) -> subprocess.Popen[str]:
    """`pumpcoach start` on the sound server, its live view and errors captured."""
    return subprocess.Popen(
        [sys.executable, "-m", "assistant", "start", str(routine), "--db", str(db)],
        env=server.env,
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def await_first_words(
    speaker: Recording, app: subprocess.Popen[str], timeout_s: float = 60
) -> None:
    """Wait until the coach has begun its welcome: the app has started and its microphone is
    open. Her commands are timed from there, whatever the app took to start."""
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline and app.poll() is None:
        if (np.abs(speaker.so_far().astype(np.int32)) > SOUND).any():
            return
        time.sleep(0.1)


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
    try:
        return app.communicate(timeout=20)
    except subprocess.TimeoutExpired:
        app.kill()  # never left running to disturb what runs next
        out, err = app.communicate()
        return out, err + "\n(still running 20 s after Ctrl-C: killed)"
