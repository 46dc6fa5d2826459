"""The coach's voices: each installed engine renders real speech, the most natural one
installed is the default, and `pumpcoach voices` lists, writes and keeps them."""

from __future__ import annotations

import tomllib
from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pytest

from assistant.audio.pcm import read_wav
from assistant.cli.main import main
from assistant.errors import AudioError
from assistant.speech.coach_voices import VOICES, default_voice, open_voice
from assistant.speech.festival_tts import FestivalSpeech
from assistant.speech.tts import TextToSpeech

CUE = "Massage both breasts in gentle circles."
INSTALLED = [voice.id for voice in VOICES if voice.installed()]


def rms(samples: np.ndarray) -> float:
    return float(np.sqrt(np.mean(samples.astype(np.float64) ** 2))) if len(samples) else 0.0


@pytest.fixture(scope="module", params=INSTALLED)
def engine(request: pytest.FixtureRequest) -> Iterator[TextToSpeech]:
    opened = open_voice(request.param)
    yield opened
    opened.close()


def test_every_installed_voice_says_a_cue(engine: TextToSpeech) -> None:
    audio = engine.synthesize(CUE, 165, 1.0)
    assert 1.0 < audio.duration_s < 6.0 and rms(audio.samples) > 300


def test_every_voice_speaks_faster_and_softer_when_told(engine: TextToSpeech) -> None:
    slow, fast = engine.synthesize(CUE, 120, 1.0), engine.synthesize(CUE, 240, 1.0)
    assert fast.duration_s < 0.75 * slow.duration_s
    loud, soft = engine.synthesize(CUE, 165, 1.0), engine.synthesize(CUE, 165, 0.3)
    assert rms(soft.samples) < 0.5 * rms(loud.samples)


@pytest.mark.parametrize("text", ["   ", 'She said "stop" \\ then (voice_kal_diphone) "', "-t"])
def test_any_text_is_said_or_is_silence(engine: TextToSpeech, text: str) -> None:
    """Quotes, backslashes and Scheme in a cue are words to festival, never code, and a
    blank cue is silence."""
    audio = engine.synthesize(text, 165, 1.0)
    assert (audio.duration_s == 0) == (not text.strip())


@pytest.mark.parametrize(
    ("platform", "path_has_engines", "default"),
    [
        ("linux", True, "slt-hts"),
        ("linux", False, "system"),
        ("darwin", True, "system"),
        ("win32", True, "system"),
    ],
)
def test_the_default_is_the_most_natural_voice_installed(
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
    platform: str,
    path_has_engines: bool,
    default: str,
) -> None:
    if not path_has_engines:
        monkeypatch.setenv("PATH", str(tmp_path))
    assert default_voice(platform).id == default


def test_a_voice_that_is_not_installed_is_one_sentence(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv("PATH", str(tmp_path))
    with pytest.raises(
        AudioError, match=r"voice 'slt-hts' is not installed; run scripts/setup\.sh"
    ):
        open_voice("slt-hts")
    with pytest.raises(AudioError, match="voice 'xx-nonesuch' is not installed"):
        open_voice("xx-nonesuch")


def test_festival_leaves_no_process_behind() -> None:
    speech = FestivalSpeech("cmu_us_slt_arctic_hts")
    process = speech._process
    speech.synthesize(CUE, 165, 1.0)
    speech.close()
    assert process.poll() is not None


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_voices_lists_them_and_marks_the_one_in_use(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    code, out, _ = run(capsys, "--config", str(tmp_path / "c.toml"), "voices")
    assert code == 0
    assert all(voice.id in out for voice in VOICES)
    line = next(line for line in out.splitlines() if "← in use" in line)
    assert default_voice().id in line


def test_voices_out_writes_each_voice_to_a_wav(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    code, _, _ = run(capsys, "voices", "--out", str(tmp_path / "v"))
    assert code == 0
    for voice_id in INSTALLED:
        assert read_wav(tmp_path / "v" / f"{voice_id}.wav").duration_s > 2.0


def test_voices_use_keeps_her_other_settings(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    config = tmp_path / "c.toml"
    config.write_text('unit = "oz"\nvoice = "system"\n\n[recognition]\nbarge_in = false\n')
    code, out, _ = run(capsys, "--config", str(config), "voices", "--use", "slt")
    assert code == 0 and "now speaks with slt" in out
    assert tomllib.loads(config.read_text()) == {
        "unit": "oz",
        "voice": "slt",
        "recognition": {"barge_in": False},
    }
    _, out, _ = run(capsys, "--config", str(config), "voices")
    assert "← in use" in next(line for line in out.splitlines() if line.startswith("│ slt "))


@pytest.mark.parametrize(
    ("argv", "said"),
    [
        (["voices", "--use", "nonesuch"], "There is no voice called 'nonesuch'; choose one of:"),
        (["voices", "--out", "/dev/null/x", "slt"], "/dev/null"),
    ],
)
def test_voices_mistakes_are_one_sentence(
    capsys: pytest.CaptureFixture[str], argv: list[str], said: str
) -> None:
    code, _, err = run(capsys, *argv)
    assert code == 2 and said in err and "Traceback" not in err
