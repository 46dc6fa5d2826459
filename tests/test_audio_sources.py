"""Audio sources: WAV files and the microphone as 16 kHz frames, and the device list."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import wave
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt
import pytest

from assistant.audio.devices import DeviceInfo, describe_devices, list_devices, resolve_input
from assistant.audio.mic_source import MicSource, Rechunker
from assistant.audio.pcm import FRAME_S, FRAME_SAMPLES, SAMPLE_RATE, Audio, read_wav
from assistant.audio.source import AudioSource
from assistant.audio.wav_source import WavSource
from assistant.errors import AudioError

NO_MICROPHONE = (
    "No microphone was found (this computer has no audio input device). "
    "Type your commands instead, or connect a microphone and check `pumpcoach devices`."
)


def sine(
    rate: int, seconds: float, hz: float = 1000.0, level: float = 0.5
) -> npt.NDArray[np.float64]:
    """A sine wave from -level to +level (1.0 is full scale)."""
    return level * np.sin(2 * np.pi * hz * np.arange(round(rate * seconds)) / rate)


def write_pcm_wav(path: Path, channels: npt.NDArray[np.float64], rate: int, width: int) -> Path:
    """Write full-scale-relative floats, shape (samples, channels), as integer PCM."""
    full = 2 ** (8 * width - 1) - 1
    ints = np.rint(channels * full).astype(np.int64)
    if width == 1:
        data = (ints + 128).astype(np.uint8).tobytes()
    elif width == 3:
        data = ints.astype("<i4").view(np.uint8).reshape(-1, 4)[:, :3].tobytes()
    else:
        data = ints.astype({2: "<i2", 4: "<i4"}[width]).tobytes()
    with wave.open(str(path), "wb") as wav:
        wav.setnchannels(channels.shape[1])
        wav.setsampwidth(width)
        wav.setframerate(rate)
        wav.writeframes(data)
    return path


def peak_hz(samples: npt.NDArray[np.int16], rate: int = SAMPLE_RATE) -> float:
    spectrum = np.abs(np.fft.rfft(samples.astype(np.float64) * np.hanning(len(samples))))
    return float(np.argmax(spectrum) * rate / len(samples))


def whole_file(path: Path) -> Audio:
    """The file read at once and resampled at once: what the streamed frames must match."""
    return read_wav(path).resampled(SAMPLE_RATE)


def rms(samples: npt.NDArray[np.int16]) -> float:
    return float(np.sqrt(np.mean(samples.astype(np.float64) ** 2)))


# --- WAV files --------------------------------------------------------------------------

WIDTHS = [
    pytest.param(1, id="8bit"),
    pytest.param(2, id="16bit"),
    pytest.param(3, id="24bit"),
]


@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize("n_channels", [1, 2])
@pytest.mark.parametrize("rate", [8000, 22050, 44100, 48000])
def test_any_wav_becomes_20ms_frames_of_16k_mono_at_the_same_pitch(
    tmp_path: Path, rate: int, n_channels: int, width: int
) -> None:
    """Every rate, channel count and width gives 320-sample frames 0.02 s apart, pitch kept."""
    tone = sine(rate, 0.517)
    path = write_pcm_wav(tmp_path / "in.wav", np.tile(tone[:, None], n_channels), rate, width)
    source = WavSource(path)
    frames = list(source.frames())
    assert all(len(f.samples) == FRAME_SAMPLES and f.samples.dtype == np.int16 for f in frames)
    assert [f.t for f in frames] == pytest.approx([i * FRAME_S for i in range(len(frames))])
    assert abs(len(frames) * FRAME_S - len(tone) / rate) <= FRAME_S
    assert source.duration_s == pytest.approx(len(tone) / rate, abs=1 / SAMPLE_RATE)
    assert peak_hz(np.concatenate([f.samples for f in frames[:-1]])) == pytest.approx(1000, abs=5)


@pytest.mark.parametrize("width", WIDTHS)
def test_wav_level_is_the_same_whatever_the_sample_width(tmp_path: Path, width: int) -> None:
    """A half-scale tone reads as half of int16 full scale from 8, 16 and 24-bit files."""
    path = write_pcm_wav(tmp_path / "in.wav", sine(16000, 0.5)[:, None], 16000, width)
    assert rms(whole_file(path).samples) == pytest.approx(0.5 * 32767 / np.sqrt(2), rel=0.02)


def test_stereo_wav_is_averaged_to_mono(tmp_path: Path) -> None:
    """A tone in the left channel only and silence in the right comes out at half level."""
    tone = sine(16000, 0.5, level=0.8)
    left_only = np.stack([tone, np.zeros_like(tone)], axis=1)
    mono = whole_file(write_pcm_wav(tmp_path / "lr.wav", left_only, 16000, 2)).samples
    assert np.abs(mono.astype(np.int32) - np.rint(tone * 32767 / 2)).max() <= 1
    opposite = np.stack([tone, -tone], axis=1)
    cancelled = whole_file(write_pcm_wav(tmp_path / "pm.wav", opposite, 16000, 2)).samples
    assert np.abs(cancelled).max() <= 1


def test_last_partial_frame_is_padded_with_silence(tmp_path: Path) -> None:
    """330 samples at 16 kHz: one full frame, then 10 samples and 310 zeros."""
    path = write_pcm_wav(tmp_path / "short.wav", np.full((330, 1), 0.25), 16000, 2)
    source = WavSource(path)
    frames = list(source.frames())
    assert [f.t for f in frames] == [0.0, FRAME_S]
    assert np.all(frames[1].samples[:10] == 8192) and not frames[1].samples[10:].any()
    assert len(whole_file(path).samples) == 330


def test_wav_source_can_be_read_again_and_is_an_audio_source(tmp_path: Path) -> None:
    """frames() starts over on each call; close() is harmless; it satisfies AudioSource."""
    source: AudioSource = WavSource(
        write_pcm_wav(tmp_path / "a.wav", sine(16000, 0.1)[:, None], 16000, 2)
    )
    first, second = list(source.frames()), list(source.frames())
    assert len(first) == len(second) == 5
    source.close()


def test_missing_wav_is_an_audio_error_naming_the_path(tmp_path: Path) -> None:
    """No file: one sentence with the path, no traceback material."""
    path = tmp_path / "nowhere.wav"
    with pytest.raises(AudioError, match=r"nowhere\.wav") as caught:
        WavSource(path)
    assert str(path) in str(caught.value)


def test_a_file_that_is_not_a_wav_is_an_audio_error_naming_the_path(tmp_path: Path) -> None:
    """A text file renamed .wav: one sentence with the path."""
    path = tmp_path / "notes.wav"
    path.write_text("not audio at all\n")
    with pytest.raises(AudioError) as caught:
        WavSource(path)
    assert str(path) in str(caught.value)
    assert "\n" not in str(caught.value)


# --- Rechunking the microphone's blocks -----------------------------------------------


def odd_blocks(samples: npt.NDArray[np.int16], seed: int = 7) -> list[npt.NDArray[np.int16]]:
    """The samples cut into blocks of awkward sizes (1 to 2000, including primes)."""
    rng = np.random.default_rng(seed)
    sizes = [1, 7, 441, 1000, 13, 882, 2000, 3, 960, 1237]
    blocks, start = [], 0
    while start < len(samples):
        size = sizes[start % len(sizes)] if rng.random() < 0.5 else int(rng.integers(1, 2000))
        blocks.append(samples[start : start + size])
        start += size
    return blocks


@pytest.mark.parametrize("rate", [44100, 48000, 22050, 16000, 8000])
def test_rechunker_gives_exact_frames_matching_whole_file_resampling(rate: int) -> None:
    """Blocks of odd sizes give 320-sample frames equal to resampling everything at once."""
    recording = (sine(rate, 2.0, hz=440, level=0.3) * 32767).astype(np.int16)
    rechunker = Rechunker(rate)
    frames = [frame for block in odd_blocks(recording) for frame in rechunker.push(block)]
    assert frames and all(len(f) == FRAME_SAMPLES and f.dtype == np.int16 for f in frames)
    got = np.concatenate(frames)
    whole = Audio(recording, rate).resampled(SAMPLE_RATE).samples
    # All but the last ~10 ms (held back as look-ahead) and at most one partial frame.
    assert len(whole) - len(got) < FRAME_SAMPLES + 0.011 * SAMPLE_RATE
    assert np.abs(got.astype(np.int32) - whole[: len(got)]).max() <= 1
    assert peak_hz(got) == pytest.approx(440, abs=5)


def test_rechunker_at_16k_passes_samples_through_unchanged() -> None:
    """At the recognizer's own rate the blocks are only regrouped, sample for sample."""
    recording = np.arange(5000, dtype=np.int16)
    rechunker = Rechunker(SAMPLE_RATE)
    frames = [frame for block in odd_blocks(recording) for frame in rechunker.push(block)]
    assert np.array_equal(np.concatenate(frames), recording[: len(frames) * FRAME_SAMPLES])
    assert len(frames) == 5000 // FRAME_SAMPLES


def test_rechunker_reset_starts_again_from_silence() -> None:
    """After reset() nothing of the earlier audio comes out."""
    rechunker = Rechunker(48000)
    assert rechunker.push(np.full(500, 1000, dtype=np.int16)) == []
    rechunker.reset()
    frames = rechunker.push(np.zeros(48000 // 10, dtype=np.int16))
    assert len(frames) == 4 and not np.concatenate(frames).any()


def test_rechunker_accepts_portaudio_shaped_blocks() -> None:
    """A (frames, 1) block, as the input callback receives it, works like a flat one."""
    rechunker = Rechunker(SAMPLE_RATE)
    (frame,) = rechunker.push(np.ones((FRAME_SAMPLES, 1), dtype=np.int16))
    assert frame.shape == (FRAME_SAMPLES,)


# --- The microphone -----------------------------------------------------------------------


def input_device_exists() -> bool:
    try:
        import sounddevice as sd

        sd.query_devices(kind="input")
    except Exception:
        return False
    return True


def test_no_microphone_is_one_clear_sentence_not_a_traceback() -> None:
    """Without an input device MicSource raises AudioError with the 'No microphone' sentence."""
    if input_device_exists():
        pytest.skip("this machine has an audio input device")
    with pytest.raises(AudioError) as caught:
        MicSource()
    assert str(caught.value) == NO_MICROPHONE
    with pytest.raises(AudioError) as named:
        MicSource("usb headset")
    assert str(named.value) == NO_MICROPHONE


MIC_SCRIPT = """
import json, sys, time
import sounddevice as sd
from assistant.audio.mic_source import MicSource
from assistant.clock import VirtualClock

refuse_16k, queue_frames, slow = sys.argv[1] == "refuse", int(sys.argv[2]), sys.argv[3] == "slow"
if refuse_16k:  # stand in for a device that cannot record at 16 kHz
    accepts = sd.check_input_settings
    def check(**settings):
        if settings.get("samplerate") == 16000:
            raise sd.PortAudioError("Invalid sample rate")
        accepts(**settings)
    sd.check_input_settings = check
clock = VirtualClock()
clock.advance_to(5.0)
mic = MicSource("PUMPMIC", clock=clock, queue_frames=queue_frames)
frames = []
for frame in mic.frames():
    frames.append(frame)
    if slow:
        time.sleep(0.025)  # slower than real time, and much slower than ALSA's null device
    if len(frames) == 100:
        mic.close()
rest = list(mic.frames())
mic.close()
print(json.dumps({
    "rate": mic.sample_rate,
    "sizes": sorted({len(f.samples) for f in frames}),
    "t": [f.t for f in frames],
    "samples": [int(s) for f in frames for s in f.samples],
    "dropped": mic.dropped_frames,
    "after_close": len(rest),
}))
"""


def run_virtual_mic(
    tmp_path: Path, rate: int, refuse_16k: bool, queue_frames: int = 100_000, slow: bool = False
) -> dict[str, Any]:
    """Run MicSource in a subprocess whose ALSA default is a capture device reading a file."""
    if not sys.platform.startswith("linux") or not Path("/usr/share/alsa/alsa.conf").exists():
        pytest.skip("needs ALSA")
    raw = tmp_path / "mic.raw"
    raw.write_bytes((sine(rate, 3.0) * 32767).astype("<i2").tobytes())
    capture = f'type file slave.pcm "null" file "/dev/null" infile "{raw}" format "raw"'
    (tmp_path / ".asoundrc").write_text(f"pcm.pumpmic {{ {capture} }}\npcm.!default pumpmic\n")
    args = ["refuse" if refuse_16k else "accept", str(queue_frames), "slow" if slow else "fast"]
    done = subprocess.run(
        [sys.executable, "-c", MIC_SCRIPT, *args],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
        env={**os.environ, "HOME": str(tmp_path)},
    )
    if "No microphone" in done.stderr:
        pytest.skip("PortAudio does not list the ALSA file/null capture device here")
    assert done.returncode == 0, done.stderr
    result: dict[str, Any] = json.loads(done.stdout)
    return result


@pytest.mark.slow
@pytest.mark.parametrize(("rate", "refuse_16k"), [(16000, False), (44100, True)])
def test_microphone_frames_arrive_from_a_virtual_alsa_device(
    tmp_path: Path, rate: int, refuse_16k: bool
) -> None:
    """An ALSA capture device fed from a file: exact frames, session-time t, tone intact.

    The ALSA device takes any rate, so refusing 16 kHz is simulated by making sounddevice's
    check refuse it; the stream then really runs at 44.1 kHz and is resampled.
    """
    result = run_virtual_mic(tmp_path, rate, refuse_16k)
    assert result["rate"] == rate
    assert result["sizes"] == [FRAME_SAMPLES]
    assert result["t"] == pytest.approx([5.0 + i * FRAME_S for i in range(100)])
    assert result["dropped"] == 0 and result["after_close"] == 0
    heard = np.array(result["samples"], dtype=np.int16)
    assert peak_hz(heard) == pytest.approx(1000, abs=10)
    expected = (sine(SAMPLE_RATE, 2.0) * 32767).astype(np.int16)
    assert np.abs(heard[200:].astype(np.int32) - expected[200 : len(heard)]).max() < 400


@pytest.mark.slow
def test_a_slow_consumer_loses_the_oldest_frames_and_keeps_true_times(tmp_path: Path) -> None:
    """With a tiny queue and a slow reader, frames are dropped and counted; t jumps, not drifts."""
    result = run_virtual_mic(tmp_path, 16000, refuse_16k=False, queue_frames=4, slow=True)
    times = np.array(result["t"])
    steps = np.round(np.diff(times) / FRAME_S, 6)
    assert result["dropped"] > 0
    assert np.all(steps >= 1) and np.all(steps == np.round(steps))
    assert steps.sum() - len(steps) >= 1  # the gaps account for the lost audio


# --- Devices ------------------------------------------------------------------------------


def test_list_devices_returns_a_list_without_raising() -> None:
    """Here (no sound card) it is empty; anywhere it is DeviceInfo rows in index order."""
    devices = list_devices()
    assert isinstance(devices, list)
    assert all(isinstance(d, DeviceInfo) for d in devices)
    assert [d.index for d in devices] == sorted(d.index for d in devices)


DEVICES = [
    DeviceInfo(0, "HDA Intel PCH: ALC257 Analog (hw:0,0)", 2, 2, 48000.0),
    DeviceInfo(1, "HDMI 0 (hw:0,3)", 0, 8, 48000.0),
    DeviceInfo(2, "USB Headset Mic (hw:1,0)", 1, 0, 44100.0),
    DeviceInfo(3, "pulse", 32, 32, 44100.0),
    DeviceInfo(4, "default", 32, 32, 44100.0, is_default_input=True, is_default_output=True),
]


def test_describe_devices_formats_names_and_marks_defaults() -> None:
    """One row a device, channel counts and rates aligned, defaults marked."""
    table = describe_devices(DEVICES).splitlines()
    assert table[0].split() == ["#", "Name", "In", "Out", "Rate", "Default"]
    assert len(table) == 1 + len(DEVICES)
    usb = next(line for line in table if "USB Headset Mic" in line)
    assert usb.split()[0] == "2" and "44100" in usb and not usb.rstrip().endswith("output")
    assert table[-1].rstrip().endswith("input, output")
    rate_end = table[0].index("Rate") + len("Rate")
    assert [line[rate_end - 5 : rate_end] for line in table[1:]] == [
        str(round(d.default_samplerate)) for d in DEVICES
    ]


def test_describe_devices_without_devices_is_a_sentence() -> None:
    """An empty list reads as advice, not an empty table."""
    assert describe_devices([]).startswith("No audio devices were found.")


def test_resolve_input_takes_an_index_a_number_or_part_of_a_name() -> None:
    """Index, "2", case-insensitive substring, exact name over partial matches, None = default."""
    assert resolve_input(None, DEVICES) is None
    assert resolve_input(2, DEVICES) == 2
    assert resolve_input(" 3 ", DEVICES) == 3
    assert resolve_input("usb headset", DEVICES) == 2
    assert resolve_input("alc257", DEVICES) == 0
    assert resolve_input("DEFAULT", DEVICES) == 4


def test_resolve_input_rejects_speakers_unknown_and_ambiguous_names_listing_microphones() -> None:
    """Output-only devices are not microphones; errors name the candidates in one line."""
    with pytest.raises(AudioError, match=r"no microphone number 1;.*2 \(USB Headset Mic"):
        resolve_input(1, DEVICES)
    with pytest.raises(AudioError, match=r"No microphone is called 'hdmi'") as unknown:
        resolve_input("hdmi", DEVICES)
    assert "0 (HDA Intel PCH" in str(unknown.value) and "HDMI" not in str(unknown.value)
    with pytest.raises(AudioError, match=r"'hw:' matches several microphones") as ambiguous:
        resolve_input("hw:", DEVICES)
    assert "0 (HDA" in str(ambiguous.value) and "2 (USB" in str(ambiguous.value)
    assert "pulse" not in str(ambiguous.value)


def test_resolve_input_with_no_microphones_says_so() -> None:
    """Only speakers: the same 'No microphone' sentence as opening the microphone."""
    with pytest.raises(AudioError) as caught:
        resolve_input("usb", [DEVICES[1]])
    assert str(caught.value) == NO_MICROPHONE


@pytest.mark.parametrize("rate", [8000, 16000, 22050, 44100, 48000])
def test_frames_read_a_block_at_a_time_are_the_whole_file_resampled(
    tmp_path: Path, rate: int
) -> None:
    """Reading a second at a time gives the same sound as reading the file whole (within one
    step of int16): the joins between blocks cannot be heard."""
    rng = np.random.default_rng(rate)
    noise = rng.normal(0, 0.2, round(3.3 * rate)).clip(-1, 1)
    path = write_pcm_wav(tmp_path / "n.wav", np.stack([noise, noise[::-1]], axis=1), rate, 2)
    source = WavSource(path)
    streamed = np.concatenate([f.samples for f in source.frames()])
    whole = whole_file(path).samples
    assert len(streamed) == -(-len(whole) // FRAME_SAMPLES) * FRAME_SAMPLES
    assert np.abs(streamed[: len(whole)].astype(np.int32) - whole).max() <= 1
    assert not streamed[len(whole) :].any()


def test_a_wav_cut_off_mid_sample_is_read_to_its_last_whole_sample(tmp_path: Path) -> None:
    """A truncated file (the last sample half written) is heard, not a traceback."""
    path = write_pcm_wav(tmp_path / "cut.wav", sine(16000, 0.1)[:, None], 16000, 2)
    path.write_bytes(path.read_bytes()[:-1])
    frames = list(WavSource(path).frames())
    assert len(frames) == 5


def test_the_heap_is_kept_small_on_linux() -> None:
    """glibc's thresholds are fixed, so freed buffers go back to the system (a no-op, and
    False, where there is no glibc)."""
    from assistant.memory import keep_heap_small

    assert keep_heap_small() is sys.platform.startswith("linux")
