"""vosk with a phrase-list language model built from the command grammar.

Given a list of phrases, vosk estimates a small bigram model from them (counting repeats,
so the balanced training sentences keep every intent audible next to the many log
sentences) and decodes against it: fast, and it can only hear grammar words, plus the
unknown-word token where out-of-grammar speech lands. Phrases with a word the model does not
know are left out (vosk would silently drop just that word and skew the counts).

One recognizer per `ListenFor` is built up front (milliseconds each); the model is loaded
once. The `vosk` import happens in the constructor, so importing this module never fails.
"""

from __future__ import annotations

import json
import time
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from assistant.audio.pcm import SAMPLE_RATE, Samples
from assistant.grammar.sentences import (
    INTENTS,
    LOG_SAMPLES,
    YES_NO_COPIES,
    training_sentences,
    yes_no_sentences,
)
from assistant.hearing.models import FETCH_HINT, ModelError, is_vosk_model
from assistant.hearing.recognizer import Hypothesis, ListenFor

UNKNOWN = "[unk]"
"""vosk's out-of-vocabulary word: somewhere for words outside the grammar to go."""
UNKNOWN_SPELLINGS = (UNKNOWN, "<unk>", "<UNK>")
LISTS: tuple[ListenFor, ...] = ("commands", "yes_no")
"""One phrase list each; while an amount is awaited, the commands list is listened to."""
"""How models spell the unknown word; the first one a model knows stands in for `[unk]`."""


class VoskRecognizer:
    """A Recognizer over vosk; one KaldiRecognizer per `ListenFor`, sharing one model."""

    name = "vosk"

    def __init__(
        self, model_dir: Path, phrases: Mapping[ListenFor, Sequence[str]] | None = None
    ) -> None:
        """Load the model in `model_dir` and build a recognizer per phrase list (by default
        `vosk_phrases`); ModelError with one sentence if that fails."""
        vosk = _import_vosk()
        if not is_vosk_model(model_dir):
            raise ModelError(
                f"{model_dir} is not a vosk model folder (it needs am/final.mdl, "
                f"conf/model.conf and a graph/ folder); {FETCH_HINT}."
            )
        vosk.SetLogLevel(-1)
        started = time.perf_counter()
        try:
            self._model: Any = vosk.Model(str(model_dir))
        except Exception as error:  # vosk raises a bare Exception("Failed to create a model")
            raise ModelError(
                f"vosk could not load the model at {model_dir} ({error}); it may be damaged: "
                f"delete it and {FETCH_HINT}."
            ) from error
        loaded = time.perf_counter()
        self._known: dict[str, bool] = {}
        self._unknown = next((w for w in UNKNOWN_SPELLINGS if self._knows(w)), None)
        self.unknown_words: set[str] = set()
        """Grammar words this model does not know (phrases with them are not listened for)."""
        lists = phrases or {what: vosk_phrases(what) for what in LISTS}
        self._recognizers: dict[ListenFor, Any] = {
            what: self._recognizer(vosk, what, lists[what]) for what in LISTS
        }
        self.timings = {
            "model_load_s": loaded - started,
            "grammar_build_s": time.perf_counter() - loaded,
        }
        """Seconds spent loading the model and building the phrase-list recognizers."""
        self._listening: ListenFor = "commands"

    def _knows(self, word: str) -> bool:
        if word not in self._known:
            self._known[word] = self._model.vosk_model_find_word(word) >= 0
        return self._known[word]

    def usable_phrases(self, phrases: Sequence[str]) -> list[str]:
        """`phrases` whose every word the model knows, with `[unk]` in this model's spelling
        (or left out if the model has no unknown word)."""
        usable: list[str] = []
        for phrase in phrases:
            if phrase == UNKNOWN:
                if self._unknown is not None:
                    usable.append(self._unknown)
                continue
            missing = [w for w in phrase.split() if not self._knows(w)]
            self.unknown_words.update(missing)
            if phrase.split() and not missing:
                usable.append(phrase)
        return usable

    def _recognizer(self, vosk: Any, what: ListenFor, phrases: Sequence[str]) -> Any:
        usable = self.usable_phrases(phrases)
        if not any(p != self._unknown for p in usable):
            raise ModelError(
                f"The vosk model knows none of the words Pump Coach listens for ({what}); "
                f"it needs an English model: {FETCH_HINT}."
            )
        try:
            recognizer = vosk.KaldiRecognizer(
                self._model, SAMPLE_RATE, json.dumps(usable, ensure_ascii=False)
            )
        except Exception as error:
            raise ModelError(f"vosk could not build its {what} grammar ({error}).") from error
        recognizer.SetWords(True)
        return recognizer

    def listen_for(self, what: ListenFor) -> None:
        what = "yes_no" if what == "yes_no" else "commands"  # an amount alone is not in its list
        if what not in self._recognizers:
            raise ValueError(f"cannot listen for {what!r}")
        self._listening = what

    def decode(self, samples: Samples) -> list[Hypothesis]:
        recognizer = self._recognizers[self._listening]
        recognizer.Reset()
        if len(samples):
            recognizer.AcceptWaveform(samples.astype("<i2").tobytes())
        return readings(json.loads(recognizer.FinalResult()))

    def close(self) -> None:
        """Free the recognizers and the model (they are freed on garbage collection too)."""
        self._recognizers.clear()
        self._model = None


def vosk_phrases(listen_for: ListenFor, log_samples: int = LOG_SAMPLES) -> list[str]:
    """The phrase list for a vosk recognizer: the training sentences, repeats kept (vosk
    counts them when it estimates its bigram model, so they keep the intents balanced), and
    "[unk]" weighing as much as one intent, for everything else."""
    if listen_for == "commands":
        sentences = training_sentences(log_samples=log_samples)
        unknown_weight = max(1, round(log_samples / len(INTENTS)))
    else:
        sentences = yes_no_sentences()
        unknown_weight = YES_NO_COPIES
    return [*sentences, *[UNKNOWN] * unknown_weight]


def readings(result: Mapping[str, Any]) -> list[Hypothesis]:
    """vosk's JSON result (with per-word `conf`) as at most one Hypothesis.

    Unknown-word and noise tokens ("[unk]", "<UNK>", "[noise]") are taken out of the text; the
    confidence is the mean word confidence times the share of words that were real words, so
    "[unk] next [unk]" is a weak "next". Nothing but such tokens, or nothing: no reading.
    """
    words = result.get("result")
    heard: list[tuple[str, float]]
    if isinstance(words, list):
        heard = [(str(w.get("word", "")), _confidence(w.get("conf", 0.0))) for w in words]
    else:
        heard = [(w, 0.0) for w in str(result.get("text", "")).split()]
    heard = [(w, c) for w, c in heard if w]
    real = [(w, c) for w, c in heard if not _is_marker(w)]
    if not real:
        return []
    mean = sum(c for _, c in real) / len(real)
    confidence = mean * len(real) / len(heard)
    return [Hypothesis(" ".join(w for w, _ in real).lower(), min(1.0, max(0.0, confidence)))]


def _is_marker(word: str) -> bool:
    """Markers such as "[unk]", "<UNK>", "[noise]": not words she said."""
    return (word[0], word[-1]) in {("[", "]"), ("<", ">")}


def _confidence(value: object) -> float:
    try:
        number = float(value)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return 0.0
    return number if number == number else 0.0  # NaN -> 0


def _import_vosk() -> Any:
    try:
        import vosk
    except (ImportError, OSError) as error:  # OSError: its native library failed to load
        raise ModelError(
            f"The vosk package cannot be used here ({error}); run with --engine pocketsphinx."
        ) from error
    return vosk
