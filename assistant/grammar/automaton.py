"""The command grammar as a word automaton: which words may come next after a prefix?

A recognizer that searches the whole grammar (`hearing/grammar_search.py`) asks this at
every step, so it is compiled once from the same tree the parser matches (`rules.COMMAND`):
a nondeterministic automaton by Thompson's construction (each use of a shared rule gets its
own states), walked as sets of states that are made on demand and kept. Typed spellings
("ml", "oz") and numerals are in it, because a recognizer that writes text writes them.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import cache

from assistant.grammar.dsl import Alt, Node, Numeral, Opt, Rule, Seq, Word
from assistant.grammar.rules import ANSWER, COMMAND, YES_NO

NUMERAL = "<numeral>"
"""The symbol for a number written in digits ("65", "2.5")."""

State = frozenset[int]
"""A set of the automaton's inner states: where the words so far may have led."""


@dataclass
class WordAutomaton:
    """Every sentence a node accepts, as words; `State`s are sets of inner states."""

    arcs: list[list[tuple[str, int]]] = field(default_factory=list)
    """Per inner state: (word or NUMERAL, the state it leads to)."""
    skips: list[list[int]] = field(default_factory=list)
    """Per inner state: states reached without a word."""
    final: int = -1
    _steps: dict[tuple[State, str], State] = field(default_factory=dict)

    def start(self) -> State:
        return self._closure([0])

    def next_words(self, state: State) -> set[str]:
        """The words (and NUMERAL) that may follow."""
        return {word for s in state for word, _ in self.arcs[s]}

    def step(self, state: State, word: str) -> State:
        """Where `word` leads from `state`; empty when it may not come next."""
        key = (state, word)
        found = self._steps.get(key)
        if found is None:
            found = self._steps[key] = self._closure(
                [to for s in state for w, to in self.arcs[s] if w == word]
            )
        return found

    def is_complete(self, state: State) -> bool:
        """The words so far are a whole sentence."""
        return self.final in state

    def accepts(self, words: Iterable[str]) -> bool:
        state = self.start()
        for word in words:
            state = self.step(state, word)
        return self.is_complete(state)

    def _closure(self, states: list[int]) -> State:
        seen, stack = set(states), list(states)
        while stack:
            for to in self.skips[stack.pop()]:
                if to not in seen:
                    seen.add(to)
                    stack.append(to)
        return frozenset(seen)

    def _new(self) -> int:
        self.arcs.append([])
        self.skips.append([])
        return len(self.arcs) - 1

    def _add(self, node: Node, begin: int) -> int:
        """States for `node` from `begin`; returns where it ends."""
        match node:
            case Word() | Numeral():
                end = self._new()
                self.arcs[begin].append((node.text if isinstance(node, Word) else NUMERAL, end))
                return end
            case Seq():
                for item in node.items:
                    begin = self._add(item, begin)
                return begin
            case Alt():
                end = self._new()
                for option in node.options:
                    self.skips[self._add(option, begin)].append(end)
                return end
            case Opt():
                end = self._add(node.item, begin)
                self.skips[begin].append(end)
                return end
            case Rule():
                return self._add(node.body, begin)


def compile_automaton(root: Node) -> WordAutomaton:
    automaton = WordAutomaton()
    automaton.final = automaton._add(root, automaton._new())
    return automaton


@cache
def command_automaton() -> WordAutomaton:
    """The whole command grammar, compiled once."""
    return compile_automaton(COMMAND)


@cache
def yes_no_automaton() -> WordAutomaton:
    """Only yes or no (with "okay", "please" around them), for the coach's questions."""
    return compile_automaton(YES_NO)


@cache
def answer_automaton() -> WordAutomaton:
    """Any command, or an amount alone, while the coach waits for an amount."""
    return compile_automaton(ANSWER)
