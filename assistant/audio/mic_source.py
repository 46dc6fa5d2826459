"""The microphone as an audio source, with sounddevice.

Two layers, so the audio handling can be tested on a machine without a sound card:
`Rechunker` turns blocks of any size at the device's rate into exact 16 kHz frames, and
`MicSource` adds the device. The PortAudio callback only copies each block into a
bounded queue; resampling happens on the consumer's thread in `frames()`.

sounddevice is imported only when a `MicSource` is built, because importing it fails
(OSError) where the PortAudio library is missing.
"""

from __future__ import annotations

import contextlib
import math
import queue
import threading
import time
from collections.abc import Iterator
from typing import Any

import numpy as np
import numpy.typing as npt

from assistant.audio.devices import NO_MICROPHONE, import_sounddevice, list_devices, resolve_input
from assistant.audio.pcm import FRAME_S, FRAME_SAMPLES, SAMPLE_RATE, Audio, Samples
from assistant.audio.source import Frame
from assistant.clock import Clock
from assistant.errors import AudioError

QUEUE_FRAMES = 250
"""Blocks (20 ms each) held for a slow consumer before the oldest are dropped: 5 s."""
STALL_S = 3.0
"""No sound from a running microphone for this long means it has gone (e.g. unplugged)."""
_POLL_S = 0.1
_CONTEXT = 51
"""Input samples the resampling filter needs on each side (half of pcm's 101 taps, +1)."""


class Rechunker:
    """Blocks of any size at `in_rate` in, exact frames of 16 kHz samples out.

    Resampling is continuous across blocks: each stretch is resampled together with a
    little of the audio before and after it, so block edges leave no clicks, and the
    result matches resampling the whole recording at once. That look-ahead (about 10 ms
    at 44.1 kHz, none at 16 kHz) is held back until the next block arrives.
    """

    def __init__(
        self, in_rate: int, frame_samples: int = FRAME_SAMPLES, out_rate: int = SAMPLE_RATE
    ) -> None:
        if in_rate <= 0 or out_rate <= 0 or frame_samples <= 0:
            msg = f"rates and frame size must be positive: {in_rate}, {out_rate}, {frame_samples}"
            raise ValueError(msg)
        self.in_rate, self.out_rate, self.frame_samples = in_rate, out_rate, frame_samples
        common = math.gcd(in_rate, out_rate)
        # The smallest input stretch that resamples to a whole number of output samples.
        self._in_unit, self._out_unit = in_rate // common, out_rate // common
        units = 0 if in_rate == out_rate else math.ceil(_CONTEXT / self._in_unit)
        self._pad, self._pad_out = units * self._in_unit, units * self._out_unit
        self.reset()

    def reset(self) -> None:
        """Forget buffered audio, e.g. after a gap; what follows starts as from silence."""
        # Input not yet resampled, after `_pad` samples of history already resampled.
        self._pending: Samples = np.zeros(self._pad, dtype=np.int16)
        # Resampled samples not yet filling a whole frame.
        self._out: Samples = np.zeros(0, dtype=np.int16)

    def push(self, block: npt.NDArray[np.int16]) -> list[Samples]:
        """Add one block (mono, any length); the whole frames that are now complete."""
        pending = np.concatenate([self._pending, np.asarray(block, dtype=np.int16).reshape(-1)])
        units = (len(pending) - 2 * self._pad) // self._in_unit
        if units > 0:
            end = self._pad + units * self._in_unit
            if self._pad == 0:
                fresh = pending[:end]
            else:
                stretch = Audio(pending[: end + self._pad], self.in_rate).resampled(self.out_rate)
                fresh = stretch.samples[self._pad_out : self._pad_out + units * self._out_unit]
            self._out = np.concatenate([self._out, fresh])
            pending = pending[end - self._pad :]
        self._pending = pending
        whole = len(self._out) // self.frame_samples * self.frame_samples
        frames = [
            self._out[start : start + self.frame_samples].copy()
            for start in range(0, whole, self.frame_samples)
        ]
        self._out = self._out[whole:]
        return frames


def _no_microphone(reason: object) -> AudioError:
    return AudioError(NO_MICROPHONE.format(reason=reason))


def _sounddevice() -> Any:
    try:
        return import_sounddevice()
    except (OSError, ImportError) as error:  # OSError: PortAudio library not found
        raise _no_microphone(f"the PortAudio library is missing: {error}") from error


def _input_info(sd: Any, index: int | None) -> tuple[int | None, dict[str, Any]]:
    """The chosen input device (None: the default, else the first microphone) and its details."""
    try:
        info = dict(sd.query_devices(index, kind="input"))
    except (sd.PortAudioError, ValueError) as error:
        inputs = [d for d in list_devices() if d.inputs > 0] if index is None else []
        if not inputs:
            raise _no_microphone("this computer has no audio input device") from error
        return _input_info(sd, inputs[0].index)
    if int(info["max_input_channels"]) < 1:
        raise _no_microphone(f"{info['name']} cannot record")
    return index, info


def _rates(sd: Any, index: int | None, info: dict[str, Any]) -> list[int]:
    """Rates to try: 16 kHz unless the device refuses it, then the device's own."""
    own = round(float(info["default_samplerate"]))
    try:
        sd.check_input_settings(device=index, channels=1, dtype="int16", samplerate=SAMPLE_RATE)
    except (sd.PortAudioError, ValueError):
        return [own]
    return list(dict.fromkeys([SAMPLE_RATE, own]))


class MicSource:
    """Frames from a microphone as they are recorded, until `close()`.

    Frame times are seconds since the stream started, plus `clock.now()` at that moment
    when a clock is given (so frames carry session time). Audio lost to a slow consumer
    is counted in `dropped_frames` and leaves a gap in frame times rather than a shift.
    """

    def __init__(
        self,
        device: str | int | None = None,
        clock: Clock | None = None,
        queue_frames: int = QUEUE_FRAMES,
    ) -> None:
        """Open the input `device` (index, "3", part of a name, or None for the default).

        AudioError (one sentence) when there is no microphone, the name is unknown or
        ambiguous, or the device cannot be opened.
        """
        sd = _sounddevice()
        index, info = _input_info(sd, resolve_input(device))
        self.device_name = str(info["name"])
        self.dropped_frames = 0
        """Blocks of about one frame thrown away because `frames()` fell behind."""
        self.overflows = 0
        """Callbacks in which PortAudio reported lost input (the device's own overrun)."""
        self._queue: queue.Queue[tuple[int, npt.NDArray[np.int16]]] = queue.Queue(queue_frames)
        self._captured = 0
        self._closed = False
        self._finished = threading.Event()
        self._t0 = 0.0
        self._adc0: float | None = None
        """The device's clock when the stream's first sample was recorded."""
        self._stream, self.sample_rate = self._open(sd, index, _rates(sd, index, info), clock)

    def _open(
        self, sd: Any, index: int | None, rates: list[int], clock: Clock | None
    ) -> tuple[Any, int]:
        """A started stream at the first of `rates` the device accepts, and that rate."""
        failure: Exception | None = None
        for rate in rates:
            try:
                stream = sd.InputStream(
                    samplerate=rate,
                    blocksize=round(rate * FRAME_S),
                    device=index,
                    channels=1,
                    dtype="int16",
                    callback=self._on_block,
                    finished_callback=self._finished.set,
                )
            except (sd.PortAudioError, ValueError) as error:
                failure = error
                continue
            self._t0 = clock.now() if clock is not None else 0.0
            try:
                stream.start()
            except sd.PortAudioError as error:
                failure = error
                with contextlib.suppress(Exception):
                    stream.close()
                continue
            return stream, rate
        msg = (
            f"The microphone {self.device_name!r} cannot be opened ({failure}); "
            "type your commands instead, or choose another with `pumpcoach devices`."
        )
        raise AudioError(msg) from failure

    def _on_block(
        self, indata: npt.NDArray[np.int16], frames: int, time_info: Any, status: Any
    ) -> None:
        """PortAudio callback (audio thread): copy the block into the queue, never wait."""
        if status:
            self.overflows += 1
        if self._adc0 is None and time_info is not None:  # the stream's first block
            self._adc0 = float(time_info.inputBufferAdcTime)
        item = (self._captured, indata[:, 0].copy())
        self._captured += frames
        try:
            self._queue.put_nowait(item)
        except queue.Full:
            with contextlib.suppress(queue.Empty):
                self._queue.get_nowait()
                self.dropped_frames += 1
            with contextlib.suppress(queue.Full):
                self._queue.put_nowait(item)

    def frames(self) -> Iterator[Frame]:
        """16 kHz frames as they are recorded; ends when `close()` is called.

        AudioError if the microphone stops delivering sound (unplugged, device error).
        """
        rechunker = Rechunker(self.sample_rate)
        expected = 0  # device sample the next block should start at; anything else is a gap
        position = 0  # 16 kHz samples from the stream's start to the next frame's start
        last_block = time.monotonic()
        while not self._closed:
            try:
                start, block = self._queue.get(timeout=_POLL_S)
            except queue.Empty:
                if self._closed:
                    return
                if self._finished.is_set() or time.monotonic() - last_block > STALL_S:
                    msg = (
                        f"The microphone {self.device_name!r} stopped sending sound; "
                        "check that it is still connected."
                    )
                    raise AudioError(msg) from None
                continue
            last_block = time.monotonic()
            if start != expected:
                rechunker.reset()
                position = math.ceil(start * SAMPLE_RATE / self.sample_rate)
            expected = start + len(block)
            for samples in rechunker.push(block):
                yield Frame(samples, self._t0 + position / SAMPLE_RATE)
                position += len(samples)

    def device_time(self, t: float) -> float:
        """The audio device's clock at session time `t` of a frame (where the speaker's log
        is kept); `t` itself until the first block has arrived."""
        return t if self._adc0 is None else self._adc0 + (t - self._t0)

    def close(self) -> None:
        """Stop recording and release the device; `frames()` ends. Safe to call twice."""
        if self._closed:
            return
        self._closed = True
        with contextlib.suppress(Exception):  # the device may already be gone
            self._stream.stop()
            self._stream.close()

    def __enter__(self) -> MicSource:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
