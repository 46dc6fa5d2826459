"""The command grammar in Whisper's tokens: which token may come next, so a search over the
grammar only ever writes commands, spelled any way Whisper might write them.

Whisper learnt on written text, so it is asked for commands as people write them: a word in
lower case, with a capital or in capitals ("next", "Next", "OK"), numbers in digits or in
words ("65", "sixty five"), a comma between words, a full stop, question or exclamation mark
at the end. Each spelling is the tokenizer's own (how Whisper saw it in training). Which
words may follow which comes from the word automaton (`grammar/automaton.py`), so the only
source of what can be said is still the grammar.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from assistant.grammar.automaton import NUMERAL, State, WordAutomaton

Tokens = tuple[int, ...]
Encode = Callable[[str], list[int]]
"""Text to token ids, without special tokens."""

COMMA, ENDINGS = ",", (".", "!", "?")
MAX_NUMERAL = 999
FRACTIONS = ("25", "5", "75")
"""Decimals a numeral may have ("2.5"): the grammar's quarters and halves."""


@dataclass(frozen=True)
class Cursor:
    """Where a partly written command is in the grammar."""

    state: State
    """Where the words written so far led (the word being written not included)."""
    pending: Tokens = ()
    """Tokens of the word being written."""
    ended: bool = False
    """A full stop (or ! or ?) was written: only the end of text may follow."""
    words: tuple[str, ...] = ()
    """The words written so far, lower case (a numeral as its digits)."""


@dataclass(frozen=True)
class _Move:
    """What one token does to a cursor, whatever words came before."""

    state: State
    pending: Tokens
    ended: bool
    word: str | None
    """The word the token completed, if it completed one."""


class CommandSpelling:
    """Moves a `Cursor` along one token at a time."""

    def __init__(self, automaton: WordAutomaton, encode: Encode, end_of_text: int) -> None:
        self._automaton = automaton
        self._encode = encode
        self.end_of_text = end_of_text
        self._comma = self._single(COMMA)
        self._endings = tuple(self._single(e) for e in ENDINGS)
        self._numerals = self._numeral_spellings()
        self._spellings: dict[str, list[Tokens]] = {}
        self._moves: dict[tuple[State, Tokens], dict[int, _Move]] = {}

    def start(self) -> Cursor:
        return Cursor(self._automaton.start())

    def next_tokens(self, cursor: Cursor) -> dict[int, Cursor]:
        """Every token that may come next, and where each leads."""
        if cursor.ended:
            return {}
        return {
            token: Cursor(
                move.state,
                move.pending,
                move.ended,
                cursor.words if move.word is None else (*cursor.words, move.word),
            )
            for token, move in self._moves_from(cursor.state, cursor.pending).items()
        }

    def words_if_complete(self, cursor: Cursor) -> tuple[str, ...] | None:
        """The command's words, if the end of text may come now; else None."""
        if cursor.ended:
            return cursor.words
        pending = cursor.pending
        if pending[-1:] and pending[-1] in self._endings:  # "Record 2." ends on a full stop
            pending = pending[:-1]
        for word in self._completed(cursor.state, pending):
            if self._automaton.is_complete(self._automaton.step(cursor.state, _symbol(word))):
                return (*cursor.words, word)
        return None

    def _moves_from(self, state: State, pending: Tokens) -> dict[int, _Move]:
        key = (state, pending)
        found = self._moves.get(key)
        if found is None:
            found = self._moves[key] = self._compute_moves(state, pending)
        return found

    def _compute_moves(self, state: State, pending: Tokens) -> dict[int, _Move]:
        moves: dict[int, _Move] = {}
        for _, spelling in self._candidates(state):  # the word goes on ("2" -> "2.5"); first, so
            # "." after "2" is taken as the decimal point, and may still end the sentence
            if len(spelling) > len(pending) and spelling[: len(pending)] == pending:
                grown = spelling[: len(pending) + 1]
                moves.setdefault(grown[-1], _Move(state, grown, False, None))
        for word in self._completed(state, pending):  # the word ends here: what may follow
            after = self._automaton.step(state, _symbol(word))
            for token, move in self._moves_from(after, ()).items():
                moves.setdefault(token, _Move(move.state, move.pending, False, word))
            if self._automaton.next_words(after):
                moves.setdefault(self._comma, _Move(after, (), False, word))
            if self._automaton.is_complete(after):
                for ending in self._endings:
                    moves.setdefault(ending, _Move(after, (), True, word))
        return moves

    def _completed(self, state: State, pending: Tokens) -> list[str]:
        """The words `pending` spells in full."""
        if not pending:
            return []
        return [w for w, s in self._candidates(state) if s == pending]

    def _candidates(self, state: State) -> list[tuple[str, Tokens]]:
        out: list[tuple[str, Tokens]] = []
        for word in self._automaton.next_words(state):
            if word == NUMERAL:
                out += self._numerals
            else:
                out += [(word, s) for s in self._spell(word)]
        return out

    def _spell(self, word: str) -> list[Tokens]:
        found = self._spellings.get(word)
        if found is None:
            forms = {word, word[:1].upper() + word[1:], word.upper()}
            if word.startswith("i'") or word == "i":
                forms = {"I" + word[1:]}
            found = self._spellings[word] = sorted({tuple(self._encode(" " + f)) for f in forms})
        return found

    def _numeral_spellings(self) -> list[tuple[str, Tokens]]:
        out = [(str(n), tuple(self._encode(f" {n}"))) for n in range(MAX_NUMERAL + 1)]
        out += [
            (f"{n}.{f}", tuple(self._encode(f" {n}.{f}"))) for n in range(21) for f in FRACTIONS
        ]
        return out

    def _single(self, text: str) -> int:
        ids = self._encode(text)
        if len(ids) != 1:
            raise ValueError(f"{text!r} is not one token")
        return ids[0]


def _symbol(word: str) -> str:
    return NUMERAL if word[:1].isdigit() else word
