"""The recognizer: Whisper held to the command grammar, measured against its own free reading.

Each utterance is encoded once; one search (`grammar_search.py`) writes the likeliest commands
and Whisper's free reading side by side, and one rule (`decision.py`) takes the best command
or nothing. Everything it can hear comes from the grammar; nothing in it knows a voice.
"""

from __future__ import annotations

import math
from pathlib import Path
from typing import Any

import numpy as np

from assistant.audio.pcm import Samples
from assistant.grammar.automaton import answer_automaton, command_automaton, yes_no_automaton
from assistant.hearing.decision import decide
from assistant.hearing.grammar_search import GrammarSearch
from assistant.hearing.recognizer import Hypothesis, ListenFor
from assistant.hearing.spelling import ENDINGS, CommandSpelling
from assistant.hearing.whisper_decoder import ModelFileError, WhisperDecoder
from assistant.hearing.whisper_encoder import WhisperEncoder, WhisperModelError

START = ("<|startoftranscript|>", "<|notimestamps|>")
END = "<|endoftext|>"


class WhisperGrammarRecognizer:
    """A Recognizer over a CTranslate2 Whisper model folder (English-only models)."""

    name = "whisper"

    def __init__(
        self, model_dir: Path, margin: float, ask_margin: float, trace: bool = False
    ) -> None:
        """`trace` (for tuning): every best command is given with its shortfall, however far
        below the free reading, which is then always written to its end."""
        try:
            import tokenizers

            tokenizer: Any = tokenizers.Tokenizer.from_file(str(model_dir / "tokenizer.json"))
            self._decoder = WhisperDecoder(model_dir)
        except (ImportError, OSError, ValueError, KeyError, ModelFileError) as error:
            raise WhisperModelError(f"no usable Whisper model at {model_dir} ({error})") from error
        self._encoder = WhisperEncoder(model_dir)
        self._margin, self._ask_margin, self._trace = margin, ask_margin, trace

        def encode(text: str) -> list[int]:
            return list(tokenizer.encode(text, add_special_tokens=False).ids)

        end = tokenizer.token_to_id(END)
        self._spellings: dict[ListenFor, CommandSpelling] = {
            "commands": CommandSpelling(command_automaton(), encode, end),
            "yes_no": CommandSpelling(yes_no_automaton(), encode, end),
            "amount": CommandSpelling(answer_automaton(), encode, end),
        }
        self._search = GrammarSearch(
            self._decoder,
            [tokenizer.token_to_id(t) for t in START],
            lambda ids: str(tokenizer.decode(list(ids))),
            frozenset(encode(e)[0] for e in ENDINGS),
        )
        self._listening: ListenFor = "commands"
        self._said: list[Samples] = []

    def listen_for(self, what: ListenFor) -> None:
        self._listening = what

    def begin(self) -> None:
        self._said = []

    def feed(self, samples: Samples) -> None:
        self._said.append(samples)

    def end(self) -> list[Hypothesis]:
        said, self._said = self._said, []
        if not said:
            return []
        memory = self._decoder.memory(self._encoder.encode(np.concatenate(said)))
        margin = -math.inf if self._trace else self._margin
        found = self._search.run(memory, self._spellings[self._listening], margin, self._ask_margin)
        return [decide(found, math.inf if self._trace else self._margin, self._ask_margin)]

    def close(self) -> None:
        self._said = []
