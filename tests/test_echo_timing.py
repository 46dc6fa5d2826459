"""Keeping the canceller's reference on the echo's time: the live speaker's log across
underruns, and the delay tracker following an echo whose delay moves."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from assistant.audio.pcm import FRAME_SAMPLES, SAMPLE_RATE, Samples
from assistant.audio.source import Frame
from assistant.audio.voices import WOMEN, speak
from assistant.hearing.echo import EchoRemoval, Played
from assistant.hearing.echo_delay import DelayTracker
from assistant.hearing.echo_speex import SpeexEchoCanceller
from assistant.speech.played_log import PlayedLog

BLOCK = 139
"""Samples per output callback, as PulseAudio's ALSA plugin hands them over."""


def _tone(n: int) -> Samples:
    return (np.arange(n) % 1000 + 1).astype(np.int16)


@given(jitter_ms=st.lists(st.floats(-2.0, 2.0), min_size=40, max_size=40))
def test_blocks_follow_each_other_by_count_whatever_the_reported_times(
    jitter_ms: list[float],
) -> None:
    """Reported times jitter by a millisecond or two; the log keeps the samples contiguous."""
    log, sound = PlayedLog(), _tone(40 * BLOCK)
    for k, jitter in enumerate(jitter_ms):
        log.record(sound[k * BLOCK : (k + 1) * BLOCK], 5.0 + k * BLOCK / SAMPLE_RATE + jitter / 1e3)
    assert np.array_equal(log.played(5.0 + jitter_ms[0] / 1e3, len(sound)), sound)


def test_after_an_underrun_the_log_follows_the_device_and_keeps_what_came_before() -> None:
    """The device played 40 ms of silence while the machine was busy: what came after it
    sounded 40 ms later than the count says, and what came before is still asked for."""
    log, sound = PlayedLog(), _tone(20 * BLOCK)
    for k in range(20):
        stall = 0.04 if k >= 10 else 0.0
        log.record(sound[k * BLOCK : (k + 1) * BLOCK], 1.0 + k * BLOCK / SAMPLE_RATE + stall)
    got = log.played(1.0, 20 * BLOCK + 640)
    before, gap = 10 * BLOCK, 640
    assert np.array_equal(got[:before], sound[:before])
    assert not got[before : before + gap].any()
    assert np.array_equal(got[before + gap :], sound[before:])


def test_what_is_older_than_the_log_keeps_reads_as_silence() -> None:
    log = PlayedLog(keep_s=0.1)
    sound = _tone(SAMPLE_RATE)
    for k in range(0, SAMPLE_RATE, BLOCK):
        log.record(sound[k : k + BLOCK], k / SAMPLE_RATE)
    assert not log.played(0.0, 320).any()
    assert np.array_equal(log.played(0.9, 320), sound[round(0.9 * SAMPLE_RATE) :][:320])


def _cue() -> Samples:
    text = "Rest now. Let your shoulders drop and your jaw soften, and breathe in slowly."
    return np.tile(speak(text, WOMEN[1]).samples, 4)


def _heard_with_moving_delay(cue: Samples, delays_ms: list[tuple[float, float]]) -> Samples:
    """The cue's echo at half level, its delay stepping at the given times, over faint noise."""
    heard = np.random.default_rng(0).normal(0, 100, len(cue))
    for k, (from_s, delay_ms) in enumerate(delays_ms):
        until = round(delays_ms[k + 1][0] * SAMPLE_RATE) if k + 1 < len(delays_ms) else len(cue)
        at = np.arange(round(from_s * SAMPLE_RATE), until)
        source = at - round(delay_ms * SAMPLE_RATE / 1000)
        heard[at[source >= 0]] += 0.5 * cue[source[source >= 0]]
    return heard.astype(np.int16)


def _played_from(cue: Samples) -> Played:
    def played(t: float, samples: int) -> Samples:
        start, out = round(t * SAMPLE_RATE), np.zeros(samples, dtype=np.int16)
        lo, hi = max(start, 0), min(start + samples, len(cue))
        if hi > lo:
            out[lo - start : hi - start] = cue[lo:hi]
        return out

    return played


@pytest.mark.parametrize(("step_ms", "then_ms"), [(67.0, 88.0), (70.0, 52.0), (40.0, 240.0)])
def test_the_tracker_finds_the_echos_new_delay_within_a_second(
    step_ms: float, then_ms: float
) -> None:
    cue = _cue()
    heard = _heard_with_moving_delay(cue, [(0.0, step_ms), (6.0, then_ms)])
    tracker = DelayTracker(_played_from(cue))
    shifts = {}
    for i in range(0, len(cue) - FRAME_SAMPLES, FRAME_SAMPLES):
        tracker.reference(Frame(heard[i : i + FRAME_SAMPLES], i / SAMPLE_RATE))
        shifts[round(i / SAMPLE_RATE, 2)] = tracker.shift_s
    assert shifts[5.9] == 0.0  # the first delay found is the one the canceller learns
    assert shifts[7.0] == pytest.approx((then_ms - step_ms) / 1000, abs=0.0005)


def test_the_canceller_keeps_the_echo_down_when_its_delay_jumps() -> None:
    """A 21 ms jump at 6 s (as an underrun makes): within two seconds the echo is back
    well down, because the canceller is fed a reference moved by the jump and has nothing
    to learn again. Untracked, it is about 2 dB down over the same stretch."""
    cue = _cue()
    heard = _heard_with_moving_delay(cue, [(0.0, 67.0), (6.0, 88.0)])
    removal = EchoRemoval(SpeexEchoCanceller(), _played_from(cue))
    out = [
        removal.remove(Frame(heard[i : i + FRAME_SAMPLES], i / SAMPLE_RATE))[0].samples
        for i in range(0, len(heard) - FRAME_SAMPLES + 1, FRAME_SAMPLES)
    ]
    after = slice(7 * SAMPLE_RATE, 10 * SAMPLE_RATE)
    left = np.concatenate(out).astype(np.float64)[after]
    down = 10 * np.log10(np.mean(heard[after].astype(np.float64) ** 2) / np.mean(left**2))
    assert down >= 12.0
