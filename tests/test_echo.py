"""The coach's echo: simulated on recordings (delayed, through a room), and taken out of the
microphone by the real echo canceller, with her words said over a cue kept."""

from __future__ import annotations

import numpy as np
import numpy.typing as npt
import pytest

from assistant.audio.pcm import FRAME_SAMPLES, SAMPLE_RATE, Samples, to_int16
from assistant.audio.room import convolve, impulse_response
from assistant.audio.source import Frame
from assistant.audio.voices import FLITE_WOMEN, WOMEN, speak
from assistant.hearing.echo_speex import SpeexEchoCanceller
from assistant.hearing.endpointer import Endpointer, SpeechStart
from assistant.runtime.recording import Echo
from assistant.settings import RecognitionSettings

Signal = npt.NDArray[np.float64]
CUE = "Warmth. Place a warm cloth over each breast for a minute, then breathe in slowly."


def _cue() -> Signal:
    """The cue three times over (18 s): the canceller learns the room from the coach's voice."""
    return np.tile(speak(CUE, WOMEN[2]).samples.astype(np.float64), 3)


def _echoed(cue: Signal, gain_db: float, delay_s: float) -> Signal:
    late = np.concatenate([np.zeros(round(delay_s * SAMPLE_RATE)), cue])[: len(cue)]
    noise = np.random.default_rng(0).normal(0, 30, len(cue))
    return convolve(late, impulse_response(0.3, -6, seed=1)) * 10 ** (gain_db / 20) + noise


def _cancelled(heard: Signal, played: Signal) -> Signal:
    canceller = SpeexEchoCanceller()
    frames = range(0, len(heard) - FRAME_SAMPLES + 1, FRAME_SAMPLES)
    out = [
        canceller.cancel(
            to_int16(heard[i : i + FRAME_SAMPLES]), to_int16(played[i : i + FRAME_SAMPLES])
        )
        for i in frames
    ]
    return np.concatenate(out).astype(np.float64)


def _db(signal: Signal) -> float:
    return float(10 * np.log10(np.mean(signal**2) + 1e-9))


@pytest.mark.parametrize(
    ("gain_db", "delay_s", "down_db"),
    [(0.0, 0.05, 22), (-6.0, 0.12, 22), (6.0, 0.05, 17), (0.0, 0.2, 17)],
)
def test_the_coachs_echo_is_taken_out_once_the_canceller_has_learnt_the_room(
    gain_db: float, delay_s: float, down_db: float
) -> None:
    """After 12 s of the coach's voice, what is left of its echo is `down_db` down (a loud
    speaker, or one 200 ms late as a Bluetooth one can be, leaves more)."""
    cue = _cue()
    heard = _echoed(cue, gain_db, delay_s)
    out = _cancelled(heard, cue)
    settled = slice(12 * SAMPLE_RATE, len(out))
    assert _db(heard[settled]) - _db(out[settled]) >= down_db


def test_her_words_over_a_cue_come_through() -> None:
    """ "pause" said at the same level as the echo, once the room is learnt, loses at most
    3 dB; with the canceller, the echo around it is far below her."""
    cue, her = _cue(), speak("pause", FLITE_WOMEN[0]).samples.astype(np.float64)
    heard = _echoed(cue, 0.0, 0.05)
    at = 14 * SAMPLE_RATE
    heard[at : at + len(her)] += her
    out = _cancelled(heard, cue)
    said = slice(at, at + len(her))
    assert _db(out[said]) >= _db(her) - 3
    before = slice(at - SAMPLE_RATE, at)
    assert _db(out[said]) - _db(out[before]) >= 15


class Spoken:
    """A speaker's timeline holding one cue from `at_s` (a WavSpeaker's, without pyttsx3,
    whose one engine would carry this test's settings into later sessions in this process)."""

    def __init__(self, clip: Samples, at_s: float) -> None:
        self._timeline = np.concatenate([np.zeros(round(at_s * SAMPLE_RATE), np.int16), clip])

    def audio_between(self, start_s: float, end_s: float) -> Samples:
        start, end = round(start_s * SAMPLE_RATE), round(end_s * SAMPLE_RATE)
        padded = np.pad(self._timeline, (max(0, -start), max(0, end - len(self._timeline))))
        return padded[max(0, start) : max(0, start) + end - start]


@pytest.mark.parametrize(("delay_s", "gain_db"), [(0.05, 0.0), (0.2, -6.0)])
def test_a_recordings_echo_comes_late_and_rings_on(delay_s: float, gain_db: float) -> None:
    """`run --echo-gain`: the cue reaches the input `delay_s` after it is spoken, and the
    room carries it on after the cue ends."""
    speaker = Spoken(speak("Next step.", WOMEN[0]).samples, at_s=0.5)
    cue = speaker.audio_between(0.0, 3.0).astype(np.float64)
    echo = Echo(speaker, gain_db, delay_s)
    quiet: Samples = np.zeros(FRAME_SAMPLES, np.int16)
    frames = range(3 * SAMPLE_RATE // FRAME_SAMPLES)
    heard = np.concatenate([echo(quiet, i * FRAME_SAMPLES / SAMPLE_RATE) for i in frames])
    heard = heard.astype(np.float64)
    first_sound = int(np.argmax(np.abs(cue) > 100))
    late = round(delay_s * SAMPLE_RATE)
    assert not np.abs(heard[: first_sound + late - 1]).any()
    assert np.abs(heard[first_sound + late : first_sound + late + 400]).max() > 100
    last_sound = len(cue) - int(np.argmax(np.abs(cue[::-1]) > 100))
    assert np.abs(heard[last_sound + late + 800 : last_sound + late + 1600]).max() > 0
    level = _db(heard[first_sound + late :]) - _db(cue[first_sound:])
    assert abs(level - gain_db) < 3


def _frames_of(signal: Signal, start_s: float) -> list[Frame]:
    count = len(signal) // FRAME_SAMPLES
    return [
        Frame(to_int16(signal[i * FRAME_SAMPLES : (i + 1) * FRAME_SAMPLES]), start_s + i * 0.02)
        for i in range(count)
    ]


@pytest.mark.parametrize(
    ("residue_db", "her_db", "clipped", "starts"),
    [
        (-20.0, None, False, False),  # what the canceller leaves of the coach: not her
        (-6.0, None, False, False),  # a canceller still learning the room: not her either
        (-20.0, 0.0, False, True),  # her word as loud as the coach: heard over it
        (-20.0, 0.0, True, False),  # the coach overloading the mic: nothing can be told
    ],
)
def test_her_onset_must_stand_above_what_is_left_of_the_coachs_echo(
    residue_db: float, her_db: float | None, clipped: bool, starts: bool
) -> None:
    rng = np.random.default_rng(2)
    endpointer = Endpointer(RecognitionSettings())
    pump = rng.normal(0, 100, 6 * SAMPLE_RATE)
    for frame in _frames_of(pump, 0.0):  # the room alone first
        endpointer.play(np.zeros(FRAME_SAMPLES, dtype=np.int16), clipped=False)
        assert endpointer.push(frame) == []
    cue = _cue()[: 8 * SAMPLE_RATE]
    heard = rng.normal(0, 100, len(cue)) + cue * 10 ** (residue_db / 20)
    if her_db is not None:
        her = speak("pause", FLITE_WOMEN[0]).samples.astype(np.float64)
        at = 6 * SAMPLE_RATE
        heard[at : at + len(her)] += her * 10 ** (her_db / 20)
    events = []
    for frame, played in zip(_frames_of(heard, 6.0), _frames_of(cue, 6.0), strict=True):
        endpointer.play(played.samples, clipped=clipped)
        events += endpointer.push(frame)
    assert any(isinstance(e, SpeechStart) for e in events) == starts


@pytest.mark.parametrize(
    ("her_db", "starts"),
    [
        (None, False),  # the canceller lost the room in the silence: what it leaves is not her
        (12.0, True),  # her word, 18 dB above what is left, is still heard
    ],
)
def test_after_a_silence_what_is_left_of_the_echo_is_learnt_afresh(
    her_db: float | None, starts: bool
) -> None:
    """The canceller left little of the coach's first cue (20 dB down); while the coach was
    silent, the echo path moved, and of the next cue it leaves much more (6 dB down) until
    it finds the room again. That residue is the coach, not her."""
    rng = np.random.default_rng(3)
    endpointer = Endpointer(RecognitionSettings())
    cue = _cue()[: 6 * SAMPLE_RATE]
    silence = np.zeros(3 * SAMPLE_RATE)
    played = np.concatenate([np.zeros(6 * SAMPLE_RATE), cue, silence, cue])
    residue = np.concatenate(
        [np.zeros(6 * SAMPLE_RATE), cue * 10 ** (-20 / 20), silence, cue * 10 ** (-6 / 20)]
    )
    heard = rng.normal(0, 100, len(played)) + residue
    if her_db is not None:
        her = speak("pause", FLITE_WOMEN[0]).samples.astype(np.float64)
        at = 17 * SAMPLE_RATE
        heard[at : at + len(her)] += her * 10 ** (her_db / 20)
    starts_at = []
    for frame, out in zip(_frames_of(heard, 0.0), _frames_of(played, 0.0), strict=True):
        endpointer.play(out.samples, clipped=False)
        starts_at += [e.t for e in endpointer.push(frame) if isinstance(e, SpeechStart)]
    in_second_cue = [t for t in starts_at if t >= 15.0]
    assert len(in_second_cue) == (1 if starts else 0), starts_at
    assert all(16.8 <= t <= 17.5 for t in in_second_cue), starts_at
