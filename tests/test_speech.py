"""Speech output: real espeak-ng synthesis, the WAV timeline, live playback logic, printed cues."""

from __future__ import annotations

import io
import os
import shutil
import subprocess
import sys
import time
import wave
from collections.abc import Iterator
from concurrent.futures import Future
from pathlib import Path
from types import SimpleNamespace

import numpy as np
import numpy.typing as npt
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from assistant.audio.pcm import Audio
from assistant.errors import AudioError
from assistant.speech.live_speaker import ClipPlayer, CueQueue, LiveSpeaker, sentences
from assistant.speech.played_log import PlayedLog
from assistant.speech.print_speaker import PrintSpeaker
from assistant.speech.pyttsx3_tts import Pyttsx3Speech
from assistant.speech.speaker import Speaker, VoiceSettings
from assistant.speech.synthesis_worker import SynthesisWorker
from assistant.speech.wav_speaker import WavSpeaker

CUE = "Massage both breasts in gentle circles."
LONG_CUE = "Now compress gently toward the nipple, then release, and keep breathing slowly."


def rms(samples: npt.NDArray[np.int16]) -> float:
    return float(np.sqrt(np.mean(samples.astype(np.float64) ** 2))) if len(samples) else 0.0


@pytest.fixture(scope="module")
def synth() -> Iterator[Pyttsx3Speech]:
    s = Pyttsx3Speech(None)
    yield s
    s.close()


@pytest.fixture
def wav_speaker(tmp_path: Path) -> Iterator[WavSpeaker]:
    speaker = WavSpeaker(tmp_path / "cues.wav", rate_wpm=170, volume=1.0)
    yield speaker
    speaker.close()


# --- Pyttsx3Speech ---------------------------------------------------------------------------


def test_synthesizer_produces_real_speech(synth: Pyttsx3Speech) -> None:
    """A cue becomes seconds of loud int16 mono audio, not silence."""
    audio = synth.synthesize(CUE, 170, 1.0)
    assert audio.samples.dtype == np.int16
    assert audio.samples.ndim == 1
    assert 1.0 < audio.duration_s < 6.0
    assert rms(audio.samples) > 500


def test_faster_rate_gives_shorter_audio(synth: Pyttsx3Speech) -> None:
    """Speaking faster takes less time."""
    slow, fast = synth.synthesize(CUE, 120, 1.0), synth.synthesize(CUE, 300, 1.0)
    assert fast.duration_s < 0.7 * slow.duration_s


def test_lower_volume_gives_quieter_audio(synth: Pyttsx3Speech) -> None:
    """Volume 0.3 is clearly quieter than full volume."""
    loud, soft = synth.synthesize(CUE, 170, 1.0), synth.synthesize(CUE, 170, 0.3)
    assert rms(soft.samples) < 0.5 * rms(loud.samples)


def test_settings_apply_to_every_cue_in_a_long_run(synth: Pyttsx3Speech) -> None:
    """Alternating rates never leaves a cue at a stale rate or cut short (pyttsx3 races)."""
    durations: dict[int, set[float]] = {120: set(), 300: set()}
    for _ in range(10):
        for rate, seen in durations.items():
            seen.add(round(synth.synthesize(CUE, rate, 1.0).duration_s, 1))
    assert len(durations[120]) == 1
    assert len(durations[300]) == 1
    assert min(durations[120]) > 1.5 * max(durations[300])


def test_blank_text_gives_no_audio(synth: Pyttsx3Speech) -> None:
    """Whitespace is not spoken."""
    assert len(synth.synthesize("   ", 170, 1.0).samples) == 0


def test_out_of_range_voice_settings_are_rejected(synth: Pyttsx3Speech) -> None:
    """A rate espeak cannot use, or a volume above 1, is a programming error."""
    with pytest.raises(ValueError, match="rate_wpm"):
        synth.synthesize(CUE, 20, 1.0)
    with pytest.raises(ValueError, match="volume"):
        VoiceSettings(170, 1.5)


def test_an_english_voice_is_chosen_by_default(synth: Pyttsx3Speech) -> None:
    """With espeak-ng, cues are spoken in English whatever the system language."""
    assert synth.voice is not None
    assert "en" in synth.voice


def test_a_voice_can_be_named_by_language() -> None:
    """`en-us` finds espeak-ng's `gmw/en-us` voice."""
    s = Pyttsx3Speech("en-us")
    try:
        assert s.voice == "gmw/en-us"
        assert s.synthesize("Hello.", 170, 1.0).duration_s > 0.2
    finally:
        s.close()


def test_an_unknown_voice_is_one_sentence_audio_error() -> None:
    """Naming a voice that is not installed says so."""
    with pytest.raises(AudioError, match="voice 'xx-nonexistent' is not installed"):
        Pyttsx3Speech("xx-nonexistent")


def test_synthesis_prints_nothing_to_stdout(
    synth: Pyttsx3Speech, capfd: pytest.CaptureFixture[str]
) -> None:
    """stdout carries JSON events, so pyttsx3's "Audio saved to" never reaches it."""
    synth.synthesize(CUE, 170, 1.0)
    assert capfd.readouterr().out == ""


def test_a_fresh_process_keeps_stdout_and_logging_untouched() -> None:
    """The engine's first start and cue print nothing and install no root log handler."""
    code = (
        "import logging\n"
        "from assistant.speech.pyttsx3_tts import Pyttsx3Speech\n"
        "s = Pyttsx3Speech(None); a = s.synthesize('Hello there.', 170, 1.0); s.close()\n"
        "assert a.duration_s > 0.3\n"
        "assert logging.root.handlers == [], logging.root.handlers\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=60, check=False
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout == ""


# --- Resampling ----------------------------------------------------------------------------


def tone(freq: float, rate: int, seconds: float = 0.5) -> Audio:
    t = np.arange(int(rate * seconds)) / rate
    return Audio((10000 * np.sin(2 * np.pi * freq * t)).astype(np.int16), rate)


def peak_hz(audio: Audio) -> float:
    spectrum = np.abs(np.fft.rfft(audio.samples.astype(np.float64)))
    return float(np.fft.rfftfreq(len(audio.samples), 1 / audio.sample_rate)[np.argmax(spectrum)])


def test_resampling_keeps_pitch_and_duration() -> None:
    """A 1 kHz tone at 22050 Hz is still 1 kHz, same length, at 16 kHz."""
    out = tone(1000, 22050).resampled(16000)
    assert out.sample_rate == 16000
    assert out.duration_s == pytest.approx(0.5, abs=1e-3)
    assert peak_hz(out) == pytest.approx(1000, abs=5)
    assert rms(out.samples) == pytest.approx(rms(tone(1000, 22050).samples), rel=0.05)


def test_resampling_filters_what_16k_cannot_hold() -> None:
    """A 10 kHz tone (above 8 kHz) is filtered out instead of folding back as a false tone."""
    assert rms(tone(10000, 22050).resampled(16000).samples) < 0.05 * 7071


@settings(max_examples=50, deadline=None)
@given(n=st.integers(min_value=0, max_value=5000), rate=st.sampled_from([8000, 16000, 48000]))
def test_resampled_length_matches_the_rate_ratio(n: int, rate: int) -> None:
    """Resampling never drifts: length scales exactly with the rate."""
    out = Audio(np.ones(n, dtype=np.int16), 22050).resampled(rate)
    assert len(out.samples) == round(n * rate / 22050)
    assert out.samples.dtype == np.int16


# --- SynthesisWorker -----------------------------------------------------------------------


def test_worker_renders_in_order_and_cancels_unstarted_jobs() -> None:
    """Jobs finish in order; cancel_pending cancels jobs the thread has not started."""
    worker = SynthesisWorker()
    try:
        voice = VoiceSettings(170, 1.0)
        futures = [worker.submit(f"Cue number {i}.", voice) for i in range(6)]
        worker.cancel_pending()
        finished: list[Future[Audio]] = [f for f in futures if not f.cancelled()]
        assert futures[-1].cancelled()
        assert all(f.result(timeout=10).duration_s > 0.3 for f in finished)
        later = worker.submit(CUE, voice)
        assert later.result(timeout=10).duration_s > 1.0
    finally:
        worker.close()


# --- WavSpeaker ----------------------------------------------------------------------------


def read_wav(path: Path) -> tuple[npt.NDArray[np.int16], int, int, int]:
    with wave.open(str(path), "rb") as wav:
        frames = wav.readframes(wav.getnframes())
        return (
            np.frombuffer(frames, dtype="<i2").astype(np.int16),
            wav.getframerate(),
            wav.getnchannels(),
            wav.getsampwidth(),
        )


def as_speaker(speaker: LiveSpeaker | WavSpeaker | PrintSpeaker) -> Speaker:
    """mypy rejects this if any speaker stops matching the Speaker protocol."""
    return speaker


def test_speakers_satisfy_the_speaker_protocol() -> None:
    """WAV and printed speakers can be used wherever a Speaker is expected."""
    for speaker in (as_speaker(WavSpeaker(None)), as_speaker(PrintSpeaker(io.StringIO()))):
        speaker.say("Hello.", 0.0)
        speaker.set_voice(200, 0.5)
        speaker.close()


def test_wav_file_is_16k_mono_16bit_and_readable(wav_speaker: WavSpeaker, tmp_path: Path) -> None:
    """Python's wave and sox both read the file as 16 kHz mono 16-bit speech."""
    wav_speaker.say(CUE, 0.5)
    end = wav_speaker.spans[-1].end_s
    wav_speaker.close()
    path = tmp_path / "cues.wav"
    samples, rate, channels, width = read_wav(path)
    assert (rate, channels, width) == (16000, 1, 2)
    assert len(samples) / rate == pytest.approx(end, abs=1 / rate)
    if shutil.which("sox") is None:
        pytest.skip("sox is not installed")
    info = {
        flag: subprocess.run(
            ["sox", "--i", flag, str(path)], capture_output=True, text=True, check=True
        ).stdout.strip()
        for flag in ("-r", "-c", "-b", "-s")
    }
    assert info == {"-r": "16000", "-c": "1", "-b": "16", "-s": str(len(samples))}


def test_speech_sounds_inside_spans_and_silence_between(
    wav_speaker: WavSpeaker, tmp_path: Path
) -> None:
    """Each cue's span holds speech; the gaps between cues are silent."""
    wav_speaker.say(CUE, 1.0)
    wav_speaker.say("Switch sides.", 8.0)
    spans = wav_speaker.spans
    wav_speaker.close()
    samples, rate, _, _ = read_wav(tmp_path / "cues.wav")

    def part(a: float, b: float) -> npt.NDArray[np.int16]:
        return samples[round(a * rate) : round(b * rate)]

    assert [s.text for s in spans] == [CUE, "Switch sides."]
    assert [s.start_s for s in spans] == [1.0, 8.0]
    for span in spans:
        assert rms(part(span.start_s, span.end_s)) > 500
    assert rms(part(0.0, 1.0)) < 10
    assert rms(part(spans[0].end_s, 8.0)) < 10


def test_interrupting_cue_cuts_the_previous_one_at_its_time(wav_speaker: WavSpeaker) -> None:
    """interrupt=True ends the sounding cue at t and starts the new one there."""
    wav_speaker.say(LONG_CUE, 0.0)
    wav_speaker.say("Paused.", 1.5, interrupt=True)
    first, second = wav_speaker.spans
    assert (first.end_s, second.start_s) == (1.5, 1.5)
    audio = wav_speaker.render()
    assert rms(audio[round(1.5 * 16000) - 8 : round(1.5 * 16000)]) < 1000  # faded, no click


def test_non_interrupting_cue_waits_for_the_previous_one(wav_speaker: WavSpeaker) -> None:
    """interrupt=False queues the new cue to start when the sounding one ends."""
    wav_speaker.say(LONG_CUE, 0.0)
    wav_speaker.say("Next step.", 1.0)
    first, second = wav_speaker.spans
    assert first.end_s > 3.0
    assert second.start_s == first.end_s
    assert second.end_s > second.start_s + 0.4


def test_interrupt_drops_queued_cues_that_had_not_started(wav_speaker: WavSpeaker) -> None:
    """A cue queued behind the sounding one is dropped, not played, on interrupt."""
    wav_speaker.say(LONG_CUE, 0.0)
    wav_speaker.say("Stale reminder.", 0.5)
    wav_speaker.say("Okay, stopping.", 1.0, interrupt=True)
    assert [s.text for s in wav_speaker.spans] == [LONG_CUE, "Okay, stopping."]
    assert wav_speaker.spans[0].end_s == 1.0


def test_empty_interrupt_just_falls_silent(wav_speaker: WavSpeaker) -> None:
    """say('', t, interrupt=True) stops the cue at t and adds nothing."""
    wav_speaker.say(LONG_CUE, 0.0)
    wav_speaker.say("", 2.0, interrupt=True)
    (only,) = wav_speaker.spans
    assert only.end_s == 2.0
    assert len(wav_speaker.render()) == 2 * 16000


def test_spans_are_known_as_soon_as_say_returns(wav_speaker: WavSpeaker) -> None:
    """say() waits for the cue to render, so the timeline is never behind the caller."""
    wav_speaker.say(CUE, 3.0)
    (span,) = wav_speaker.spans
    assert span.start_s == 3.0
    assert span.covers(3.5)
    assert not span.covers(span.end_s)


def test_set_voice_changes_later_cues(wav_speaker: WavSpeaker) -> None:
    """A faster rate makes the next cue shorter."""
    wav_speaker.say(CUE, 0.0)
    wav_speaker.set_voice(300, 1.0)
    wav_speaker.say(CUE, 10.0)
    slow, fast = wav_speaker.spans
    assert fast.duration_s < 0.7 * slow.duration_s


def test_wav_into_a_missing_folder_is_an_audio_error(tmp_path: Path) -> None:
    """A path that cannot be written is reported before the session starts."""
    with pytest.raises(AudioError, match="Cannot write the speech recording"):
        WavSpeaker(tmp_path / "nope" / "cues.wav")


def test_close_is_idempotent_and_say_after_close_fails(tmp_path: Path) -> None:
    """close() twice is harmless; an empty timeline still writes a valid WAV."""
    speaker = WavSpeaker(tmp_path / "empty.wav")
    speaker.close()
    speaker.close()
    assert read_wav(tmp_path / "empty.wav")[1:] == (16000, 1, 2)
    with pytest.raises(RuntimeError):
        speaker.say(CUE, 0.0)


# --- Live playback -------------------------------------------------------------------------


def output_device_exists() -> bool:
    try:
        import sounddevice as sd

        sd.query_devices(kind="output")
    except Exception:
        return False
    return True


def test_live_speaker_without_an_output_device_is_a_clear_audio_error() -> None:
    """No sound card: one sentence the CLI can show before falling back to printed cues."""
    if output_device_exists():
        pytest.skip("this machine has an audio output device")
    with pytest.raises(AudioError) as caught:
        LiveSpeaker()
    assert str(caught.value) == (
        "No audio output device (speakers or headphones) was found; cues will be printed instead."
    )


LIVE_SCRIPT = """
import time
from assistant.speech.live_speaker import LiveSpeaker
s = LiveSpeaker(rate_wpm=170, volume=1.0)
s.say("Massage both breasts in gentle circles.", 0.0)
assert s.is_speaking()
deadline = time.monotonic() + 10
while s.is_speaking() and time.monotonic() < deadline:
    time.sleep(0.01)
assert not s.is_speaking(), "the device never consumed the cue"
s.say("A long cue that an interrupting one replaces at once.", 1.0)
s.say("Paused.", 1.1, interrupt=True)
s.close()
print("ok")
"""


def test_live_speaker_plays_through_a_virtual_alsa_device(tmp_path: Path) -> None:
    """With an ALSA null device (a private HOME's .asoundrc), cues reach the output callback."""
    if not sys.platform.startswith("linux") or not Path("/usr/share/alsa/alsa.conf").exists():
        pytest.skip("needs ALSA")
    (tmp_path / ".asoundrc").write_text("pcm.pumpnull { type null }\npcm.!default pumpnull\n")
    done = subprocess.run(
        [sys.executable, "-c", LIVE_SCRIPT],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
        env={**os.environ, "HOME": str(tmp_path)},
    )
    if "No audio output device" in done.stderr:
        pytest.skip("PortAudio does not list the ALSA null device here")
    assert done.returncode == 0, done.stderr
    assert done.stdout == "ok\n"


def pump(player: ClipPlayer, frames: int) -> npt.NDArray[np.int16]:
    """What the device would receive in one callback of `frames` samples."""
    out = np.full((frames, 1), 123, dtype=np.int16)
    player.fill(out, frames, None, None)
    return out.reshape(-1)


def test_clip_player_plays_clips_back_to_back_then_silence() -> None:
    """Queued clips follow each other exactly; an idle player outputs zeros."""
    player = ClipPlayer(16000)
    player.append(np.arange(1, 6, dtype=np.int16))
    player.append(np.arange(10, 13, dtype=np.int16))
    assert player.busy()
    assert pump(player, 4).tolist() == [1, 2, 3, 4]
    assert pump(player, 6).tolist() == [5, 10, 11, 12, 0, 0]
    assert not player.busy()


def test_clip_player_clear_fades_out_and_drops_the_queue() -> None:
    """clear() ends the sounding clip with a 10 ms fade and forgets queued ones."""
    player = ClipPlayer(16000)
    player.append(np.full(16000, 10000, dtype=np.int16))
    player.append(np.full(16000, 10000, dtype=np.int16))
    pump(player, 100)
    player.clear()
    out = pump(player, 400)
    assert out[0] == 10000
    assert np.all(np.diff(out[:160].astype(np.int32)) <= 0)
    assert np.all(out[160:] == 0)
    assert not player.busy()


def drain(queue: CueQueue, player: ClipPlayer, timeout_s: float = 10.0) -> list[int]:
    """Play everything queued, as a device would; returns each callback's non-silent count."""
    played: list[int] = []
    deadline = time.monotonic() + timeout_s
    while queue.is_speaking() and time.monotonic() < deadline:
        played.append(int(np.count_nonzero(pump(player, 22050))))
        time.sleep(0.001)
    return played


def test_cue_queue_speaks_cues_in_order_and_reports_speaking() -> None:
    """Cues reach the device one after another; is_speaking() is True until all played."""
    worker, player = SynthesisWorker(), ClipPlayer(22050)
    queue = CueQueue(worker, player, 22050, VoiceSettings(170, 1.0))
    try:
        assert not queue.is_speaking()
        queue.say(CUE, 0.0)
        queue.say("Switch sides.", 0.1)
        assert queue.is_speaking()
        played = drain(queue, player)
        assert not queue.is_speaking()
        assert sum(n > 0 for n in played) >= 3  # about 3 s of speech in 1 s callbacks
    finally:
        worker.close()


def test_cue_queue_interrupt_drops_stale_cues() -> None:
    """An interrupting cue cuts the sounding one and nothing queued before it is played."""
    worker, player = SynthesisWorker(), ClipPlayer(22050)
    queue = CueQueue(worker, player, 22050, VoiceSettings(170, 1.0))
    try:
        queue.say(LONG_CUE, 0.0)
        queue.say(LONG_CUE, 0.1)
        queue.say(LONG_CUE, 0.2)
        deadline = time.monotonic() + 10
        while not player.busy() and time.monotonic() < deadline:
            time.sleep(0.005)
        pump(player, 2205)  # 0.1 s of the first cue has played
        queue.say("Paused.", 0.3, interrupt=True)
        played = drain(queue, player)
        total = sum(played)
        assert 0 < total < 1.5 * 22050  # a fade plus "Paused.", not three long cues
    finally:
        worker.close()


# --- PrintSpeaker --------------------------------------------------------------------------


def test_print_speaker_writes_each_cue_as_a_line() -> None:
    """Cues appear as `» text` lines; blank cues and voice changes print nothing."""
    out = io.StringIO()
    speaker = PrintSpeaker(out)
    speaker.say(CUE, 0.0)
    speaker.set_voice(200, 0.5)
    speaker.say("  ", 1.0)
    speaker.say("Paused.", 2.0, interrupt=True)
    speaker.close()
    assert out.getvalue() == f"» {CUE}\n» Paused.\n"


def test_print_speaker_defaults_to_stderr(capsys: pytest.CaptureFixture[str]) -> None:
    """stdout stays free for JSON events."""
    PrintSpeaker().say("Hello.", 0.0)
    captured = capsys.readouterr()
    assert (captured.out, captured.err) == ("", "» Hello.\n")


def test_print_speaker_quiet_writes_nothing() -> None:
    """quiet=True is for when a screen already shows every cue."""
    out = io.StringIO()
    PrintSpeaker(out, quiet=True).say("Hello.", 0.0)
    assert out.getvalue() == ""


def test_print_speaker_survives_an_ascii_only_stream() -> None:
    """A stream that cannot encode » gets >> instead of an exception."""
    raw = io.BytesIO()
    stream = io.TextIOWrapper(raw, encoding="ascii")
    PrintSpeaker(stream).say("Hello.", 0.0)
    assert raw.getvalue() == b">> Hello.\n"


def test_clip_player_logs_what_it_hands_over_at_the_moment_it_will_sound() -> None:
    """With barge-in, each block is logged at the device's DAC time for the echo canceller:
    a cut cue is in the log as it was played (faded), and no further."""
    log = PlayedLog()
    player = ClipPlayer(16000, log=log)
    player.append(np.full(1600, 10000, dtype=np.int16))
    for k in range(4):
        out = np.zeros((320, 1), dtype=np.int16)
        player.fill(out, 320, SimpleNamespace(outputBufferDacTime=7.0 + k * 0.02), None)
        if k == 1:
            player.clear()
    played = log.played(7.0, 4 * 320)
    assert np.all(played[:640] == 10000)
    assert np.all(np.diff(played[640:800].astype(np.int32)) <= 0)
    assert not played[800:].any()


@pytest.mark.parametrize(
    ("text", "parts"),
    [
        ("Paused.", ["Paused."]),
        (
            "Logged 65 millilitres. Say undo to take it back.",
            ["Logged 65 millilitres.", "Say undo to take it back."],
        ),
        ("Another 1.5 ounces? Say yes!  Or no.", ["Another 1.5 ounces?", "Say yes!", "Or no."]),
        ("   ", []),
    ],
)
def test_a_cue_is_said_sentence_by_sentence(text: str, parts: list[str]) -> None:
    assert sentences(text) == parts


class HeldWorker:
    """Renders each sentence as 0.1 s of sound, when the test says so."""

    def __init__(self) -> None:
        self.jobs: list[tuple[str, Future[Audio]]] = []

    def submit(self, text: str, settings: VoiceSettings) -> Future[Audio]:
        future: Future[Audio] = Future()
        self.jobs.append((text, future))
        return future

    def render(self, index: int) -> None:
        self.jobs[index][1].set_result(Audio(np.full(2205, 1000, dtype=np.int16), 22050))

    def cancel_pending(self) -> None:
        for _, future in self.jobs:
            future.cancel()


def test_the_first_sentence_sounds_while_the_rest_is_rendered() -> None:
    """A read-back rendered whole kept her waiting for its second sentence before the first
    was heard (over a second with festival)."""
    worker, player = HeldWorker(), ClipPlayer(22050)
    queue = CueQueue(worker, player, 22050, VoiceSettings(170, 1.0))  # type: ignore[arg-type]
    queue.say("Logged 65 millilitres. Say undo to take it back.", 0.0)
    assert [text for text, _ in worker.jobs] == [
        "Logged 65 millilitres.",
        "Say undo to take it back.",
    ]
    worker.render(0)
    assert player.busy() and queue.is_speaking()
    queue.say("Paused.", 0.5, interrupt=True)
    worker.render(2)
    played = int(np.count_nonzero(pump(player, 22050)))
    # "Paused." and the cut sentence's 10 ms fade; the second sentence was never rendered
    assert 2205 <= played < 2205 + 0.011 * 22050


def test_a_cue_starts_with_its_first_word_and_its_sentences_keep_their_pauses() -> None:
    """festival and flite put 0.2 s of quiet before each sentence: at the start of a cue that
    is only a wait (it added a quarter second to every answer), between sentences a pause."""
    worker, player = HeldWorker(), ClipPlayer(22050)
    queue = CueQueue(worker, player, 22050, VoiceSettings(170, 1.0))  # type: ignore[arg-type]
    queue.say("Stopped. Say finish.", 0.0)
    lead_in = np.zeros(4410, dtype=np.int16)  # 0.2 s
    word = np.full(2205, 1000, dtype=np.int16)
    for _, future in worker.jobs:
        future.set_result(Audio(np.concatenate([lead_in, word]), 22050))
    out = pump(player, 22050)
    sounding = np.flatnonzero(out)
    assert sounding[0] <= 0.02 * 22050  # the first word at once
    assert sounding[-1] - sounding[0] >= 2205 + 4410  # the second sentence after its pause
