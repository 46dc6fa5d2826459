"""Any file given as a WAV: its samples, or one sentence (AudioError), never a traceback.

Files are built byte by byte here, so every header kind a recorder, an editor or a broken
copy can leave is covered without relying on the writer under test.
"""

from __future__ import annotations

import struct
import subprocess
import sys
import tracemalloc
from pathlib import Path

import numpy as np
import numpy.typing as npt
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from assistant.audio.pcm import FRAME_SAMPLES, read_wav, wav_blocks, wav_info
from assistant.audio.wav_file import MAX_BLOCK_BYTES
from assistant.audio.wav_source import WavSource
from assistant.errors import AudioError

PCM, FLOAT, EXTENSIBLE = 1, 3, 0xFFFE
GUID_TAIL = b"\x00\x00\x00\x00\x10\x00\x80\x00\x00\xaa\x00\x38\x9b\x71"


def fmt_chunk(tag: int, channels: int, rate: int, bits: int, sub: int | None = None) -> bytes:
    """A `fmt ` chunk; with `sub`, WAVE_FORMAT_EXTENSIBLE wrapping format `sub`."""
    align = channels * (bits // 8) & 0xFFFF  # as a careless writer would wrap it
    body = struct.pack("<HHIIHH", tag, channels, rate, rate * align & 0xFFFFFFFF, align, bits)
    if sub is not None:
        body += struct.pack("<HHI", 22, bits, 0) + struct.pack("<H", sub) + GUID_TAIL
    return chunk(b"fmt ", body)


def chunk(name: bytes, body: bytes, size: int | None = None) -> bytes:
    """A RIFF chunk, padded to an even length as RIFF asks."""
    declared = len(body) if size is None else size
    return name + struct.pack("<I", declared) + body + (b"\0" if len(body) % 2 else b"")


def riff(*chunks: bytes, form: bytes = b"WAVE") -> bytes:
    body = form + b"".join(chunks)
    return b"RIFF" + struct.pack("<I", len(body)) + body


def wav_bytes(
    data: bytes, tag: int = PCM, channels: int = 1, rate: int = 16000, bits: int = 16
) -> bytes:
    sub = None
    if tag == EXTENSIBLE:
        sub, tag = (PCM if bits != 64 else FLOAT), EXTENSIBLE
    return riff(fmt_chunk(tag, channels, rate, bits, sub), chunk(b"data", data))


RAMP = np.linspace(-0.5, 0.5, 800)
"""What the readable files hold: full scale is 1.0."""
PCM16 = (RAMP * 32767).astype("<i2").tobytes()
STEREO16 = (np.stack([RAMP, RAMP], axis=1) * 32767).astype("<i2").tobytes()


def decoded(path: Path) -> npt.NDArray[np.float64]:
    """The file's samples as floats, full scale 1.0."""
    return read_wav(path).samples.astype(np.float64) / 32768


GOOD = [
    pytest.param(wav_bytes(PCM16), RAMP, id="pcm16"),
    pytest.param(
        wav_bytes((np.rint(RAMP * 127) + 128).astype(np.uint8).tobytes(), bits=8), RAMP, id="pcm8"
    ),
    pytest.param(
        wav_bytes(
            (RAMP * 2**31).astype("<i4").view(np.uint8).reshape(-1, 4)[:, 1:].tobytes(), bits=24
        ),
        RAMP,
        id="pcm24",
    ),
    pytest.param(wav_bytes((RAMP * 2**31).astype("<i4").tobytes(), bits=32), RAMP, id="pcm32"),
    pytest.param(wav_bytes(RAMP.astype("<f4").tobytes(), tag=FLOAT, bits=32), RAMP, id="float32"),
    pytest.param(wav_bytes(RAMP.astype("<f8").tobytes(), tag=FLOAT, bits=64), RAMP, id="float64"),
    pytest.param(wav_bytes(PCM16, tag=EXTENSIBLE), RAMP, id="extensible-pcm16"),
    pytest.param(
        riff(
            fmt_chunk(EXTENSIBLE, 1, 16000, 32, FLOAT), chunk(b"data", RAMP.astype("<f4").tobytes())
        ),
        RAMP,
        id="extensible-float32",
    ),
    pytest.param(wav_bytes(STEREO16, channels=2), RAMP, id="stereo"),
    pytest.param(
        riff(chunk(b"LIST", b"odd"), fmt_chunk(PCM, 1, 16000, 16), chunk(b"data", PCM16)),
        RAMP,
        id="odd-chunk-padded",
    ),
    pytest.param(
        riff(b"LIST\x03\x00\x00\x00odd", fmt_chunk(PCM, 1, 16000, 16), chunk(b"data", PCM16)),
        RAMP,
        id="odd-chunk-unpadded",
    ),
    pytest.param(
        riff(chunk(b"data", PCM16), fmt_chunk(PCM, 1, 16000, 16)), RAMP, id="data-before-fmt"
    ),
    pytest.param(wav_bytes(PCM16)[:-301], RAMP[:649], id="truncated-mid-sample"),
    pytest.param(
        riff(fmt_chunk(PCM, 1, 16000, 16), chunk(b"data", PCM16, size=0xFFFFFFFF)),
        RAMP,
        id="data-size-never-filled",
    ),
    pytest.param(
        riff(fmt_chunk(PCM, 1, 16000, 16), chunk(b"data", PCM16, size=10**9)),
        RAMP,
        id="data-size-too-big",
    ),
    pytest.param(wav_bytes(b""), RAMP[:0], id="no-samples"),
]


@pytest.mark.parametrize(("content", "samples"), GOOD)
def test_every_readable_kind_of_wav_gives_its_samples(
    tmp_path: Path, content: bytes, samples: npt.NDArray[np.float64]
) -> None:
    """PCM of 8-32 bits, float32/64, extensible wrapping either, odd chunks and a file cut
    short: the samples written come back (within a step of 8-bit, two of int16),
    up to the last whole frame."""
    path = tmp_path / "in.wav"
    path.write_bytes(content)
    got = decoded(path)
    assert len(got) == len(samples)
    step = 1 / 127 if b"\x01\x00\x08\x00data" in content else 2 / 32767  # 8-bit's coarse
    assert np.abs(got - samples).max(initial=0) <= step


def test_a_float32_file_reads_back_sample_for_sample(tmp_path: Path) -> None:
    """A float32 WAV's samples are read as written (int16's rounding aside), clipped at full
    scale, and NaN reads as silence rather than garbage."""
    values = np.array([0.0, 0.25, -0.25, 0.999, -1.0, 1.5, -7.0, np.nan], dtype="<f4")
    path = tmp_path / "f.wav"
    path.write_bytes(wav_bytes(values.tobytes(), tag=FLOAT, bits=32))
    assert read_wav(path).samples.tolist() == [0, 8192, -8192, 32735, -32768, 32767, -32768, 0]


BAD = [
    pytest.param(b"", "is empty", id="empty"),
    pytest.param(b"hello, this is text\n", "is not a WAV file", id="text"),
    pytest.param(
        b"RIFF\x04\x00\x00\x00AVI ", "RIFF file of type 'AVI', not a WAV", id="riff-not-wave"
    ),
    pytest.param(b"RIFF", "is not a WAV file", id="riff-cut-short"),
    pytest.param(riff(fmt_chunk(PCM, 1, 16000, 16)), "no 'data' chunk", id="no-data"),
    pytest.param(riff(chunk(b"data", PCM16)), "no format ('fmt ') chunk", id="no-fmt"),
    pytest.param(
        riff(chunk(b"fmt ", b"\x01\x00"), chunk(b"data", PCM16)),
        "format chunk too short",
        id="short-fmt",
    ),
    pytest.param(
        wav_bytes(PCM16, rate=0),
        "sample rate is 0 Hz; a WAV's sample rate must be between 4,000 and 384,000 Hz",
        id="0Hz",
    ),
    pytest.param(wav_bytes(PCM16, rate=1), "sample rate is 1 Hz;", id="1Hz"),
    pytest.param(wav_bytes(PCM16, rate=10**9), "sample rate is 1,000,000,000 Hz;", id="1e9Hz"),
    pytest.param(
        wav_bytes(PCM16, channels=0), "0 channels; a WAV must have 1 to 64", id="0-channels"
    ),
    pytest.param(
        wav_bytes(PCM16, channels=65535),
        "65,535 channels; a WAV must have 1 to 64",
        id="65535-channels",
    ),
    pytest.param(wav_bytes(PCM16, bits=0), "0-bit PCM samples", id="0-bit"),
    pytest.param(wav_bytes(PCM16, bits=7), "7-bit PCM samples", id="7-bit"),
    pytest.param(wav_bytes(PCM16, bits=64), "64-bit PCM samples", id="64-bit-pcm"),
    pytest.param(wav_bytes(PCM16, tag=FLOAT, bits=16), "16-bit float samples", id="16-bit-float"),
    pytest.param(wav_bytes(PCM16, tag=0x55), "encoded as MP3", id="mp3"),
    pytest.param(wav_bytes(PCM16, tag=0x11, bits=4), "encoded as IMA ADPCM", id="adpcm"),
    pytest.param(
        riff(fmt_chunk(EXTENSIBLE, 1, 16000, 16, 0x55), chunk(b"data", PCM16)),
        "encoded as MP3",
        id="extensible-mp3",
    ),
    pytest.param(
        riff(
            chunk(b"fmt ", fmt_chunk(EXTENSIBLE, 1, 16000, 16)[8:] + bytes(2)),
            chunk(b"data", PCM16),
        ),
        "of a sub-format not read",
        id="extensible-without-extension",
    ),
    pytest.param(b"RF64" + bytes(4) + b"WAVE", "RF64", id="rf64"),
    pytest.param(riff(*[chunk(b"junk", b"")] * 10_001), "over 10,000 chunks", id="endless-chunks"),
]


@pytest.mark.parametrize(("content", "sentence"), BAD)
def test_every_unreadable_header_is_one_sentence_naming_the_file(
    tmp_path: Path, content: bytes, sentence: str
) -> None:
    """A header we cannot or must not read: AudioError, one line, the path, the reason."""
    path = tmp_path / "bad.wav"
    path.write_bytes(content)
    with pytest.raises(AudioError) as caught:
        WavSource(path)
    message = str(caught.value)
    assert sentence in message and str(path) in message
    assert "\n" not in message and message.endswith(".")


def test_a_folder_a_device_or_a_missing_path_is_one_sentence(tmp_path: Path) -> None:
    """A folder, a device that never ends, and a path with nothing there each say so."""
    with pytest.raises(AudioError, match=r"is a folder; give a WAV recording"):
        WavSource(tmp_path)
    with pytest.raises(AudioError, match=r"^There is no recording at .*nothing\.wav\.$"):
        WavSource(tmp_path / "nothing.wav")
    if Path("/dev/zero").exists():
        with pytest.raises(AudioError, match=r"^/dev/zero is not a file on disk"):
            WavSource(Path("/dev/zero"))


def test_reads_are_bounded_whatever_the_rate_and_channels(tmp_path: Path) -> None:
    """64 channels of float64 at 384 kHz: a second would be 196 MB, but no read asks for
    more than MAX_BLOCK_BYTES."""
    frame = 64 * 8
    path = tmp_path / "wide.wav"
    path.write_bytes(wav_bytes(bytes(frame * 5000), tag=FLOAT, channels=64, rate=384000, bits=64))
    blocks = list(wav_blocks(path))
    assert sum(len(b) for b in blocks) == 5000
    assert max(len(b) for b in blocks) * frame <= MAX_BLOCK_BYTES


# --- Fuzzing ----------------------------------------------------------------------------

VALID = wav_bytes(PCM16[:400], channels=2)
ALLOWED_PEAK_BYTES = 8 * MAX_BLOCK_BYTES
"""What reading any of the fuzzed files (all under a few kilobytes) may allocate at most:
a header's claims must never size an allocation."""


def read_or_refuse(path: Path) -> None:
    """Read the file every way a user's file is read; only AudioError may come out."""
    try:
        info = wav_info(path)
        frames = list(WavSource(path).frames())
        assert all(len(f.samples) == FRAME_SAMPLES for f in frames)
        assert len(read_wav(path).samples) == info.frames
    except AudioError as error:
        assert "\n" not in str(error)


def fuzzed(tmp_path: Path, content: bytes) -> None:
    path = tmp_path / "fuzz.wav"
    path.write_bytes(content)
    tracemalloc.start()
    try:
        read_or_refuse(path)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert peak < ALLOWED_PEAK_BYTES


FUZZ = settings(
    max_examples=1500,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


@FUZZ
@given(
    st.lists(
        st.tuples(st.integers(0, len(VALID) - 1), st.integers(0, 255)), min_size=1, max_size=6
    ),
    st.integers(0, len(VALID)),
)
def test_a_valid_wav_with_any_bytes_changed_or_cut_is_read_or_refused(
    tmp_path: Path, changes: list[tuple[int, int]], keep: int
) -> None:
    """Any bytes of a good file changed, then the file cut anywhere: samples or one sentence."""
    content = bytearray(VALID)
    for where, value in changes:
        content[where] = value
    fuzzed(tmp_path, bytes(content[:keep]))


HEADER_FIELDS = st.tuples(
    st.sampled_from([PCM, FLOAT, EXTENSIBLE, 0, 2, 0x55, 0xFFFF]),
    st.integers(0, 0xFFFF),
    st.one_of(
        st.sampled_from([0, 1, 4000, 16000, 48000, 384000, 384001]), st.integers(0, 2**32 - 1)
    ),
    st.one_of(st.sampled_from([0, 7, 8, 16, 24, 32, 64]), st.integers(0, 0xFFFF)),
    st.sampled_from([None, PCM, FLOAT, 0x55]),
)
CHUNK = st.one_of(
    HEADER_FIELDS.map(lambda f: fmt_chunk(*f)),
    st.tuples(st.binary(max_size=64), st.one_of(st.none(), st.integers(0, 2**32 - 1))).map(
        lambda b: chunk(b"data", b[0], b[1])
    ),
    st.tuples(st.binary(min_size=4, max_size=4), st.binary(max_size=16)).map(
        lambda c: chunk(c[0], c[1])
    ),
    st.binary(max_size=12),
)


@FUZZ
@given(st.lists(CHUNK, max_size=5), st.sampled_from([b"WAVE", b"AVI ", b"WAV"]))
def test_any_list_of_chunks_is_read_or_refused(
    tmp_path: Path, chunks: list[bytes], form: bytes
) -> None:
    """Random fmt, data and other chunks in any order and number, with any sizes claimed."""
    fuzzed(tmp_path, riff(*chunks, form=form))


# --- At the command line ------------------------------------------------------------------


@pytest.mark.slow
@pytest.mark.parametrize(
    "content",
    [
        pytest.param(wav_bytes(PCM16, rate=0), id="0Hz"),
        pytest.param(wav_bytes(PCM16, channels=65535), id="65535-channels"),
        pytest.param(b"", id="empty"),
    ],
)
def test_pumpcoach_hear_on_a_bad_wav_prints_one_line_and_exits_2(
    tmp_path: Path, content: bytes
) -> None:
    """`pumpcoach hear BAD.wav` in a process of its own: exit 2, one `pumpcoach:` line."""
    path = tmp_path / "bad.wav"
    path.write_bytes(content)
    done = subprocess.run(
        [sys.executable, "-m", "assistant", "hear", str(path)],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 2
    assert "Traceback" not in done.stderr
    lines = [line for line in done.stderr.splitlines() if line.strip()]
    assert len(lines) == 1 and lines[0].startswith("pumpcoach: ") and str(path) in lines[0]


# --- Memory -------------------------------------------------------------------------------


def pump_like_wav(path: Path, seconds: int, rate: int = 48000, channels: int = 2) -> Path:
    """Noise, written a second at a time (so writing it does not show up in the measure)."""
    rng = np.random.default_rng(0)
    second = (rng.normal(0, 3000, (rate, channels))).astype("<i2").tobytes()
    header = fmt_chunk(PCM, channels, rate, 16)
    size = len(second) * seconds
    with path.open("wb") as out:
        out.write(b"RIFF" + struct.pack("<I", 4 + len(header) + 8 + size) + b"WAVE" + header)
        out.write(b"data" + struct.pack("<I", size))
        for _ in range(seconds):
            out.write(second)
    return path


def frames_peak_bytes(path: Path) -> int:
    tracemalloc.start()
    try:
        for _ in WavSource(path).frames():
            pass
        return tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


def test_reading_a_recording_takes_the_same_memory_whatever_its_length(tmp_path: Path) -> None:
    """Frames of a 30-minute 48 kHz stereo file take no more memory than a 1-minute one's
    (the whole file, read at once, would be 170 MB at 16 kHz)."""
    short = frames_peak_bytes(pump_like_wav(tmp_path / "short.wav", 60))
    long = frames_peak_bytes(pump_like_wav(tmp_path / "long.wav", 30 * 60))
    assert long < 1.2 * short + 256 * 1024
    assert long < 8 * MAX_BLOCK_BYTES


def test_run_refuses_a_bad_recording_before_any_session_is_stored(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """`run --audio-in` checks the file first: no empty session is left in her history."""
    from assistant.cli.main import main

    bad = tmp_path / "bad.wav"
    bad.write_bytes(b"RIFF\x04\x00\x00\x00WAVE")
    db = tmp_path / "s.sqlite3"
    code = main(["run", "--routine", "mss", "--audio-in", str(bad), "--db", str(db)])
    err = capsys.readouterr().err
    assert code == 2 and err.count("pumpcoach:") == 1 and str(bad) in err
    assert not db.exists()
