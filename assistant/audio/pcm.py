"""Mono 16-bit PCM: the one audio shape everything inside Pump Coach works in.

Recognizers take 16 kHz mono int16; WAV files of any rate, width or channel count (read by
`wav_file`) are brought to that here, once, so no other module has to care.
"""

from __future__ import annotations

import wave
from collections.abc import Iterator
from pathlib import Path
from typing import BinaryIO, NamedTuple

import numpy as np
import numpy.typing as npt

from assistant.audio.wav_file import WavLayout, read_layout, read_mono_blocks
from assistant.errors import AudioError

SAMPLE_RATE = 16_000
"""What the recognizers hear, in Hz."""

Samples = npt.NDArray[np.int16]
_RESAMPLE_TAPS = 101


class Audio(NamedTuple):
    """Mono 16-bit samples and their sample rate in Hz."""

    samples: Samples
    sample_rate: int

    @property
    def duration_s(self) -> float:
        return len(self.samples) / self.sample_rate

    def resampled(self, sample_rate: int = SAMPLE_RATE) -> Audio:
        """The same sound at `sample_rate` (low-pass then linear interpolation; numpy only)."""
        if sample_rate == self.sample_rate:
            return self
        if len(self.samples) == 0:
            return Audio(self.samples, sample_rate)
        x = self.samples.astype(np.float64)
        if sample_rate < self.sample_rate:
            x = _lowpass(x, cutoff=0.45 * sample_rate / self.sample_rate)
        n_out = round(len(x) * sample_rate / self.sample_rate)
        positions = np.arange(n_out) * (self.sample_rate / sample_rate)
        return Audio(to_int16(np.interp(positions, np.arange(len(x)), x)), sample_rate)


def to_int16(x: npt.NDArray[np.floating] | npt.NDArray[np.integer]) -> Samples:
    """Round and clip to the int16 range (clipping, not wrapping, on overload)."""
    clipped: Samples = np.clip(np.rint(x), -32768, 32767).astype(np.int16)
    return clipped


def block_rms(
    x: npt.NDArray[np.floating] | npt.NDArray[np.integer], block: int
) -> npt.NDArray[np.float64]:
    """RMS of each whole run of `block` samples (a shorter run at the end is left out)."""
    whole = x[: len(x) // block * block].astype(np.float64).reshape(-1, block)
    rms: npt.NDArray[np.float64] = np.sqrt(np.mean(whole**2, axis=1))
    return rms


def _lowpass(x: npt.NDArray[np.float64], cutoff: float) -> npt.NDArray[np.float64]:
    """Windowed-sinc FIR low-pass; `cutoff` is a fraction of the sample rate (below 0.5)."""
    delay = (_RESAMPLE_TAPS - 1) // 2
    return np.convolve(x, lowpass_taps(cutoff))[delay : delay + len(x)]


def lowpass_taps(cutoff: float) -> npt.NDArray[np.float64]:
    """The low-pass filter's taps (Hamming-windowed sinc, unit gain at 0 Hz)."""
    n = np.arange(_RESAMPLE_TAPS) - (_RESAMPLE_TAPS - 1) / 2
    taps: npt.NDArray[np.float64] = (
        2 * cutoff * np.sinc(2 * cutoff * n) * np.hamming(_RESAMPLE_TAPS)
    )
    unit: npt.NDArray[np.float64] = taps / taps.sum()
    return unit


def read_wav(path: Path) -> Audio:
    """A WAV file as mono int16 at its own rate; AudioError with one sentence if unreadable.

    The whole file at once: for short files Pump Coach made itself (a voice's sentence). A
    user's recording is read by `wav_blocks` instead, so its length never sits in memory."""
    layout = wav_info(path)
    blocks = list(read_mono_blocks(path, layout, layout.frames))
    return Audio(to_int16(np.concatenate([np.zeros(0), *blocks])), layout.rate)


def wav_info(path: Path) -> WavLayout:
    """What the header says, checked; AudioError with one sentence if it is not a WAV we read."""
    return read_layout(path)


def wav_blocks(path: Path, block_s: float = 1.0) -> Iterator[npt.NDArray[np.float64]]:
    """The file's sound as mono blocks of at most `block_s` (and at most a megabyte of the
    file) in the int16 range, read as they are asked for, so a long recording never sits in
    memory."""
    layout = wav_info(path)
    yield from read_mono_blocks(path, layout, max(1, round(block_s * layout.rate)))


def write_wav(path: Path, audio: Audio) -> None:
    """Write mono 16-bit PCM; AudioError with one sentence if the file cannot be written."""
    try:
        with path.open("wb") as out:
            encode_wav(out, audio)
    except OSError as error:
        raise AudioError(f"Cannot write {path} ({error.strerror or error}).") from error


def encode_wav(out: BinaryIO, audio: Audio) -> None:
    """`audio` as a mono 16-bit PCM WAV into a file already open for writing."""
    with wave.open(out, "wb") as wav:
        wav.setnchannels(1)
        wav.setsampwidth(2)
        wav.setframerate(audio.sample_rate)
        wav.writeframes(audio.samples.astype("<i2").tobytes())


FRAME_S = 0.02
"""Audio moves through Pump Coach in 20 ms frames."""
FRAME_SAMPLES = round(SAMPLE_RATE * FRAME_S)
