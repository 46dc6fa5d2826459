"""The command grammar as JSGF, for grammar-constrained recognizers such as pocketsphinx.

Generated from `rules.COMMAND`, never written by hand, so the recognizer can only hear what
the parser understands. Typed-only words and digit Numerals are left out (`speech_only`).
"""

from __future__ import annotations

import re

from assistant.grammar.dsl import Alt, Node, Numeral, Opt, Rule, Seq, Word, rules, speech_only
from assistant.grammar.rules import COMMAND

_TOKEN = re.compile(r"[a-z0-9][a-z0-9']*")


def to_jsgf(rule: Rule = COMMAND, name: str = "pumpcoach") -> str:
    """A JSGF V1.0 grammar named `name` whose public rule is `rule`, with one named rule per
    `Rule` of the tree (numbers, units, sides ...), so the result stays readable."""
    if not re.fullmatch(r"[A-Za-z_][A-Za-z0-9_.]*", name):
        raise ValueError(f"not a JSGF grammar name: {name!r}")
    spoken = speech_only(rule)
    if not isinstance(spoken, Rule):
        raise ValueError(f"nothing of rule {rule.name!r} can be spoken")
    lines = ["#JSGF V1.0;", "", f"grammar {name};", ""]
    for found in rules(spoken):
        public = "public " if found is spoken else ""
        lines.append(f"{public}<{found.name}> = {_expansion(found.body, top=True)};")
    return "\n".join(lines) + "\n"


def _expansion(node: Node, top: bool = False) -> str:
    """JSGF text for `node`; alternatives are bracketed unless they are a rule's whole body."""
    match node:
        case Word():
            if not _TOKEN.fullmatch(node.text):
                raise ValueError(f"not a JSGF token: {node.text!r}")
            return node.text
        case Rule():
            return f"<{node.name}>"
        case Seq():
            if len(node.items) == 1:
                return _expansion(node.items[0], top)
            return " ".join(_expansion(i) for i in node.items) or "<NULL>"
        case Opt():
            return f"[{_expansion(node.item, top=True)}]"
        case Alt():
            if len(node.options) == 1:
                return _expansion(node.options[0], top)
            body = " | ".join(_expansion(o) for o in node.options)
            return body if top else f"({body})"
        case Numeral():
            raise ValueError("Numerals are typed only; prune them with speech_only first")
