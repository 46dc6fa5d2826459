"""Whisper held to the grammar, on real synthesized speech with the real model: the numpy
decoder writes what CTranslate2 writes, commands are found with their numbers, and chatter
is far below Whisper's own reading of it."""

from __future__ import annotations

from functools import cache

import numpy as np
import pytest

from assistant.audio.voices import FESTIVAL, FLITE_WOMEN, PIPER, Voice, speak
from assistant.grammar import parse
from assistant.hearing.decision import decide
from assistant.hearing.engines import build, choose
from assistant.hearing.models import default_models_dir
from assistant.hearing.whisper_grammar import WhisperGrammarRecognizer
from assistant.settings import Settings

pytestmark = pytest.mark.slow
SETTINGS = Settings()


@cache
def _recognizer() -> WhisperGrammarRecognizer:
    recognizer = build(choose(SETTINGS, {}, default_models_dir(), "whisper"), SETTINGS, {})
    assert isinstance(recognizer, WhisperGrammarRecognizer)
    return recognizer


def _heard(text: str, voice: Voice) -> tuple[str, float]:
    recognizer = _recognizer()
    recognizer.begin()
    recognizer.feed(speak(text, voice).samples)
    [reading] = recognizer.end()
    return reading.text, reading.shortfall


@pytest.mark.parametrize(
    ("said", "voice", "intent", "amounts"),
    [
        ("log sixty five milliliters", FESTIVAL[0], "log", {"total": 65.0}),
        ("forty five on each side", PIPER[2], "log", {"left": 45.0, "right": 45.0}),
        ("next", PIPER[1], "next", None),
        ("how much time is left", FLITE_WOMEN[1], "time_left", None),
    ],
)
def test_a_command_is_found_with_its_numbers(
    said: str, voice: Voice, intent: str, amounts: dict[str, float] | None
) -> None:
    """Clean speech: the best command is what was said, within the margin."""
    text, shortfall = _heard(said, voice)
    command = parse(text)
    assert command is not None and command.intent == intent, text
    assert command.amounts_ml == amounts
    assert shortfall <= SETTINGS.recognition.margin


@pytest.mark.parametrize(
    ("said", "voice"),
    [
        ("the baby is finally asleep", FLITE_WOMEN[1]),
        ("next time we should try the other bottle", FESTIVAL[0]),
    ],
)
def test_chatter_is_far_below_whisper_s_own_reading(said: str, voice: Voice) -> None:
    """Talk that is no command: even the command that starts the same way ("next") is far
    less likely than what Whisper writes for it, so nothing is taken."""
    text, shortfall = _heard(said, voice)
    assert shortfall > SETTINGS.recognition.margin + 3, text


def test_the_numpy_decoder_writes_what_ctranslate2_writes() -> None:
    """The free reading, greedy through our decoder, equals CTranslate2's own greedy decode
    of the same encoder output (the same words, whatever their score's rounding)."""
    recognizer = _recognizer()
    model = recognizer._encoder.model  # CTranslate2's Whisper, as loaded for encoding
    for said, voice in (("the baby is finally asleep", FLITE_WOMEN[1]), ("undo", FESTIVAL[0])):
        encoded = recognizer._encoder.encode(speak(said, voice).samples)
        found = recognizer._search.run(
            recognizer._decoder.memory(encoded), recognizer._spellings["commands"], -np.inf, 0.0
        )
        ct2 = model.generate(
            recognizer._encoder.storage.from_array(np.ascontiguousarray(encoded[None])),
            [[50257, 50362]],
            beam_size=1,
            max_length=30,
        )[0].sequences[0]
        written = "".join(ct2).replace("Ġ", " ").strip()
        assert written.startswith(found.free.text.rstrip(".")), (written, found.free.text)


def test_the_decision_rule_is_applied_to_what_the_search_found() -> None:
    """`decide` on a real search: the log is taken, its shortfall small."""
    recognizer = _recognizer()
    encoded = recognizer._encoder.encode(speak("log sixty", FESTIVAL[3]).samples)
    found = recognizer._search.run(
        recognizer._decoder.memory(encoded), recognizer._spellings["commands"], 3.0, 2.0
    )
    heard = decide(found, 3.0, 2.0)
    assert parse(heard.text) is not None
