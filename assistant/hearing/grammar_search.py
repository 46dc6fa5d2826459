"""Whisper, held to the command grammar: the likeliest commands for an utterance, and what
Whisper would have written on its own.

One beam search writes every hypothesis token by token, and each grammar hypothesis may only
take tokens the grammar's spelling allows (`spelling.py`), so whatever it finishes is a
command, numbers and all. Beside them, in the same batch, Whisper writes freely (greedy):
that free reading is what any sound at all would be heard as, the yardstick a command is
measured against. Both end at the first sentence end (a full stop, ! or ?, or the end of
text), and each score includes that ending, so "Next" at the start of "Next time we should
go" pays for the full stop Whisper did not expect there.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np

from assistant.hearing.spelling import CommandSpelling, Cursor
from assistant.hearing.whisper_decoder import Hypotheses, Memory, WhisperDecoder

BEAM = 6
"""Grammar hypotheses kept at each step."""
MAX_TOKENS = 24
"""No command is longer (the longest log written out is about 20 tokens)."""


@dataclass(frozen=True)
class Reading:
    """One way the utterance could be written, and how likely Whisper finds it."""

    words: tuple[str, ...]
    """Lower-case words (a number in digits as written); empty for a free reading of nothing."""
    text: str
    """As Whisper would write it ("Log 65 ml.")."""
    log_prob: float
    """Natural log of the probability of every token, the ending included."""
    tokens: int = 0
    """How many tokens that is."""


@dataclass(frozen=True)
class Found:
    """What the search found in one utterance."""

    free: Reading
    """What Whisper writes when free to write anything."""
    commands: list[Reading]
    """Finished commands, likeliest first, each word sequence once."""


@dataclass(frozen=True)
class _Row:
    """One hypothesis in the decoder's batch: the free reading (no cursor) or a command."""

    cursor: Cursor | None
    tokens: tuple[int, ...]
    log_prob: float
    steps: tuple[float, ...] = ()
    """The free reading's log probability after each token (to cut it where it loops)."""


Decode = Callable[[Sequence[int]], str]


class GrammarSearch:
    """Searches one utterance for commands within a spelling, beside Whisper's free reading."""

    def __init__(
        self, decoder: WhisperDecoder, prompt: list[int], decode: Decode, ends: frozenset[int]
    ) -> None:
        self._decoder = decoder
        self._prompt = prompt
        self._decode = decode
        self._ends = ends
        """Tokens that end a sentence (".", "!", "?")."""

    def run(
        self, memory: Memory, spelling: CommandSpelling, margin: float, keep_within: float
    ) -> Found:
        """The free reading and the commands. Scores only fall as tokens are added, so:
        the search goes on while a hypothesis could still finish within `keep_within` of the
        best command found (close runners-up are found too); and the free reading stops once
        it is `margin` or less above the best command (it can only fall further: that command
        is close enough), so Whisper repeating itself on short audio costs nothing."""
        end = spelling.end_of_text
        state = self._decoder.begin(self._prompt, memory)
        rows = [_Row(None, (), 0.0), _Row(spelling.start(), (), 0.0)]
        state = _repeat_first(state, len(rows))
        free: Reading | None = None
        finished: dict[tuple[str, ...], Reading] = {}
        for _ in range(MAX_TOKENS):
            grown: list[tuple[int, int, _Row]] = []  # (parent row, token, new row)
            commands: list[tuple[int, int, _Row]] = []
            for index, row in enumerate(rows):
                log_probs = state.log_probs[index]
                if row.cursor is None:
                    token = int(np.argmax(log_probs[: end + 1]))
                    score = row.log_prob + float(log_probs[token])
                    said = _Row(None, (*row.tokens, token), score, (*row.steps, score))
                    best = max((r.log_prob for r in finished.values()), default=-math.inf)
                    looped = _loop(said.tokens)
                    if token == end or token in self._ends:
                        free = self._reading(said.tokens, said.log_prob, end)
                    elif looped:
                        kept = len(said.tokens) - looped
                        free = self._reading(said.tokens[:kept], said.steps[kept - 1], end)
                    elif said.log_prob <= best + margin:
                        free = self._reading(said.tokens, said.log_prob, end, cut=True)
                    else:
                        grown.append((index, token, said))
                    continue
                words = spelling.words_if_complete(row.cursor)
                if words is not None:
                    self._finish(finished, words, row.tokens, row.log_prob + float(log_probs[end]))
                for token, cursor in spelling.next_tokens(row.cursor).items():
                    after = _Row(
                        cursor, (*row.tokens, token), row.log_prob + float(log_probs[token])
                    )
                    if cursor.ended:
                        self._finish(finished, cursor.words, after.tokens, after.log_prob)
                    else:
                        commands.append((index, token, after))
            best = max((r.log_prob for r in finished.values()), default=-math.inf)
            commands.sort(key=lambda c: -c[2].log_prob)
            grown += [c for c in commands[:BEAM] if c[2].log_prob >= best - keep_within]
            if not grown:
                break
            rows = [row for _, _, row in grown]
            parents = np.asarray([parent for parent, _, _ in grown], np.int64)
            tokens = np.asarray([token for _, token, _ in grown], np.int64)
            state = self._decoder.advance(state, parents, tokens, memory)
        if free is None:  # Whisper was still writing at the limit
            row = next((r for r in rows if r.cursor is None), _Row(None, (), -math.inf))
            free = self._reading(row.tokens, row.log_prob, end)
        return Found(free, sorted(finished.values(), key=lambda r: -r.log_prob))

    def _reading(
        self, tokens: tuple[int, ...], log_prob: float, end: int, cut: bool = False
    ) -> Reading:
        text = self._decode([t for t in tokens if t < end]).strip() + ("..." if cut else "")
        words = tuple(text.lower().strip(".!?").split())
        return Reading(words, text, log_prob, len(tokens))

    def _finish(
        self,
        finished: dict[tuple[str, ...], Reading],
        words: tuple[str, ...],
        tokens: tuple[int, ...],
        log_prob: float,
    ) -> None:
        known = finished.get(words)
        if known is None or log_prob > known.log_prob:
            counted = len(tokens) + (tokens[-1] not in self._ends)  # the end of text
            finished[words] = Reading(words, self._decode(tokens).strip(), log_prob, counted)


LOOP_TOKENS = 8
"""Longest phrase looked for repeating itself."""


def _loop(tokens: tuple[int, ...]) -> int:
    """How many tokens at the end repeat the ones just before them (0: none). On short audio
    Whisper often writes one saying over and over ("Next, next, next,"); the reading it means
    is the first saying, and the rest would only lower its score."""
    for size in range(1, min(LOOP_TOKENS, len(tokens) // 2) + 1):
        if size > 1 or len(tokens) >= 3:
            tail, before = tokens[-size:], tokens[-2 * size : -size]
            if tail == before and (size > 1 or tokens[-3] == tokens[-1]):
                return size
    return 0


def _repeat_first(state: Hypotheses, count: int) -> Hypotheses:
    """`count` copies of the one hypothesis the prompt gave."""
    rows = np.zeros(count, np.int64)
    return Hypotheses(
        [k[rows] for k in state.keys], [v[rows] for v in state.values], state.log_probs[rows]
    )
