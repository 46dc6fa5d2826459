"""Barge-in: her commands said over the coach's cues.

Each set's 10 dB command clips are heard again with the coach talking under them: the cues of
four routines back to back (OVER_CUE_GAP_S apart, so nearly every command falls on a cue),
the coach's voice brought to her speech level and echoed through a room (the delay and
reverberation of `runtime.recording.Echo`) at OVER_CUE_ECHO_DB. The echo canceller is fed the
cues as played and starts cold at each clip, as it does at the start of a session; heard
"warm", each clip is played twice and only the second time counts, as in the middle of a
session. As in a session, a command heard over the coach that the cues under it read as is
not taken (`runtime.own_words`).
"""

from __future__ import annotations

import dataclasses
import json
from collections.abc import Callable
from pathlib import Path

import numpy as np

from assistant.audio.pcm import SAMPLE_RATE, Audio, Samples, read_wav, to_int16, write_wav
from assistant.audio.source import frames_of
from assistant.bench.corpus import Clip
from assistant.hearing.echo import Played
from assistant.hearing.listener import Heard
from assistant.routines.loader import find_routine
from assistant.runtime.own_words import OwnWords
from assistant.runtime.recording import Echo
from assistant.speech.wav_speaker import WavSpeaker

OVER_CUE_SNR = 10.0
"""The clips her commands come from (dB of her speech over the pump)."""
OVER_CUE_ECHO_DB = -6.0
"""The coach's echo against her voice."""
OVER_CUE_GAP_S = 0.6
CUE_ROUTINES = ("mss", "warm-up", "four-steps", "hands-on")
TRACK = "cue-track.wav"
TEXTS = "cue-track.json"
"""Each cue of the track: its words, and when it started."""
AUDIBLE = 30
"""A cue sample at least this far from zero is the coach sounding (for levels)."""


def over_cue_clips(clips: list[Clip]) -> list[Clip]:
    return [c for c in clips if c.kind == "commands" and c.snr_db == OVER_CUE_SNR]


def write_cue_track(folder: Path, seconds: float) -> None:
    """The routines' cues, then their safety notes, back to back for `seconds`."""
    path = folder / TRACK
    if path.exists() and (folder / TEXTS).exists() and read_wav(path).duration_s >= seconds:
        return
    texts: list[str] = []
    for name in CUE_ROUTINES:
        routine = find_routine(name, None)
        texts += [step.cue for step in routine.steps] + list(routine.safety)
    speaker = WavSpeaker(None)
    try:
        t, i = 0.0, 0
        while t < seconds:
            speaker.say(texts[i % len(texts)], t)
            t, i = speaker.spans[-1].end_s + OVER_CUE_GAP_S, i + 1
        write_wav(path, Audio(speaker.render(), SAMPLE_RATE))
        starts = [(span.text, span.start_s) for span in speaker.spans]
        (folder / TEXTS).write_text(json.dumps(starts))
    finally:
        speaker.close()


class _Track:
    """The cue track as a speaker's timeline, at a level of its own."""

    def __init__(self, samples: Samples, gain: float) -> None:
        self._samples = samples.astype(np.float64) * gain

    def audio_between(self, start_s: float, end_s: float) -> Samples:
        start, end = round(start_s * SAMPLE_RATE), round(end_s * SAMPLE_RATE)
        out = np.zeros(max(0, end - start))
        lo, hi = max(start, 0), min(end, len(self._samples))
        if hi > lo:
            out[lo - start : hi - start] = self._samples[lo:hi]
        return to_int16(out)

    def played(self, t: float, samples: int) -> Samples:
        """The echo canceller's reference (a `Played`)."""
        return self.audio_between(t, t + samples / SAMPLE_RATE)


Hearer = Callable[[Audio, Played], list[Heard]]


def with_cues(folder: Path, clip: Clip, audio: Audio) -> tuple[Audio, Played]:
    """The clip with the coach's echo in it, and what the speaker played (the reference)."""
    cues = read_wav(folder / TRACK).samples[: len(audio.samples)]
    cues = np.pad(cues, (0, len(audio.samples) - len(cues)))
    speech = np.concatenate(
        [
            audio.samples[round(s.start_s * SAMPLE_RATE) : round(s.end_s * SAMPLE_RATE)]
            for s in clip.said
        ]
    ).astype(np.float64)
    sounding = cues[np.abs(cues) >= AUDIBLE].astype(np.float64)
    gain = float(np.sqrt(np.mean(speech**2)) / np.sqrt(np.mean(sounding**2)))
    track = _Track(cues, gain)
    echo = Echo(track, OVER_CUE_ECHO_DB)
    mixed = np.concatenate([echo(f.samples, f.t) for f in frames_of(audio)])
    return Audio(mixed, SAMPLE_RATE), track.played


def heard_warm(folder: Path, clip: Clip, audio: Audio, hear: Hearer) -> list[Heard]:
    """What is heard of the clip over the cues after the canceller and the endpointer have
    already heard the coach for the clip's length, as in the middle of a session: the clip
    is played twice, and only the second time counts (its times as in the clip)."""
    lead = audio.duration_s
    twice = Audio(np.concatenate([audio.samples, audio.samples]), audio.sample_rate)
    mixed, played = with_cues(folder, clip, twice)
    heard = without_own_words(folder, hear(mixed, played))
    return [
        dataclasses.replace(
            h, start_s=h.start_s - lead, end_s=h.end_s - lead, decided_s=h.decided_s - lead
        )
        for h in heard
        if h.end_s > lead
    ]


def without_own_words(folder: Path, heard: list[Heard]) -> list[Heard]:
    """What a session would act on: a command heard over the coach is dropped if the cues
    said before it began read as it (as `SessionRunner.command` does)."""
    starts = json.loads((folder / TEXTS).read_text())
    kept = []
    for said in heard:
        command = said.command
        if command is not None and command.over_coach:
            own = OwnWords()
            for text, start_s in starts:
                if start_s <= said.start_s:
                    own.said(text)
            if own.could_be(command):
                said = dataclasses.replace(said, command=None)
        kept.append(said)
    return kept
