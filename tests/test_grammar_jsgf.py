"""The JSGF serialization: valid, complete, and known to pocketsphinx's dictionary."""

from __future__ import annotations

import io
import os
import re
import shutil
import subprocess
import wave
from pathlib import Path

import numpy as np
import pytest
from pocketsphinx import Decoder, get_model_path

from assistant.grammar import parse
from assistant.grammar.dsl import alt, rule, words
from assistant.grammar.jsgf import to_jsgf
from assistant.grammar.rules import COMMAND, INTENT_RULES, TYPED_ONLY_WORDS

DICTIONARY = Path(get_model_path()) / "en-us" / "cmudict-en-us.dict"


def _dictionary_words() -> set[str]:
    lines = DICTIONARY.read_text(encoding="utf-8", errors="replace").splitlines()
    return {line.split(maxsplit=1)[0].split("(")[0].lower() for line in lines if line.strip()}


def test_grammar_has_header_name_public_command_and_named_rules() -> None:
    """The text is JSGF V1.0 with a public <command> and rules for numbers, units, sides."""
    text = to_jsgf()
    assert text.startswith("#JSGF V1.0;\n")
    assert "\ngrammar pumpcoach;\n" in text
    assert "\npublic <command> = " in text
    for name in ("number", "unit", "unit_ml", "unit_oz", "side_left", "side_right", "log"):
        assert re.search(rf"^<{name}> = .+;$", text, re.MULTILINE), name


def test_grammar_leaves_out_digits_and_typed_only_words() -> None:
    """Speech engines get words only: no digits, no "ml", no "oz"."""
    rule_bodies = [line.split(" = ", 1)[1] for line in to_jsgf().splitlines() if " = " in line]
    tokens = set(re.sub(r"<\w+>|[()\[\]|;]", " ", " ".join(rule_bodies)).split())
    assert not any(ch.isdigit() for token in tokens for ch in token)
    assert not tokens & TYPED_ONLY_WORDS
    assert tokens == words(COMMAND, include_typed=False)


def test_every_spoken_word_is_in_the_pocketsphinx_dictionary() -> None:
    """A word the recognizer cannot pronounce would break the grammar: none may be missing."""
    missing = words(COMMAND, include_typed=False) - _dictionary_words()
    assert not missing


def test_typed_only_words_are_really_unknown_to_speech() -> None:
    """Typed-only words are those the dictionary lacks, or "oz", which it has as the Land of Oz."""
    assert (TYPED_ONLY_WORDS - {"oz"}).isdisjoint(_dictionary_words())


def test_any_rule_can_be_serialized_under_any_grammar_name() -> None:
    """A smaller grammar (e.g. only yes/no while confirming) comes from the same rules."""
    text = to_jsgf(rule("confirm", alt(INTENT_RULES["yes"], INTENT_RULES["no"])), "confirm")
    assert "public <confirm> = <yes> | <no>;" in text
    with pytest.raises(ValueError):
        to_jsgf(name="not a name")


@pytest.mark.slow
def test_pocketsphinx_loads_the_whole_grammar() -> None:
    """pocketsphinx parses the generated grammar and builds a search from it."""
    decoder = Decoder(lm=None, loglevel="ERROR")
    decoder.add_jsgf_string("pumpcoach", to_jsgf())
    decoder.activate_search("pumpcoach")
    assert decoder.current_search() == "pumpcoach"


@pytest.mark.slow
@pytest.mark.skipif(shutil.which("espeak-ng") is None, reason="needs espeak-ng to speak")
def test_pocketsphinx_hears_a_synthesized_command_that_parses() -> None:
    """espeak-ng says "next step"; pocketsphinx, held to our rules, hears it; parse agrees.

    A navigation-only grammar keeps decoding fast (the full grammar decodes too, but slowly).
    """
    navigation = rule("navigation", alt(*(INTENT_RULES[i] for i in ("next", "back", "pause"))))
    decoder = Decoder(lm=None, loglevel="ERROR")
    decoder.add_jsgf_string("navigation", to_jsgf(navigation, "navigation"))
    decoder.activate_search("navigation")
    spoken = subprocess.run(
        ["espeak-ng", "-v", "en-us", "--stdout", "next step"],
        capture_output=True,
        check=True,
        timeout=30,
        env={**os.environ, "LC_ALL": "C"},
    ).stdout
    with wave.open(io.BytesIO(spoken)) as wav:
        rate = wav.getframerate()
        audio = np.frombuffer(wav.readframes(wav.getnframes()), dtype=np.int16)
    at_16k = np.interp(np.arange(0, len(audio), rate / 16000), np.arange(len(audio)), audio)
    decoder.start_utt()
    decoder.process_raw(at_16k.astype(np.int16).tobytes(), full_utt=True)
    decoder.end_utt()
    hypothesis = decoder.hyp()
    assert hypothesis is not None and hypothesis.hypstr == "next step"
    command = parse(hypothesis.hypstr)
    assert command is not None and command.intent == "next"
