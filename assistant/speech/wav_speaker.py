"""Cues laid on a session timeline and written to one WAV file (`--speak-to OUT.wav`).

Used with the virtual clock: `say()` waits until its cue is rendered so the timeline (and
so `spans`, which the mic gate reads) is always known up to the latest cue.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import numpy.typing as npt

from assistant.audio.pcm import Audio, Samples, encode_wav
from assistant.errors import AudioError
from assistant.private_files import check_replaceable, private_output, why_not
from assistant.speech.speaker import (
    AUDIBLE_BLOCK_S,
    DEFAULT_RATE_WPM,
    DEFAULT_VOLUME,
    CueSpan,
    VoiceSettings,
    audible_blocks,
)
from assistant.speech.synthesis_worker import SynthesisWorker

WAV_RATE_HZ = 16000
"""Sample rate of the written file (what the recognisers expect)."""
SAY_TIMEOUT_S = 30.0
"""Longest wait for one cue to render."""
FADE_S = 0.01
"""Fade-out applied where a cue is cut short, so the cut does not click."""


@dataclass(slots=True)
class _Cue:
    text: str
    clip: Samples
    start: int
    end: int
    """Sample index where the cue stops sounding (before len(clip) if it was cut short)."""
    audible: npt.NDArray[np.bool_]
    """Per block of the clip, whether it carries sound (see `audible_blocks`)."""


class WavSpeaker:
    """Places each cue at its session time and writes the whole timeline on `close()`."""

    def __init__(
        self,
        path: str | Path | None,
        rate_wpm: int = DEFAULT_RATE_WPM,
        volume: float = DEFAULT_VOLUME,
        voice: str | None = None,
        sample_rate: int = WAV_RATE_HZ,
    ) -> None:
        """path=None keeps the timeline in memory only (see `render()`)."""
        self._path = Path(path) if path is not None else None
        if self._path is not None and not self._path.parent.is_dir():
            msg = f"Cannot write the speech recording {self._path} (no folder {self._path.parent})."
            raise AudioError(msg)
        if self._path is not None:
            try:
                check_replaceable(self._path)  # refused now, not after the whole session
            except OSError as error:
                msg = f"Cannot write the speech recording {self._path}: {why_not(error)}."
                raise AudioError(msg) from error
        self._settings = VoiceSettings(rate_wpm, volume)
        self._rate = sample_rate
        self._cues: list[_Cue] = []
        self._lock = threading.Lock()
        self._closed = False
        self._worker = SynthesisWorker(voice, name="pumpcoach-tts-wav")

    @property
    def sample_rate(self) -> int:
        return self._rate

    @property
    def spans(self) -> list[CueSpan]:
        """Each cue that sounded, with its final start and end in session seconds."""
        with self._lock:
            return [CueSpan(c.text, c.start / self._rate, c.end / self._rate) for c in self._cues]

    def say(self, text: str, t: float, interrupt: bool = False) -> None:
        """Render `text` and place it: at `t` if interrupting, else after the cue before it."""
        if self._closed:
            msg = "say() after close()"
            raise RuntimeError(msg)
        clip = self._render_cue(text) if text.strip() else None
        at = max(0, round(t * self._rate))
        with self._lock:
            if interrupt:
                self._cut_at(at)
            if clip is None or len(clip) == 0:
                return
            start = at if interrupt or not self._cues else max(at, self._cues[-1].end)
            audible = audible_blocks(clip, self._rate)
            self._cues.append(_Cue(text, clip, start, start + len(clip), audible))

    def _render_cue(self, text: str) -> Samples:
        future = self._worker.submit(text, self._settings)
        try:
            audio = future.result(timeout=SAY_TIMEOUT_S)
        except TimeoutError as error:
            msg = f"Text-to-speech took longer than {SAY_TIMEOUT_S:g} s for one cue."
            raise AudioError(msg) from error
        return audio.resampled(self._rate).samples

    def _cut_at(self, at: int) -> None:
        """Stop whatever is sounding at sample `at`; drop cues that had not started."""
        kept = [c for c in self._cues if c.start < at]
        for cue in kept:
            cue.end = min(cue.end, at)
        self._cues = kept

    def set_voice(self, rate_wpm: int, volume: float) -> None:
        self._settings = VoiceSettings(rate_wpm, volume)

    def is_sounding(self, t: float) -> bool:
        """Whether a cue is audible at session time `t` (for the mic gate).

        Silent stretches inside a cue (between its sentences) are not sounding: the gate's tail
        keeps the mic shut across them, and the endpointer can hear the pump there.
        """
        at = round(t * self._rate)
        with self._lock:
            # Cues are in time order and never overlap: only the last one begun can sound.
            begun = next((c for c in reversed(self._cues) if c.start <= at), None)
            if begun is None or at >= begun.end:
                return False
            block = int((at - begun.start) / (AUDIBLE_BLOCK_S * self._rate))
            return bool(begun.audible[min(block, len(begun.audible) - 1)])

    def audio_between(self, start_s: float, end_s: float) -> Samples:
        """What the speaker sounds from `start_s` to `end_s` (zeros where it is silent).

        Used to play the cues back into a recording as a room would (`--echo-gain`); it reads
        the timeline as it stands, so a cue cut short later is heard only until its cut.
        """
        start = round(start_s * self._rate)
        return self._between(start, max(start, round(end_s * self._rate)))

    def played(self, t: float, samples: int) -> Samples:
        """`samples` of what the speaker sounds from `t` on: the echo canceller's reference."""
        start = round(t * self._rate)
        return self._between(start, start + samples)

    def _between(self, start: int, end: int) -> Samples:
        out = np.zeros(end - start, dtype=np.int16)
        with self._lock:
            cues = [c for c in self._cues if c.start < end and c.end > start]
        for cue in cues:
            lo, hi = max(start, cue.start), min(end, cue.end)
            out[lo - start : hi - start] = cue.clip[lo - cue.start : hi - cue.start]
        return out

    def render(self) -> Samples:
        """The timeline so far: int16 mono at `sample_rate`, from 0 to the end of the last cue."""
        with self._lock:
            cues = list(self._cues)
        out = np.zeros(max((c.end for c in cues), default=0), dtype=np.int16)
        fade = round(FADE_S * self._rate)
        for cue in cues:
            part = cue.clip[: cue.end - cue.start]
            if len(part) < len(cue.clip) and fade:
                part = part.copy()
                tail = part[-fade:]
                tail[:] = (tail * np.linspace(1.0, 0.0, len(tail))).astype(np.int16)
            out[cue.start : cue.end] = part
        return out

    def close(self) -> None:
        """Stop the synthesis thread and write the WAV (if a path was given). Idempotent."""
        if self._closed:
            return
        self._closed = True
        self._worker.close()
        if self._path is not None:
            save_wav(self._path, Audio(self.render(), self._rate))


def save_wav(path: Path, audio: Audio) -> None:
    """Write `audio` as mono 16-bit PCM, readable by her alone: a session's cues and a demo
    recording tell when she pumped and what she said (see `private_files`)."""
    try:
        with private_output(path) as out:
            encode_wav(out, audio)
    except OSError as error:
        raise AudioError(f"Cannot write {path}: {why_not(error)}.") from error
