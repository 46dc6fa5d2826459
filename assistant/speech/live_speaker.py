"""Cues spoken through the computer's speakers or headphones, with sounddevice.

Three layers, so the scheduling can be tested on a machine without a sound card:
`ClipPlayer` feeds queued clips to the output callback, `CueQueue` renders cues on a
synthesis thread and drops stale ones when a cue interrupts, and `LiveSpeaker` adds the
device. sounddevice is imported only when a `LiveSpeaker` is built, because importing
it fails (OSError) where the PortAudio library is missing.
"""

from __future__ import annotations

import contextlib
import logging
import re
import threading
import time
from collections import deque
from collections.abc import Callable
from concurrent.futures import Future
from functools import partial
from typing import Any

import numpy as np
import numpy.typing as npt

from assistant.audio.pcm import SAMPLE_RATE, Audio, Samples
from assistant.errors import AudioError
from assistant.speech.played_log import PlayedLog
from assistant.speech.pyttsx3_tts import ESPEAK_RATE_HZ
from assistant.speech.speaker import (
    AUDIBLE_BLOCK_S,
    DEFAULT_RATE_WPM,
    DEFAULT_VOLUME,
    VoiceSettings,
    audible_blocks,
)
from assistant.speech.synthesis_worker import SynthesisWorker

log = logging.getLogger(__name__)

FADE_S = 0.01
"""Fade-out when a cue is interrupted, so the cut does not click."""
CLOSE_TIMEOUT_S = 10.0
"""Longest `close()` waits for queued speech to finish."""
OUTPUT_LATENCY_S = 0.08
"""How much sound the device holds ahead. PortAudio's default through PulseAudio is 8 ms,
and the output callback needs Python's lock: while the recognizer held it, the buffer ran
dry and the coach's voice broke up. Every answer and every cut cue comes this much later,
so it is no longer than it needs to be."""
NO_OUTPUT = (
    "No audio output device (speakers or headphones) was found; cues will be printed instead."
)


class ClipPlayer:
    """Plays queued int16 clips one after another from an output-stream callback.

    Thread-safe: clips are added from the synthesis thread, consumed on the audio thread.
    """

    def __init__(self, sample_rate: int, tail_s: float = 0.0, log: PlayedLog | None = None) -> None:
        """`tail_s`: how long sound still leaves the device after the last sample is handed
        over. `log`: told every block handed over (16 kHz only), for the echo canceller."""
        self.sample_rate = sample_rate
        self._log = log
        self._clips: deque[Samples] = deque()
        self._pos = 0
        self._fade = max(1, round(FADE_S * sample_rate))
        self._lock = threading.Lock()
        self._last_sound = -float("inf")
        self.tail_s = tail_s

    @property
    def logs(self) -> bool:
        """Whether what is played is logged for the echo canceller."""
        return self._log is not None

    def append(self, clip: Samples) -> None:
        if len(clip):
            with self._lock:
                self._clips.append(clip)

    def clear(self) -> None:
        """Stop now (after a short fade) and drop every queued clip."""
        with self._lock:
            if not self._clips:
                return
            rest = self._clips[0][self._pos : self._pos + self._fade].astype(np.float64)
            faded = (rest * np.linspace(1.0, 0.0, len(rest))).astype(np.int16)
            self._clips = deque([faded])
            self._pos = 0

    def busy(self) -> bool:
        """True while clips are queued or their sound may still be leaving the device."""
        with self._lock:
            return bool(self._clips) or time.monotonic() - self._last_sound < self.tail_s

    def fill(
        self, outdata: npt.NDArray[np.int16], frames: int, time_info: Any, status: Any
    ) -> None:
        """sounddevice callback: the next `frames` samples into `outdata`, silence when idle."""
        out = outdata.reshape(-1)
        filled = 0
        with self._lock:
            while filled < frames and self._clips:
                clip = self._clips[0]
                n = min(frames - filled, len(clip) - self._pos)
                out[filled : filled + n] = clip[self._pos : self._pos + n]
                filled, self._pos = filled + n, self._pos + n
                if self._pos >= len(clip):
                    self._clips.popleft()
                    self._pos = 0
            if filled:
                self._last_sound = time.monotonic()
        out[filled:] = 0
        if self._log is not None:
            self._log.record(out.copy(), float(time_info.outputBufferDacTime))


class CueQueue:
    """Renders cues in order on a `SynthesisWorker` and hands them to a `ClipPlayer`.

    `say()` never waits. A cue is rendered a sentence at a time, so its first sentence
    plays while the rest is rendered: whole, "Logged 65 millilitres. Say undo to take it
    back." kept her waiting for the second sentence before the first was heard. An
    interrupting cue cancels sentences not yet rendered, discards any rendered while it was
    queued (a generation counter), and cuts the one sounding.
    """

    def __init__(
        self, worker: SynthesisWorker, player: ClipPlayer, sample_rate: int, settings: VoiceSettings
    ) -> None:
        self._worker = worker
        self._player = player
        self._rate = sample_rate
        self._settings = settings
        self._lock = threading.RLock()  # cancelling a future runs its callback at once
        self._generation = 0
        self._pending = 0

    def say(self, text: str, t: float, interrupt: bool = False) -> None:
        with self._lock:
            if interrupt:
                self._generation += 1
                self._worker.cancel_pending()
                self._player.clear()
            generation = self._generation
            futures = []
            for sentence in sentences(text):
                self._pending += 1
                futures.append(self._worker.submit(sentence, self._settings))
        for number, future in enumerate(futures):
            future.add_done_callback(partial(self._rendered, generation, number == 0))

    def _rendered(self, generation: int, first: bool, future: Future[Audio]) -> None:
        audio: Audio | None = None
        if not future.cancelled():
            if (error := future.exception()) is not None:
                log.warning("A cue could not be spoken: %s", error)
            else:
                audio = future.result().resampled(self._rate)
                audio = without_lead_in(audio) if first else audio
        with self._lock:
            self._pending -= 1
            if audio is not None and generation == self._generation:
                self._player.append(audio.samples)

    def set_voice(self, rate_wpm: int, volume: float) -> None:
        with self._lock:
            self._settings = VoiceSettings(rate_wpm, volume)

    def is_speaking(self) -> bool:
        """True from `say()` until its sound has left the device (or it was dropped)."""
        with self._lock:
            return self._pending > 0 or self._player.busy()

    def drain(self, timeout_s: float) -> bool:
        """Wait until nothing is pending or sounding; False if `timeout_s` ran out first."""
        deadline = time.monotonic() + timeout_s
        while self.is_speaking():
            if time.monotonic() >= deadline:
                return False
            time.sleep(0.02)
        return True


def without_lead_in(audio: Audio) -> Audio:
    """Without the quiet an engine puts before the first word (festival and flite: 0.2 s),
    which is only a wait when it opens a cue; later sentences keep theirs, as a pause."""
    audible = np.flatnonzero(audible_blocks(audio.samples, audio.sample_rate))
    if len(audible) == 0:
        return audio
    block = round(AUDIBLE_BLOCK_S * audio.sample_rate)
    return Audio(audio.samples[max(0, audible[0] - 1) * block :], audio.sample_rate)


_SENTENCE_END = re.compile(r"(?<=[.!?])\s+")


def sentences(text: str) -> list[str]:
    """The cue's sentences ("1.5 ounces." stays whole: a point before a digit ends none)."""
    return [part for part in _SENTENCE_END.split(text.strip()) if part]


def _sounddevice() -> Any:
    try:
        import sounddevice
    except (OSError, ImportError) as error:  # OSError: PortAudio library not found
        msg = f"Audio output is not available ({error}); cues will be printed instead."
        raise AudioError(msg) from error
    return sounddevice


def _output_rates(sd: Any, device: int | str | None, reference: bool) -> list[int]:
    """Sample rates to try on the output device: the microphone's when what is played is the
    echo canceller's reference (`reference`), else espeak's own; then the device's."""
    try:
        info = sd.query_devices(device, kind="output")
    except (sd.PortAudioError, ValueError) as error:
        raise AudioError(NO_OUTPUT) from error
    if int(info["max_output_channels"]) < 1:
        raise AudioError(NO_OUTPUT)
    first = [SAMPLE_RATE] if reference else []
    return list(dict.fromkeys([*first, ESPEAK_RATE_HZ, int(info["default_samplerate"])]))


def _open_stream(
    sd: Any, device: int | str | None, log: PlayedLog | None
) -> tuple[Any, ClipPlayer]:
    """A started output stream and the player feeding it, at the first rate the device takes;
    `log` is kept only when that rate is the microphone's."""
    failure: Exception | None = None
    for rate in _output_rates(sd, device, log is not None):
        player = ClipPlayer(rate, log=log if rate == SAMPLE_RATE else None)
        try:
            stream = sd.OutputStream(
                samplerate=rate,
                channels=1,
                dtype="int16",
                device=device,
                callback=player.fill,
                latency=OUTPUT_LATENCY_S,
            )
            stream.start()
        except sd.PortAudioError as error:
            failure = error
            continue
        player.tail_s = float(stream.latency)
        return stream, player
    msg = f"The audio output device cannot be opened ({failure}); cues will be printed instead."
    raise AudioError(msg) from failure


class LiveSpeaker:
    """Speaks cues aloud as they come; never blocks the caller."""

    def __init__(
        self,
        rate_wpm: int = DEFAULT_RATE_WPM,
        volume: float = DEFAULT_VOLUME,
        voice: str | None = None,
        device: int | str | None = None,
        close_timeout_s: float = CLOSE_TIMEOUT_S,
        barge_in: bool = False,
    ) -> None:
        """Open the output `device` (None: the default) and start text-to-speech. With
        `barge_in`, what is played is logged on the device's clock (`played`), for the echo
        canceller.

        AudioError (one sentence) if there is no usable output device or no
        text-to-speech, so the caller can fall back to a `PrintSpeaker`.
        """
        settings = VoiceSettings(rate_wpm, volume)
        sd = _sounddevice()
        self._close_timeout_s = close_timeout_s
        self._closed = False
        log = PlayedLog() if barge_in else None
        self._stream, player = _open_stream(sd, device, log)
        self.played: Callable[[float, int], Samples] | None = (
            log.played if log is not None and player.logs else None
        )
        """What sounded when, for the echo canceller; None if it cannot be followed."""
        try:
            worker = SynthesisWorker(voice, name="pumpcoach-tts-live")
        except AudioError:
            self._close_stream()
            raise
        self._worker = worker
        self._cues = CueQueue(worker, player, player.sample_rate, settings)

    def say(self, text: str, t: float, interrupt: bool = False) -> None:
        if self._closed:
            msg = "say() after close()"
            raise RuntimeError(msg)
        self._cues.say(text, t, interrupt)

    def set_voice(self, rate_wpm: int, volume: float) -> None:
        self._cues.set_voice(rate_wpm, volume)

    def is_speaking(self) -> bool:
        """True while a cue is being rendered, is queued, or is still sounding.

        False once the device has stopped (e.g. headphones unplugged), so a mic gate
        that follows this never stays shut on sound that can no longer play.
        """
        return self._device_alive() and self._cues.is_speaking()

    def _device_alive(self) -> bool:
        try:
            return bool(self._stream.active)
        except Exception:  # PortAudio errors once the device is gone
            return False

    def close(self) -> None:
        """Let queued speech finish (at most `close_timeout_s`), then release the device."""
        if self._closed:
            return
        self._closed = True
        if self._device_alive() and not self._cues.drain(self._close_timeout_s):
            log.warning("Speech was still playing after %g s; cut short.", self._close_timeout_s)
        self._close_stream()
        self._worker.close()

    def _close_stream(self) -> None:
        with contextlib.suppress(Exception):  # the device may already be gone
            self._stream.stop()
            self._stream.close()
