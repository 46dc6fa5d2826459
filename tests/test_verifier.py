"""pocketsphinx proposes, Whisper disposes: the real engines on real synthesized speech."""

from __future__ import annotations

import math
from pathlib import Path

import numpy as np
import pytest

from assistant.audio.pcm import SAMPLE_RATE
from assistant.audio.voices import WOMEN, speak
from assistant.cli.main import main
from assistant.hearing.engines import build
from assistant.hearing.models import EngineChoice
from assistant.hearing.pocketsphinx_engine import PocketsphinxRecognizer
from assistant.hearing.recognizer import Hypothesis
from assistant.hearing.verifier import VerifiedRecognizer, close_runner_up, renderings_of
from assistant.settings import RecognitionSettings, Settings

pytestmark = pytest.mark.slow

POCKETSPHINX = EngineChoice("pocketsphinx", None, "test")


@pytest.fixture(scope="module")
def verified() -> VerifiedRecognizer:
    recognizer = build(POCKETSPHINX, Settings(), {})
    assert isinstance(recognizer, VerifiedRecognizer)
    return recognizer


def readings(recognizer: VerifiedRecognizer, text: str, voice: int = 0) -> list[Hypothesis]:
    """One utterance as the listener hands it over: the words with a little quiet around."""
    quiet = np.zeros(SAMPLE_RATE // 4, np.int16)
    return recognizer.decode(np.concatenate([quiet, speak(text, WOMEN[voice]).samples, quiet]))


@pytest.mark.parametrize(
    ("command", "written"),
    [
        ("stop", {"stop", "Stop"}),
        ("i got eight", {"i got eight", "i got 8", "I got eight", "I got 8"}),
        ("i've got a quarter", {"i've got a quarter", "I've got a quarter"}),
        ("log sixty five ml", {"log sixty five ml", "log 65 ml", "Log sixty five ml", "Log 65 ml"}),
        ("which step", {"which step", "Which step"}),
    ],
)
def test_a_command_is_weighed_as_whisper_might_write_it(command: str, written: set[str]) -> None:
    assert renderings_of(command) == written


@pytest.mark.parametrize(
    ("said", "heard"),
    [("next", "next"), ("where am i", "where am i"), ("log sixty five milliliters", None)],
)
def test_a_command_she_said_is_accepted(
    verified: VerifiedRecognizer, said: str, heard: str | None
) -> None:
    [reading] = readings(verified, said)
    assert reading.confidence > 0, reading
    if heard is not None:
        assert reading.text == heard
    else:
        assert reading.text in ("log sixty five milliliters", "log 65 milliliters")


@pytest.mark.parametrize(
    ("said", "voice"),
    [
        ("i got the milk", 1),
        ("she is asleep", 1),
        ("got it", 0),
        ("good morning", 2),
    ],
)
def test_chatter_the_engine_bent_into_a_command_is_turned_down(said: str, voice: int) -> None:
    """Held to the grammar, pocketsphinx bends everyday talk into commands ("yes please",
    "log two"); Whisper hears what was said, and the command falls 7-22 short of it ("got it"
    is read "Guard it", and "go ahead", spelled like it, is 7.4 short with 7 allowed).

    A fresh recognizer each: pocketsphinx's running cepstral mean carries over from one
    utterance to the next, so what it proposes depends on what it heard before."""
    verified = build(POCKETSPHINX, Settings(), {})
    assert isinstance(verified, VerifiedRecognizer)
    [reading] = readings(verified, said, voice)
    assert math.isfinite(reading.shortfall), "pocketsphinx proposed no command: nothing to check"
    assert reading.shortfall > RecognitionSettings().verify_margin
    assert reading.confidence == 0.0  # below any min_confidence: the listener drops it


def test_verification_can_be_turned_off() -> None:
    settings = Settings(recognition=RecognitionSettings(verify=False))
    recognizer = build(POCKETSPHINX, settings, {})
    assert isinstance(recognizer, PocketsphinxRecognizer)
    recognizer.close()


def test_without_a_whisper_model_commands_are_taken_as_heard_and_she_is_told(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    recognizer = build(POCKETSPHINX, Settings(whisper_model=tmp_path), {})
    assert isinstance(recognizer, PocketsphinxRecognizer)
    recognizer.close()
    said = capsys.readouterr().err.strip()
    assert said.startswith("Commands are not double-checked: there is no Whisper model at")
    assert said.count("\n") == 0


@pytest.mark.parametrize(
    ("config", "said"),
    [
        ("", "Commands are checked by the Whisper model at "),
        ("[recognition]\nverify = false\n", "Commands are not double-checked: `verify` is off"),
    ],
)
def test_models_says_whether_whisper_checks_commands(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], config: str, said: str
) -> None:
    path = tmp_path / "config.toml"
    path.write_text(config, encoding="utf-8")
    assert main(["--config", str(path), "models"]) == 0
    assert capsys.readouterr().out.splitlines()[1].startswith(said)


@pytest.mark.parametrize("said", ["end session", "add fourteen"])
def test_while_she_is_asked_to_confirm_only_yes_or_no_is_taken(said: str) -> None:
    """Whisper reads "and session", "at 14"; in commands mode the nearest commands ("end
    session", "add 14") are weighed, but not while the coach waits for a yes or a no."""
    verified = build(POCKETSPHINX, Settings(), {})
    assert isinstance(verified, VerifiedRecognizer)
    verified.listen_for("yes_no")
    [reading] = readings(verified, said, voice=0)
    assert reading.confidence == 0.0, reading


@pytest.mark.parametrize(
    ("scores", "chosen", "runner_up"),
    [
        ({"log sixty": -3.0, "log sixteen": -4.5}, "log sixty", "log sixteen"),
        ({"log sixty": -3.0, "log sixteen": -5.5}, "log sixty", ""),
        ({"log sixty": -3.0, "log 60": -3.1}, "log sixty", ""),
        ({"log sixty": -3.0, "next": -3.1}, "log sixty", ""),
        ({"next": -3.0, "log sixteen": -3.1}, "next", ""),
        (
            {"log sixty": -3.0, "log sixty five": -3.5, "log sixteen": -4.0},
            "log sixty",
            "log sixty five",
        ),
    ],
)
def test_a_close_runner_up_with_other_amounts_goes_with_a_log(
    scores: dict[str, float], chosen: str, runner_up: str
) -> None:
    """Within the ask margin, the likeliest other log with other amounts is asked back; the
    same amounts, another kind of command, or a log chosen over nothing, are not."""
    assert close_runner_up(scores, chosen, 2.0) == runner_up


def test_an_amount_alone_has_its_runner_up_too() -> None:
    """Asked how much, "sixty nine" alone is a log: "sixty five" close behind is asked about.
    It was not (a bare amount was no log to the check), and 69 ml was stored."""
    scores = {"sixty nine": -3.0, "sixty five": -3.5}
    assert close_runner_up(scores, "sixty nine", 2.0) == ""
    assert close_runner_up(scores, "sixty nine", 2.0, "amount") == "sixty five"
