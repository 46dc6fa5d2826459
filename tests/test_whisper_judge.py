"""Whisper as a judge, on real synthesized speech and the real tiny English model."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from assistant.audio.pcm import Samples
from assistant.audio.voices import WOMEN, speak
from assistant.hearing.whisper_judge import JudgeError, WhisperJudge, first_saying
from assistant.hearing.whisper_model import WHISPER_ENV, find_whisper_model

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def judge() -> WhisperJudge:
    model = find_whisper_model(None, {})
    assert model is not None, "the tiny English Whisper model is a dependency"
    return WhisperJudge(model.folder)


def weigh(
    judge: WhisperJudge, samples: Samples, asked: list[str]
) -> tuple[str, float, list[float]]:
    """Whisper's own reading, its log-probability, and that of each text asked about."""
    heard = judge.hear(samples)
    *scores, free_log_prob = judge.log_probs(heard, [*asked, heard.free])
    return heard.free, free_log_prob, scores


@pytest.mark.parametrize(
    ("said", "asked"),
    [
        ("pause", ["pause", "next", "louder"]),
        ("time left", ["time left", "start", "help"]),
        ("log sixty milliliters", ["log 60 milliliters", "log 16 milliliters", "next"]),
    ],
)
def test_what_was_said_is_the_likeliest_and_close_to_whispers_own_reading(
    judge: WhisperJudge, said: str, asked: list[str]
) -> None:
    free, free_log_prob, scores = weigh(judge, speak(said, WOMEN[0]).samples, asked)
    assert int(np.argmax(scores)) == 0, (free, scores)
    assert free_log_prob - scores[0] < 6.0, (free, free_log_prob, scores)


def test_chatter_bent_into_a_command_falls_far_below_whispers_own_reading(
    judge: WhisperJudge,
) -> None:
    """What pocketsphinx made of this sentence, held to the command grammar."""
    said = speak("did you call your mother today", WOMEN[2]).samples
    free, free_log_prob, scores = weigh(judge, said, ["i got three"])
    assert "mother" in free.lower()
    assert free_log_prob - scores[0] > 15.0, (free, free_log_prob, scores)


def test_silence_is_weighed_too(judge: WhisperJudge) -> None:
    _, free_log_prob, scores = weigh(judge, np.zeros(8000, np.int16), ["next"])
    assert np.isfinite(free_log_prob) and np.isfinite(scores[0])


def test_a_folder_that_is_no_model_is_one_clear_error(tmp_path: Path) -> None:
    with pytest.raises(JudgeError, match=f"no usable Whisper model at {tmp_path}"):
        WhisperJudge(tmp_path)


def test_the_model_is_found_in_the_setting_then_the_environment_then_the_package(
    tmp_path: Path,
) -> None:
    setting = find_whisper_model(tmp_path / "a", {WHISPER_ENV: str(tmp_path / "b")})
    assert setting is not None and setting.folder == tmp_path / "a"
    variable = find_whisper_model(None, {WHISPER_ENV: str(tmp_path / "b")})
    assert variable is not None and variable.folder == tmp_path / "b"
    installed = find_whisper_model(None, {})
    assert installed is not None and (installed.folder / "model.bin").is_file()
    assert installed.bundled


@pytest.mark.parametrize(
    ("written", "first"),
    [
        ("Next.", "Next"),
        ("Next. Next. Next.", "Next"),
        ("Once, once, once,", "Once"),
        ("slow down slow down", "slow down"),
        ("Log 2.5 ounces.", "Log 2.5 ounces"),
        ("Hello! How are you?", "Hello"),
        ("I got 60 milliliters", "I got 60 milliliters"),
        ("", ""),
        ("...", ""),
    ],
)
def test_whispers_reading_is_cut_to_its_first_saying(written: str, first: str) -> None:
    assert first_saying(written) == first
