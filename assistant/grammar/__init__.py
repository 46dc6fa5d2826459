"""The command grammar (one source of truth), its text parser and its speech serializers."""

from assistant.grammar.parser import parse
from assistant.grammar.rules import COMMAND, help_examples, number_to_words

__all__ = ["COMMAND", "help_examples", "number_to_words", "parse"]
