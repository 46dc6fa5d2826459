"""Whisper as a judge of readings, not as a recognizer: how likely is each text, given this
audio, next to what Whisper itself would have written?

On a second or two of speech over a pump, Whisper's own transcription is weak (it repeats
itself, mishears flite's voices), but its sense of whether a given sentence fits the audio is
good: a command that was said scores close to its free reading, and chatter that pocketsphinx
bent into a command scores far below it. The model is the tiny English Whisper converted for
CTranslate2 (int8 on one core); the audio is encoded once, at its own length rather than
Whisper's usual 30 s, which takes 15-70 ms instead of half a second.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np

from assistant.audio.pcm import Samples
from assistant.hearing.scorer import Hearing
from assistant.hearing.whisper_encoder import ENCODED_S, WhisperEncoder, WhisperModelError

TOKENS_PER_S = 4
"""Whisper's free reading is cut at this many tokens per second of audio (plus a few):
commands are short, and a reading that runs on is Whisper repeating itself."""
EXTRA_TOKENS = 8
BATCH = 8
"""Texts scored in one pass of the decoder. Each text carries its own copy of the encoded
audio (and the attention over it) through the decoder, so scoring all of an utterance's
candidates at once (up to about 40) briefly took over 100 MB for a long utterance."""
WARM_UP_SAMPLES = 8000
"""Half a second of silence, read once at load."""
MIN_TOKEN_PROB = 1e-12
"""A token Whisper gives (almost) no chance counts as this likely, not as impossible."""


class JudgeError(RuntimeError):
    """The Whisper model could not be loaded."""


class WhisperJudge:
    """A Scorer: texts against audio, with a CTranslate2 Whisper model folder."""

    def __init__(self, model_dir: Path) -> None:
        try:
            import tokenizers

            self._encoder = WhisperEncoder(model_dir)
            self._tokenizer: Any = tokenizers.Tokenizer.from_file(str(model_dir / "tokenizer.json"))
        except (ImportError, ValueError, OSError, WhisperModelError) as error:
            raise JudgeError(f"no usable Whisper model at {model_dir} ({error})") from error
        self._model = self._encoder.model
        self._storage = self._encoder.storage
        ids = {name: self._tokenizer.token_to_id(f"<|{name}|>") for name in _SPECIAL}
        self._start = [ids["startoftranscript"], ids["notimestamps"]]
        self._end = ids["endoftext"]
        # CTranslate2 sets itself up on first use: paid here, at load, not on her first command.
        self.log_probs(self.hear(np.zeros(WARM_UP_SAMPLES, dtype=np.int16)), ["pause"])

    def hear(self, samples: Samples) -> Hearing:
        """Encode `samples` once and read them freely; texts are scored against the result."""
        encoded = self._encoder.encode(samples)
        return Hearing(self._free_reading(encoded, encoded.shape[1] * ENCODED_S), encoded)

    def log_probs(self, heard: Hearing, texts: Sequence[str]) -> list[float]:
        """Teacher-forced: the chance Whisper gives each token of each text, then a full stop.

        The full stop stands for "she said no more": CTranslate2's `align` gives the
        end-of-text token no chance at all, so without it a command's first words ("log
        ninety") would score as well as the whole command she said ("log ninety eight")."""
        return [
            p
            for at in range(0, len(texts), BATCH)
            for p in self._batch(heard, texts[at : at + BATCH])
        ]

    def _batch(self, heard: Hearing, texts: Sequence[str]) -> list[float]:
        tokens = [[*self._ids(text + "."), self._end] for text in texts]
        batch = np.repeat(np.asarray(heard.encoded), len(texts), axis=0)
        mel_frames = 2 * int(heard.encoded.shape[1])  # the encoder halves them
        results = self._model.align(
            self._storage.from_array(np.ascontiguousarray(batch)),
            self._start,
            tokens,
            [mel_frames] * len(texts),
        )
        return [
            float(np.sum(np.log(np.maximum(r.text_token_probs, MIN_TOKEN_PROB)))) for r in results
        ]

    def _free_reading(self, encoded: Any, seconds: float) -> str:
        limit = (
            len(self._start) + round(seconds * TOKENS_PER_S) + EXTRA_TOKENS
        )  # start tokens count
        result = self._model.generate(encoded, [self._start], beam_size=1, max_length=limit)[0]
        ids = [t for t in result.sequences_ids[0] if t < self._end]
        return first_saying(self._tokenizer.decode(ids).strip())

    def _ids(self, text: str) -> list[int]:
        """Tokens of `text` as Whisper would write it after the start (with a leading space)."""
        return (
            list(self._tokenizer.encode(" " + text, add_special_tokens=False).ids) if text else []
        )


_SPECIAL = ("startoftranscript", "notimestamps", "endoftext")


def first_saying(text: str) -> str:
    """The first sentence, without its full stop, and of a phrase said over and over
    ("Next. Next." or "slow down slow down"), one saying: on short audio Whisper loops."""
    sentence = next((s for s in _SENTENCE_END.split(text) if s.strip()), "").strip()
    words = sentence.split()
    keys = [word.strip(",;:").lower() for word in words]  # "Once, once, once" loops too
    for size in range(1, len(words) // 2 + 1):
        if keys[size : 2 * size] == keys[:size]:
            return " ".join(words[:size]).rstrip(",;:")
    return sentence


_SENTENCE_END = re.compile(r"[.!?]+(?:\s+|$)")
"""A full stop, question or exclamation mark before a space or the end ("2.5" is no end)."""
