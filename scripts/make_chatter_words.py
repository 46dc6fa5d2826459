"""Regenerate assistant/hearing/chatter_words.txt: frequent English words that are not commands.

The pocketsphinx recognizer gives everyday speech ("honey, can you bring water") these words
to land on, so chatter decodes as chatter instead of being forced into the nearest command.
The list is the most probable unigrams of pocketsphinx's own en-us language model, minus
every word of the command grammar. Run: .venv/bin/python scripts/make_chatter_words.py
"""

from __future__ import annotations

import re
import subprocess
import sys
import tempfile
from pathlib import Path

from pocketsphinx import get_model_path

from assistant.grammar.dsl import words
from assistant.grammar.rules import COMMAND

COUNT = 100
OUT = Path(__file__).resolve().parents[1] / "assistant" / "hearing" / "chatter_words.txt"

# NGramModel.write segfaults on exit after writing the file, so it runs in a child process.
DUMP = """
import sys, pocketsphinx as ps
lm = ps.NGramModel(ps.Config(), ps.LogMath(), ps.get_model_path("en-us/en-us.lm.bin"))
lm.write(sys.argv[1], ps.NGramModel.str_to_type("arpa"))
"""


def unigrams(arpa: Path) -> list[tuple[float, str]]:
    found: list[tuple[float, str]] = []
    inside = False
    with arpa.open(encoding="utf-8") as lines:
        for line in lines:
            if line.startswith("\\1-grams"):
                inside = True
            elif line.startswith("\\2-grams"):
                break
            elif inside and line.strip():
                logprob, word = line.split("\t")[:2]
                found.append((float(logprob), word.strip()))
    return sorted(found, reverse=True)


def main() -> None:
    with tempfile.TemporaryDirectory() as folder:
        arpa = Path(folder) / "en-us.arpa"
        subprocess.run([sys.executable, "-c", DUMP, str(arpa)], check=False)
        ranked = unigrams(arpa)
    dictionary = Path(get_model_path("en-us/cmudict-en-us.dict")).read_text().splitlines()
    known = {line.split(" ", 1)[0] for line in dictionary}
    commands = words(COMMAND)
    chosen = [
        w
        for _, w in ranked
        if re.fullmatch(r"[a-z][a-z']+", w) and w in known and w not in commands
    ][:COUNT]
    OUT.write_text("\n".join(chosen) + "\n", encoding="utf-8")
    print(f"wrote {len(chosen)} words to {OUT}")


if __name__ == "__main__":
    main()
