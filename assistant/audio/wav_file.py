"""Reading a WAV file's RIFF chunks ourselves, so any header gives one sentence.

Python's `wave` refuses float and WAVE_FORMAT_EXTENSIBLE files (what many recorders and
editors write) and raises ValueError, ZeroDivisionError or tries to allocate gigabytes on a
broken header. Here every number a header holds is checked before it is used, nothing is
allocated from a size the header claims (reads are bounded by the file's real length and by
`MAX_BLOCK_BYTES`), and a recording cut short is read up to its last whole frame, as a user
whose recorder stopped would expect.
"""

from __future__ import annotations

import os
import stat
import struct
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO, Literal

import numpy as np
import numpy.typing as npt

from assistant.errors import AudioError

MIN_RATE = 4_000
MAX_RATE = 384_000
"""Sample rates a WAV may have, in Hz: below 4 kHz no speech is left to hear; above 384 kHz
no recorder writes, and the header is more likely broken than real."""
MAX_CHANNELS = 64
"""More channels than any recorder makes: a larger count is a broken header."""
MAX_BLOCK_BYTES = 1 << 20
"""The most a single read asks of the file, whatever its rate and channel count."""
MAX_CHUNKS = 10_000
"""More chunks than any writer puts before the audio: walking them is then only a delay."""
FMT_BYTES = 40
"""The longest `fmt ` chunk we need to read (WAVE_FORMAT_EXTENSIBLE's); the rest is skipped."""

PCM, FLOAT, EXTENSIBLE = 0x0001, 0x0003, 0xFFFE
_GUID_TAIL = b"\x00\x00\x00\x00\x10\x00\x80\x00\x00\xaa\x00\x38\x9b\x71"
"""What follows the format tag in an extensible file's sub-format GUID (KSDATAFORMAT_*)."""
_NAMES = {0x0002: "ADPCM", 0x0006: "A-law", 0x0007: "mu-law", 0x0011: "IMA ADPCM", 0x0055: "MP3"}
_ADVICE = "convert it with `sox IN.wav -b 16 OUT.wav`"

Kind = Literal["pcm", "float"]
Block = npt.NDArray[np.float64]


@dataclass(frozen=True)
class WavLayout:
    """Where a WAV's samples are and how to read them, every field already checked."""

    rate: int
    """Frames a second, MIN_RATE to MAX_RATE."""
    channels: int
    """Samples a frame, 1 to MAX_CHANNELS."""
    width: int
    """Bytes a sample: 1, 2, 3 or 4 for PCM; 4 or 8 for float."""
    kind: Kind
    """Integer PCM or IEEE float."""
    data_offset: int
    """Byte offset of the first frame in the file."""
    frames: int
    """Whole frames present: what the header says, or fewer if the file was cut short."""

    @property
    def frame_bytes(self) -> int:
        return self.width * self.channels


def read_layout(path: Path) -> WavLayout:
    """The checked layout of a WAV file; AudioError with one sentence for anything else."""
    with _open(path) as file:
        status = os.fstat(file.fileno())
        if not stat.S_ISREG(status.st_mode):  # /dev/zero, a pipe: no size to trust
            raise AudioError(f"{path} is not a file on disk; give a WAV recording.")
        return _layout(path, file, status.st_size)


def read_mono_blocks(path: Path, layout: WavLayout, block_frames: int) -> Iterator[Block]:
    """The samples as mono blocks (mean of the channels) in the int16 range, at most
    `block_frames` frames and MAX_BLOCK_BYTES bytes a read."""
    per_read = max(1, min(block_frames, MAX_BLOCK_BYTES // layout.frame_bytes))
    with _open(path) as file:
        file.seek(layout.data_offset)
        left = layout.frames
        while left > 0:
            want = min(per_read, left)
            data = _read(path, file, want * layout.frame_bytes)
            got = len(data) // layout.frame_bytes
            if got == 0:  # the file shrank since its header was read
                return
            yield mono(data[: got * layout.frame_bytes], layout)
            left -= got


def mono(data: bytes, layout: WavLayout) -> Block:
    """Whole interleaved frames as one channel, the mean of all, in the int16 range."""
    values: Block
    if layout.kind == "float":
        raw = np.frombuffer(data, dtype="<f4" if layout.width == 4 else "<f8")
        # NaN and infinities (a broken or hostile file) become silence and full scale.
        values = np.nan_to_num(raw.astype(np.float64), nan=0.0, posinf=1.0, neginf=-1.0)
        values = np.clip(values, -1.0, 1.0) * 32768.0
    elif layout.width == 1:
        values = (np.frombuffer(data, dtype=np.uint8).astype(np.float64) - 128) * 256.0
    elif layout.width == 2:
        values = np.frombuffer(data, dtype="<i2").astype(np.float64)
    elif layout.width == 3:
        raw3 = np.frombuffer(data, dtype=np.uint8).reshape(-1, 3).astype(np.int32)
        values = ((raw3[:, 2].astype(np.int8).astype(np.int32) << 8) | raw3[:, 1]).astype(
            np.float64
        ) + raw3[:, 0] / 256.0
    else:
        values = np.frombuffer(data, dtype="<i4").astype(np.float64) / 65536.0
    if layout.channels == 1:
        return values
    averaged: Block = values.reshape(-1, layout.channels).mean(axis=1)
    return averaged


def _layout(path: Path, file: BinaryIO, size: int) -> WavLayout:
    if size == 0:
        raise AudioError(f"{path} is empty; give a WAV recording.")
    head = _read(path, file, 12)
    if len(head) < 12 or head[:4] not in (b"RIFF", b"RF64") or head[8:12] != b"WAVE":
        if head[:4] == b"RIFF" and len(head) == 12:
            kind = f" of type '{head[8:12].decode().strip()}'" if _is_chunk_id(head[8:12]) else ""
            raise AudioError(f"{path} is a RIFF file{kind}, not a WAV recording.")
        raise AudioError(f"{path} is not a WAV file (it does not start with a RIFF WAVE header).")
    if head[:4] == b"RF64":
        raise AudioError(f"{path} is an RF64 (over 4 GB) WAV, which is not read; {_ADVICE}.")
    fmt: bytes | None = None
    data: tuple[int, int] | None = None
    position, chunks = 12, 0
    while position + 8 <= size and (fmt is None or data is None):
        chunks += 1
        if chunks > MAX_CHUNKS:
            raise AudioError(f"{path} has over {MAX_CHUNKS:,} chunks before its audio; {_ADVICE}.")
        file.seek(position)
        header = _read(path, file, 8)
        if len(header) < 8:  # the file shrank since it was measured
            break
        chunk_id, chunk_size = struct.unpack("<4sI", header)
        body = position + 8
        if chunk_id == b"fmt ":
            fmt = _read(path, file, min(chunk_size, FMT_BYTES))
        elif chunk_id == b"data":
            # 0xFFFFFFFF is what streaming writers leave when they never came back to fill it in.
            declared = size - body if chunk_size == 0xFFFFFFFF else chunk_size
            data = (body, min(declared, size - body))
        position = _next_chunk(path, file, body + chunk_size, chunk_size & 1)
    if fmt is None:
        raise AudioError(f"{path} has no format ('fmt ') chunk, so its samples cannot be read.")
    if data is None:
        raise AudioError(f"{path} holds no audio (it has no 'data' chunk).")
    rate, channels, width, kind = _format(path, fmt)
    return WavLayout(rate, channels, width, kind, data[0], data[1] // (width * channels))


def _next_chunk(path: Path, file: BinaryIO, end: int, pad: int) -> int:
    """Where the next chunk starts: after the pad byte RIFF asks for after an odd-sized chunk,
    unless the writer left it out (some do) and a chunk name starts right at `end`."""
    if not pad:
        return end
    file.seek(end)
    ahead = _read(path, file, 5)
    if _is_chunk_id(ahead[:4]) and not _is_chunk_id(ahead[1:5]):
        return end
    return end + 1


def _is_chunk_id(four: bytes) -> bool:
    return len(four) == 4 and all(32 <= byte < 127 for byte in four)


def _format(path: Path, fmt: bytes) -> tuple[int, int, int, Kind]:
    """Rate, channels, bytes a sample and kind from a `fmt ` chunk's body, each checked."""
    if len(fmt) < 16:
        raise AudioError(f"{path} has a format chunk too short to describe its samples.")
    tag, channels, rate, _, _, bits = struct.unpack("<HHIIHH", fmt[:16])
    if tag == EXTENSIBLE:
        if len(fmt) < 40 or fmt[26:40] != _GUID_TAIL:
            raise AudioError(f"{path} is an extensible WAV of a sub-format not read; {_ADVICE}.")
        tag = struct.unpack("<H", fmt[24:26])[0]
    if tag not in (PCM, FLOAT):
        name = _NAMES.get(tag, f"format {tag}")
        raise AudioError(
            f"{path} is encoded as {name}; Pump Coach reads PCM (8, 16, 24 or 32-bit) and "
            f"float (32 or 64-bit) WAVs: {_ADVICE}."
        )
    kind: Kind = "pcm" if tag == PCM else "float"
    widths = "8, 16, 24 or 32" if kind == "pcm" else "32 or 64"
    if bits not in ((8, 16, 24, 32) if kind == "pcm" else (32, 64)):
        raise AudioError(
            f"{path} says it has {bits}-bit {'PCM' if kind == 'pcm' else 'float'} samples; "
            f"Pump Coach reads {widths}-bit ones: {_ADVICE}."
        )
    if not MIN_RATE <= rate <= MAX_RATE:
        raise AudioError(
            f"{path} says its sample rate is {rate:,} Hz; a WAV's sample rate must be between "
            f"{MIN_RATE:,} and {MAX_RATE:,} Hz."
        )
    if not 1 <= channels <= MAX_CHANNELS:
        raise AudioError(
            f"{path} says it has {channels:,} channels; a WAV must have 1 to {MAX_CHANNELS}."
        )
    return rate, channels, bits // 8, kind


class _open:
    """The file opened for reading, or AudioError naming what is wrong with the path."""

    def __init__(self, path: Path) -> None:
        self._path = path
        try:
            self._file: BinaryIO = open(path, "rb")  # noqa: SIM115 (closed by __exit__)
        except FileNotFoundError as error:
            raise AudioError(f"There is no recording at {path}.") from error
        except IsADirectoryError as error:
            raise AudioError(f"{path} is a folder; give a WAV recording inside it.") from error
        except PermissionError as error:
            raise AudioError(f"{path} cannot be read: permission denied.") from error
        except OSError as error:
            raise AudioError(f"{path} cannot be read ({error.strerror or error}).") from error

    def __enter__(self) -> BinaryIO:
        return self._file

    def __exit__(self, *_: object) -> None:
        self._file.close()


def _read(path: Path, file: BinaryIO, n: int) -> bytes:
    try:
        return file.read(n)
    except OSError as error:
        raise AudioError(f"{path} cannot be read ({error.strerror or error}).") from error
