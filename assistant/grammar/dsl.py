"""A tiny grammar tree: one description that parses text, samples sentences and serializes.

Why not regexes or a parser generator: the same phrases must feed a text parser, speech
grammars (JSGF, Vosk phrase lists) and property tests. A plain tree of frozen nodes can be
walked by all of them, and it stays small enough to read in one sitting.

Nodes: `Word` (one token), `Numeral` (a typed digit token), `Seq`, `Alt`, `Opt` and `Rule`
(a named node; serializers turn it into a named rule). Build them with the lowercase helpers
(`seq`, `alt`, `opt`, `rule`, `phrase`), which also accept plain strings as phrases.

Semantic values: a `Word` yields its `value`; a `Numeral` its `Decimal`; `Alt`, `Opt` and
`Rule` pass their child's value on (an absent `Opt` yields None). A `Seq` calls its action on
the tuple of all its children's values (None for the valueless) or, with no action, passes on
the value of its only valued child (None if none, a tuple if several).
"""

from __future__ import annotations

import random
import re
from collections.abc import Callable, Collection, Iterator, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

Value = Any
"""A semantic value: whatever the grammar's actions build (numbers, parts, commands)."""
Action = Callable[[tuple[Value, ...]], Value]
"""Combines a `Seq`'s children's values, in order, into the sequence's value."""

_NUMERAL = re.compile(r"(?:[0-9]{1,6}(?:\.[0-9]{1,4})?|\.[0-9]{1,4})")


@dataclass(frozen=True, eq=False)
class Word:
    """Exactly one token. `typed_only` words (e.g. "ml") exist in text but not in speech."""

    text: str
    value: Value = None
    typed_only: bool = False

    def __post_init__(self) -> None:
        if not self.text or self.text != self.text.strip().lower() or " " in self.text:
            raise ValueError(f"a Word is one lowercase token, got {self.text!r}")


@dataclass(frozen=True, eq=False)
class Numeral:
    """A digit token such as "60" or "2.5": typed input only, so speech serializers skip it."""


@dataclass(frozen=True, eq=False)
class Seq:
    """Its items one after the other; an empty Seq matches nothing (the empty string)."""

    items: tuple[Node, ...]
    action: Action | None = None

    def evaluate(self, values: tuple[Value, ...]) -> Value:
        """The value of this sequence given its children's values."""
        if self.action is not None:
            return self.action(values)
        valued = tuple(v for v in values if v is not None)
        if not valued:
            return None
        return valued[0] if len(valued) == 1 else valued


@dataclass(frozen=True, eq=False)
class Alt:
    """One of its options; earlier options are preferred when several parses complete."""

    options: tuple[Node, ...]


@dataclass(frozen=True, eq=False)
class Opt:
    """Its item or nothing; the item is preferred (greedy), so "sixty five" is 65, not 60."""

    item: Node


@dataclass(frozen=True, eq=False)
class Rule:
    """A named node: the unit serializers emit (`<name> = ...;`) and tests address."""

    name: str
    body: Node

    def __post_init__(self) -> None:
        if not re.fullmatch(r"[a-z][a-z0-9_]*", self.name):
            raise ValueError(f"rule names are lowercase identifiers, got {self.name!r}")


Node = Word | Numeral | Seq | Alt | Opt | Rule
Item = Node | str
"""Where a node is expected, a string stands for the phrase of its words."""


# ---------------------------------------------------------------- builders


def phrase(text: str, value: Value = None, typed_only: Collection[str] = ()) -> Node:
    """Words of `text` in order, yielding `value`; words listed in `typed_only` are marked so."""
    tokens = text.split()
    if not tokens:
        raise ValueError("a phrase needs at least one word")
    nodes = tuple(Word(t, None, t in typed_only) for t in tokens)
    if len(nodes) == 1:
        return Word(tokens[0], value, tokens[0] in typed_only)
    return Seq(nodes, None if value is None else _constant(value))


def _constant(value: Value) -> Action:
    return lambda _values: value


def _node(item: Item) -> Node:
    return phrase(item) if isinstance(item, str) else item


def seq(*items: Item, action: Action | None = None) -> Seq:
    """A sequence of items (strings become phrases)."""
    return Seq(tuple(_node(i) for i in items), action)


def alt(*items: Item) -> Alt:
    """A choice between items, in order of preference (strings become phrases)."""
    if not items:
        raise ValueError("an Alt needs at least one option")
    return Alt(tuple(_node(i) for i in items))


def opt(item: Item) -> Opt:
    """An optional item (a string becomes a phrase)."""
    return Opt(_node(item))


def rule(name: str, item: Item) -> Rule:
    """A named rule around an item."""
    return Rule(name, _node(item))


# ---------------------------------------------------------------- matching


class _Matcher:
    """All parses of every node at every position of one token list, memoised.

    Each entry lists (end position, value) in preference order: Alt options in order, Opt
    item before absence, Seq lexicographically by its items. Utterances are capped short,
    so enumerating everything is cheap and keeps the preference order easy to reason about.
    """

    def __init__(self, tokens: Sequence[str]) -> None:
        self.tokens = tokens
        self.memo: dict[tuple[int, int], list[tuple[int, Value]]] = {}

    def at(self, node: Node, i: int) -> list[tuple[int, Value]]:
        key = (id(node), i)
        found = self.memo.get(key)
        if found is None:
            found = self.memo[key] = self._compute(node, i)
        return found

    def _compute(self, node: Node, i: int) -> list[tuple[int, Value]]:
        tokens = self.tokens
        match node:
            case Word():
                ok = i < len(tokens) and tokens[i] == node.text
                return [(i + 1, node.value)] if ok else []
            case Numeral():
                ok = i < len(tokens) and _NUMERAL.fullmatch(tokens[i]) is not None
                return [(i + 1, Decimal(tokens[i]))] if ok else []
            case Seq():
                partial: list[tuple[int, tuple[Value, ...]]] = [(i, ())]
                for item in node.items:
                    partial = [
                        (end, (*values, value))
                        for start, values in partial
                        for end, value in self.at(item, start)
                    ]
                    if not partial:
                        return []
                return [(end, node.evaluate(values)) for end, values in partial]
            case Alt():
                return [found for option in node.options for found in self.at(option, i)]
            case Opt():
                return [*self.at(node.item, i), (i, None)]
            case Rule():
                return self.at(node.body, i)


def parses(root: Node, tokens: Sequence[str]) -> Iterator[Value]:
    """The values of every complete parse of `tokens`, most preferred first."""
    for end, value in _Matcher(tokens).at(root, 0):
        if end == len(tokens):
            yield value


def match(root: Node, tokens: Sequence[str]) -> Value | None:
    """The value of the most preferred complete parse, or None if `tokens` do not parse."""
    return next(parses(root, tokens), None)


# ---------------------------------------------------------------- walking


def children(node: Node) -> tuple[Node, ...]:
    """The nodes directly under `node`."""
    match node:
        case Seq():
            return node.items
        case Alt():
            return node.options
        case Opt():
            return (node.item,)
        case Rule():
            return (node.body,)
    return ()


def distinct_nodes(root: Node) -> Iterator[Node]:
    """Every node under `root` once, depth first (shared rules are visited once)."""
    seen: set[int] = set()
    stack = [root]
    while stack:
        node = stack.pop()
        if id(node) in seen:
            continue
        seen.add(id(node))
        yield node
        stack.extend(reversed(children(node)))


def words(node: Node, *, include_typed: bool = True) -> set[str]:
    """The vocabulary under `node` (what a recognizer must know); Numerals add nothing."""
    return {
        n.text
        for n in distinct_nodes(node)
        if isinstance(n, Word) and (include_typed or not n.typed_only)
    }


def speech_only(node: Node) -> Node | None:
    """The part of the grammar a speech engine can hear: no Numerals, no typed-only words.

    Returns None when nothing of `node` can be said. Shape and Seq arities are kept (an Opt
    of something unsayable becomes an empty Seq), and untouched subtrees are returned as is,
    so shared rules stay shared.
    """
    memo: dict[int, Node | None] = {}

    def prune(n: Node) -> Node | None:
        if id(n) not in memo:
            memo[id(n)] = _prune(n)
        return memo[id(n)]

    def _prune(n: Node) -> Node | None:
        match n:
            case Word():
                return None if n.typed_only else n
            case Numeral():
                return None
            case Seq():
                items = [prune(i) for i in n.items]
                if any(i is None for i in items):
                    return None
                kept = tuple(i for i in items if i is not None)
                return n if kept == n.items else Seq(kept, n.action)
            case Alt():
                options = tuple(p for o in n.options if (p := prune(o)) is not None)
                if not options:
                    return None
                return n if options == n.options else Alt(options)
            case Opt():
                inner = prune(n.item)
                if inner is None:
                    return Seq(())
                return n if inner is n.item else Opt(inner)
            case Rule():
                body = prune(n.body)
                if body is None:
                    return None
                return n if body is n.body else Rule(n.name, body)

    return prune(node)


def longest(node: Node, weigh: Callable[[Word | Numeral], int] = lambda _leaf: 1) -> int:
    """The heaviest sentence under `node` (by default its length in tokens).

    Lets the parser bound its input by what the grammar can say, not by a guess.
    """
    memo: dict[int, int] = {}

    def walk(n: Node) -> int:
        if id(n) not in memo:
            match n:
                case Word() | Numeral():
                    memo[id(n)] = weigh(n)
                case Seq():
                    memo[id(n)] = sum(walk(i) for i in n.items)
                case Alt():
                    memo[id(n)] = max(walk(o) for o in n.options)
                case Opt():
                    memo[id(n)] = walk(n.item)
                case Rule():
                    memo[id(n)] = walk(n.body)
        return memo[id(n)]

    return walk(node)


def sample(node: Node, rng: random.Random) -> str:
    """A random sentence of the grammar under `node`, for round-trip tests."""
    out: list[str] = []

    def walk(n: Node) -> None:
        match n:
            case Word():
                out.append(n.text)
            case Numeral():
                whole = rng.randint(0, 999)
                out.append(str(whole) if rng.random() < 0.7 else f"{whole}.{rng.randint(0, 99)}")
            case Seq():
                for item in n.items:
                    walk(item)
            case Alt():
                walk(rng.choice(n.options))
            case Opt():
                if rng.random() < 0.5:
                    walk(n.item)
            case Rule():
                walk(n.body)

    walk(node)
    return " ".join(out)


def rules(node: Node) -> list[Rule]:
    """Every distinct named rule under `node` (itself included), in depth-first order.

    Raises ValueError if two different rules share a name: serializers key rules by name.
    """
    found: dict[str, Rule] = {}
    for n in distinct_nodes(node):
        if isinstance(n, Rule) and found.setdefault(n.name, n) is not n:
            raise ValueError(f"two different rules are named {n.name!r}")
    return list(found.values())
