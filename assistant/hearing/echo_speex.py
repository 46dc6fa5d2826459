"""Xiph's speexdsp echo canceller, through the system's `libspeexdsp` (Debian `libspeexdsp1`).

Chosen over WebRTC's AEC3 because of what comes after it. AEC3's suppressor gates the pump
along with the echo while the coach talks, so the pump's cycle, which the endpointer and the
cleaner learn and subtract, is chopped up: over a cue they heard almost nothing of hers.
Speex's filter is linear: it takes out the echo and leaves the pump as it was. Its residual
echo suppressor, which follows the filter's own estimate of the echo, takes out what the
filter misses, with the noise suppressor left off. It learns the room over the first seconds
of the coach's voice, and one instance follows the microphone for the whole session.
"""

from __future__ import annotations

import ctypes
import ctypes.util

import numpy as np

from assistant.audio.pcm import FRAME_SAMPLES, SAMPLE_RATE, Samples
from assistant.errors import PumpCoachError

TAIL_S = 0.3
"""The longest echo the filter models: the speaker's delay plus the room's reverberation."""
_SET_SAMPLING_RATE = 24  # SPEEX_ECHO_SET_SAMPLING_RATE
_SET_ECHO_STATE = 24  # SPEEX_PREPROCESS_SET_ECHO_STATE
_SET_DENOISE = 0  # SPEEX_PREPROCESS_SET_DENOISE


class EchoError(PumpCoachError):
    """No echo canceller can run here."""


def _library() -> ctypes.CDLL:
    name = ctypes.util.find_library("speexdsp") or "libspeexdsp.so.1"
    try:
        lib = ctypes.CDLL(name)
    except OSError as error:
        msg = "The echo canceller needs libspeexdsp (Debian: apt-get install libspeexdsp1)."
        raise EchoError(msg) from error
    pointer, number = ctypes.c_void_p, ctypes.c_int
    lib.speex_echo_state_init.restype = pointer
    lib.speex_echo_state_init.argtypes = [number, number]
    lib.speex_echo_ctl.argtypes = [pointer, number, pointer]
    lib.speex_echo_cancellation.argtypes = [pointer, pointer, pointer, pointer]
    lib.speex_echo_state_destroy.argtypes = [pointer]
    lib.speex_preprocess_state_init.restype = pointer
    lib.speex_preprocess_state_init.argtypes = [number, number]
    lib.speex_preprocess_ctl.argtypes = [pointer, number, pointer]
    lib.speex_preprocess_run.argtypes = [pointer, pointer]
    lib.speex_preprocess_state_destroy.argtypes = [pointer]
    return lib


class SpeexEchoCanceller:
    """An EchoCanceller, for 20 ms frames at 16 kHz."""

    def __init__(self, tail_s: float = TAIL_S) -> None:
        self._lib = _library()
        self._echo = self._lib.speex_echo_state_init(FRAME_SAMPLES, round(tail_s * SAMPLE_RATE))
        rate = ctypes.c_int(SAMPLE_RATE)
        self._lib.speex_echo_ctl(self._echo, _SET_SAMPLING_RATE, ctypes.byref(rate))
        self._residual = self._lib.speex_preprocess_state_init(FRAME_SAMPLES, SAMPLE_RATE)
        self._lib.speex_preprocess_ctl(self._residual, _SET_ECHO_STATE, self._echo)
        off = ctypes.c_int(0)  # the pump is the cleaner's business, not this stage's
        self._lib.speex_preprocess_ctl(self._residual, _SET_DENOISE, ctypes.byref(off))

    def cancel(self, heard: Samples, played: Samples) -> Samples:
        if len(heard) != FRAME_SAMPLES or len(played) != FRAME_SAMPLES:
            msg = f"The echo canceller takes frames of {FRAME_SAMPLES} samples."
            raise ValueError(msg)
        mic = np.ascontiguousarray(heard, dtype=np.int16)
        reference = np.ascontiguousarray(played, dtype=np.int16)
        out = np.empty(FRAME_SAMPLES, dtype=np.int16)
        self._lib.speex_echo_cancellation(
            self._echo, mic.ctypes.data, reference.ctypes.data, out.ctypes.data
        )
        self._lib.speex_preprocess_run(self._residual, out.ctypes.data)
        return out

    def __del__(self) -> None:
        lib = getattr(self, "_lib", None)
        if lib is not None:
            lib.speex_preprocess_state_destroy(self._residual)
            lib.speex_echo_state_destroy(self._echo)
