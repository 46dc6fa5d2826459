"""pocketsphinx with the en-us model that ships inside its wheel: works with no download.

The engine gets a trigram model trained on sentences of the command grammar (see
`ngram`) and a dictionary cut down to that vocabulary, so loading takes milliseconds and
decoding is far faster than real time. It is the fallback when no Whisper model is installed.
It returns its n-best readings; the listener keeps the first one the parser understands.
"""

from __future__ import annotations

import shutil
import tempfile
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from assistant.audio.pcm import Samples
from assistant.hearing.ngram import build_arpa
from assistant.hearing.recognizer import Hypothesis, ListenFor

NBEST = 40
"""How many readings to offer the parser when the best one is not a command."""
NBEST_DISCOUNT = 0.8
"""Each step down the n-best list costs this factor of confidence (no posterior is given there)."""
CHUNK_BYTES = 2 * 1600
"""The decoder is fed 0.1 s at a time. It holds Python's lock while it works, and a long
utterance in one call stopped the live speaker's and microphone's callbacks for 300 ms: the
coach's voice broke up and the echo canceller lost its place."""


class PocketsphinxRecognizer:
    """A Recognizer over pocketsphinx; one decoder, one search per `ListenFor`."""

    name = "pocketsphinx"

    def __init__(
        self,
        commands: Sequence[str],
        yes_no: Sequence[str],
    ) -> None:
        from pocketsphinx import Decoder, get_model_path

        self._folder = Path(tempfile.mkdtemp(prefix="pumpcoach-sphinx-"))
        searches = {"commands": list(commands), "yes_no": list(yes_no)}
        vocabulary = {w for sentences in searches.values() for s in sentences for w in s.split()}
        dictionary = self._folder / "words.dict"
        _write_dictionary(Path(get_model_path("en-us/cmudict-en-us.dict")), vocabulary, dictionary)
        arpa = {name: self._folder / f"{name}.arpa" for name in searches}
        for name, sentences in searches.items():
            arpa[name].write_text(build_arpa(sentences), encoding="utf-8")
        self._decoder: Any = Decoder(
            lm=str(arpa["commands"]),
            dict=str(dictionary),
            loglevel="FATAL",
            dither=False,
            seed=1,
        )
        self._decoder.add_lm_file("yes_no", str(arpa["yes_no"]))
        self._decoder.add_lm_file("commands", str(arpa["commands"]))
        self._decoder.activate_search("commands")

    def listen_for(self, what: ListenFor) -> None:
        self._decoder.activate_search("yes_no" if what == "yes_no" else "commands")

    def decode(self, samples: Samples) -> list[Hypothesis]:
        self._decoder.start_utt()
        raw = samples.astype("<i2").tobytes()
        for start in range(0, len(raw), CHUNK_BYTES):
            self._decoder.process_raw(raw[start : start + CHUNK_BYTES], False, False)
        self._decoder.end_utt()
        best = self._decoder.hyp()
        if best is None or not best.hypstr.strip():
            return []
        text = _clean(best.hypstr)
        confidence = per_word(float(best.prob), len(text.split()))
        readings = [Hypothesis(text, confidence)]
        for rank, other in enumerate(self._decoder.nbest(), start=1):
            if rank > NBEST:
                break
            text = _clean(other.hypstr) if other is not None else ""
            if text and all(text != r.text for r in readings):
                readings.append(Hypothesis(text, confidence * NBEST_DISCOUNT**rank))
        return readings

    def close(self) -> None:
        shutil.rmtree(self._folder, ignore_errors=True)


def per_word(posterior: float, words: int) -> float:
    """The best path's posterior as a per-word geometric mean, so long commands aren't
    judged less sure than short ones just for having more words."""
    return float(min(1.0, max(0.0, posterior)) ** (1 / max(1, words)))


def _clean(text: str) -> str:
    """Drop fillers and noise markers like <sil>, [NOISE] or (2) that some paths carry."""
    return " ".join(w for w in text.split() if w[0] not in "<[(").strip()


def _write_dictionary(full: Path, vocabulary: set[str], out: Path) -> None:
    """Keep only the pronunciations of words the model can say (variants `word(2)` too)."""
    with full.open(encoding="utf-8") as source, out.open("w", encoding="utf-8") as target:
        for line in source:
            word = line.split(" ", 1)[0].split("(", 1)[0]
            if word in vocabulary:
                target.write(line)
