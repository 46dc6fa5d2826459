"""The endpointer on real synthetic audio: espeak-ng voices over the synthetic pumps.

Commands are placed at known times (each trimmed to its frames within 40 dB of its loudest),
so every segment can be checked against where the speech really is.
"""

from __future__ import annotations

import functools
import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from assistant.audio.mix import Signal, mix, noise_gain
from assistant.audio.pcm import FRAME_S, FRAME_SAMPLES, SAMPLE_RATE, Audio, Samples, to_int16
from assistant.audio.pump_noise import PROFILES, pump_noise
from assistant.audio.source import Frame, frames_of
from assistant.audio.voices import WOMEN, speak
from assistant.bench.chatter import CHATTER
from assistant.bench.segments import VOICES, Segment, Span, said
from assistant.bench.segments import segments as endpointer_segments
from assistant.hearing.endpointer import Endpointer, SpeechEnd, SpeechStart
from assistant.settings import RecognitionSettings

DEFAULTS = RecognitionSettings()
COMMANDS = ("next", "pause", "log sixty five millilitres", "resume", "how long is left")


def placed(
    clips: list[Signal], first_s: float, gap_s: float, tail_s: float = 2.0
) -> tuple[Signal, list[Span]]:
    """The clips one after another, `gap_s` apart from `first_s` on, and where each is."""
    spans: list[Span] = []
    t = first_s
    for clip in clips:
        spans.append((t, t + len(clip) / SAMPLE_RATE))
        t = spans[-1][1] + gap_s
    speech = np.zeros(round((spans[-1][1] + tail_s) * SAMPLE_RATE))
    for clip, (start, _) in zip(clips, spans, strict=True):
        at = round(start * SAMPLE_RATE)
        speech[at : at + len(clip)] = clip
    return speech, spans


def segments(samples: Samples, skip: list[Span] | None = None) -> list[Segment]:
    """Run the endpointer over `samples` (frames inside `skip` are never pushed)."""
    return endpointer_segments(frames_of(Audio(samples, SAMPLE_RATE)), DEFAULTS, skip or ())


def kept(found: list[Segment]) -> list[Segment]:
    return [s for s in found if not s.dropped]


def assert_each_found_once(found: list[Segment], spans: list[Span], tolerance: float) -> None:
    """Every span has exactly one kept segment, within `tolerance` at both ends; no others."""
    for start, end in spans:
        near = [s for s in kept(found) if s.start < end and s.end > start]
        assert len(near) == 1, f"speech at {start:.2f}-{end:.2f} s gave {near}"
        assert abs(near[0].start - start) <= tolerance, (near[0], start)
        assert abs(near[0].end - end) <= tolerance, (near[0], end)
    assert len(kept(found)) == len(spans), kept(found)


def test_clean_commands_give_one_tight_segment_each() -> None:
    """Five commands in five voices, 1.5 s apart in a quiet room: five segments, tight ends."""
    clips = [said(text, voice) for voice, text in enumerate(COMMANDS)]
    speech, spans = placed(clips, first_s=1.5, gap_s=1.5)
    found = segments(mix(speech, speech, None))
    assert_each_found_once(found, spans, tolerance=0.15)
    for segment in found:
        assert 0 <= segment.decided - segment.end <= DEFAULTS.hangover_s + 0.06


def test_a_quiet_room_with_mic_hiss_is_not_speech() -> None:
    """A minute of microphone hiss alone gives no segment at all."""
    hiss = to_int16(np.random.default_rng(3).normal(0, 30, 60 * SAMPLE_RATE))
    assert segments(hiss) == []


@pytest.mark.parametrize("profile", list(PROFILES))
def test_a_pump_alone_is_not_speech(profile: str) -> None:
    """A minute of each pump on its own gives at most one kept segment (none, so far)."""
    noise = to_int16(pump_noise(60.0, PROFILES[profile], seed=5) * 6000)
    assert len(kept(segments(noise))) <= 1


@pytest.mark.parametrize("snr_db", [10.0, 5.0])
@pytest.mark.parametrize("profile", ["double-electric", "wearable"])
def test_every_command_over_a_pump_is_found_once(profile: str, snr_db: float) -> None:
    """Commands over a running pump at 10 and 5 dB: each found once, ends within 0.25 s."""
    clips = [said(text, (2 * i + 1) % len(VOICES)) for i, text in enumerate(COMMANDS)]
    speech, spans = placed(clips, first_s=4.0, gap_s=2.0)
    noise = pump_noise(len(speech) / SAMPLE_RATE, PROFILES[profile], seed=2)
    assert_each_found_once(segments(mix(speech, noise, snr_db)), spans, tolerance=0.25)


def test_a_pump_starting_mid_stream_costs_at_most_one_segment() -> None:
    """The pump starts after 5 s of silence: one dropped segment at most, then all is heard."""
    clips = [said(text, i) for i, text in enumerate(COMMANDS[:3])]
    speech, spans = placed(clips, first_s=10.0, gap_s=2.0)
    noise = np.zeros(len(speech))
    at = 5 * SAMPLE_RATE
    noise[at:] = pump_noise((len(speech) - at) / SAMPLE_RATE, PROFILES["hospital-grade"], seed=1)
    samples = to_int16((speech + noise * noise_gain(speech, noise[at:], 5.0)) * 0.3)
    found = segments(samples)
    spurious = [s for s in found if s.end <= spans[0][0]]
    assert len(spurious) <= 1 and all(s.dropped for s in spurious)
    assert_each_found_once([s for s in found if s not in spurious], spans, tolerance=0.25)


def test_a_pump_stopping_mid_stream_leaves_commands_heard() -> None:
    """The pump stops after 8 s: commands in the quiet that follows are each found."""
    clips = [said(text, i + 1) for i, text in enumerate(COMMANDS[:3])]
    speech, spans = placed(clips, first_s=10.0, gap_s=1.5)
    noise = pump_noise(len(speech) / SAMPLE_RATE, PROFILES["double-electric"], seed=4)
    noise[8 * SAMPLE_RATE :] = 0.0
    samples = to_int16(speech + noise * noise_gain(speech, noise[: 8 * SAMPLE_RATE], 5.0))
    assert_each_found_once(segments(samples), spans, tolerance=0.15)


@functools.cache
def chatter() -> Signal:
    """About ten seconds of everyday words said without a pause."""
    return speak(" ".join(CHATTER[:5]), WOMEN[1]).samples.astype(np.float64)


def test_continuous_chatter_is_cut_dropped_and_then_a_command_is_heard() -> None:
    """Ten seconds of talk: one segment cut at max_speech_s and dropped; then a command is heard."""
    talk = chatter()
    assert len(talk) / SAMPLE_RATE > DEFAULTS.max_speech_s + 2
    speech, spans = placed([talk, said("next", 0)], first_s=2.0, gap_s=2.5)
    found = segments(mix(speech, speech, None))
    (talk_span, command_span) = spans
    during = [s for s in found if s.start < talk_span[1] + DEFAULTS.hangover_s]
    assert len(during) == 1 and during[0].dropped
    assert during[0].end - during[0].start == pytest.approx(DEFAULTS.max_speech_s, abs=0.05)
    assert_each_found_once([s for s in found if s not in during], [command_span], tolerance=0.15)


def test_after_a_gap_in_the_frames_commands_are_still_found() -> None:
    """Frames held back while the coach talks (3 s gaps) do not stop her answers being heard."""
    clips = [said(text, i) for i, text in enumerate(COMMANDS[:4])]
    speech, spans = placed(clips, first_s=7.5, gap_s=5.0)
    gaps = [(start - 3.5, start - 0.5) for start, _ in spans]
    noise = pump_noise(len(speech) / SAMPLE_RATE, PROFILES["let-down"], seed=3)
    assert_each_found_once(segments(mix(speech, noise, 10.0), skip=gaps), spans, tolerance=0.25)


def test_speech_start_carries_the_preroll_and_the_current_frame() -> None:
    """SpeechStart hands over preroll_s of audio before `t`, then everything up to this frame."""
    speech, spans = placed([said("pause", 2)], first_s=2.0, gap_s=1.0)
    endpointer = Endpointer(DEFAULTS)
    for frame in frames_of(Audio(mix(speech, speech, None), SAMPLE_RATE)):
        events = endpointer.push(frame)
        if events:
            (start,) = events
            assert isinstance(start, SpeechStart)
            assert start.preroll[-1] is frame.samples  # the listener relies on this identity
            handed_s = len(start.preroll) * FRAME_S
            before_s = int(DEFAULTS.preroll_s / FRAME_S + 1e-9) * FRAME_S  # whole frames
            assert handed_s == pytest.approx(frame.t + FRAME_S - start.t + before_s)
            assert abs(start.t - spans[0][0]) <= 0.1
            assert endpointer.in_speech
            return
    pytest.fail("no speech found")


def test_reset_forgets_the_utterance_without_an_end() -> None:
    """reset() mid-utterance: no SpeechEnd for it, and the next speech starts afresh."""
    speech, spans = placed([said("resume", 1), said("next", 3)], first_s=2.0, gap_s=1.5)
    endpointer = Endpointer(DEFAULTS)
    events: list[SpeechStart | SpeechEnd] = []
    was_reset = False
    for frame in frames_of(Audio(mix(speech, speech, None), SAMPLE_RATE)):
        events += endpointer.push(frame)
        if endpointer.in_speech and not was_reset:
            endpointer.reset()
            was_reset = True
            assert not endpointer.in_speech
            events.clear()
    kinds = [type(e) for e in events]
    assert kinds == [SpeechStart, SpeechEnd] * (len(kinds) // 2)  # no end for the forgotten one
    starts = [e.t for e in events if isinstance(e, SpeechStart)]
    assert any(abs(t - spans[1][0]) <= 0.15 for t in starts)


frame_samples = st.one_of(
    st.sampled_from(["silence", "loud", "noise", "tone"]),
    st.integers(min_value=0, max_value=2 * FRAME_SAMPLES),
)


def random_frame(kind: str | int, seed: int) -> Samples:
    rng = np.random.default_rng(seed)
    if isinstance(kind, int):  # odd lengths: the endpointer must cope
        return rng.integers(-32768, 32768, kind).astype(np.int16)
    level = {"silence": 0.0, "loud": 30000.0, "noise": 300.0, "tone": 8000.0}[kind]
    if kind == "tone":
        return to_int16(level * np.sin(np.arange(FRAME_SAMPLES) * rng.uniform(0.05, 2.5)))
    return to_int16(rng.normal(0, level, FRAME_SAMPLES))


@settings(max_examples=60, deadline=None)
@given(
    st.lists(
        st.tuples(
            frame_samples,
            st.sampled_from([1, 1, 1, 1, 0, -3, 7, 400, float("nan")]),
            st.integers(0, 2**32 - 1),
        ),
        min_size=1,
        max_size=400,
    )
)
def test_any_frames_never_raise_and_events_alternate(
    script: list[tuple[str | int, float, int]],
) -> None:
    """Random frames (odd sizes, gaps, time going back, NaN times): no error, events alternate."""
    endpointer = Endpointer(DEFAULTS)
    t, speaking, started = 0.0, False, 0.0
    for kind, step, seed in script:
        if math.isnan(step):  # a time stamp that is not a number
            stamp = float("nan")
        else:
            t += step * FRAME_S
            stamp = t
        for event in endpointer.push(Frame(random_frame(kind, seed), stamp)):
            if isinstance(event, SpeechStart):
                assert not speaking
                speaking, started = True, event.t
            else:
                assert speaking
                assert math.isfinite(event.t) and event.decided_t >= event.t
                assert event.dropped or event.t - started >= DEFAULTS.min_speech_s
                speaking = False
        assert endpointer.in_speech == speaking
