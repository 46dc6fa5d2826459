"""Whisper's encoder, run by CTranslate2 (int8, one core): an utterance in, the picture of it
that the decoder attends to out.

The audio is encoded at its own length rather than Whisper's usual 30 s (15-70 ms instead of
half a second), with some quiet before and after it: Whisper learnt on speech that seldom
starts in the very first frame or stops at the very last, and on short audio it often writes
a word or two and stops ("I" for "next").
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np

from assistant.audio.pcm import SAMPLE_RATE, Samples
from assistant.hearing.log_mel import log_mel

LEAD_S = 0.5
"""Quiet put before the utterance."""
PAD_S = 0.3
"""Quiet put after it, so its last sound is not at the very edge."""
MIN_S = 2.0
"""Shorter audio, the quiet included, gets more quiet after it."""
ENCODED_S = 0.02
"""Audio per encoder frame."""


class WhisperModelError(RuntimeError):
    """The Whisper model could not be loaded."""


class WhisperEncoder:
    """The encoder of a CTranslate2 Whisper model folder."""

    def __init__(self, model_dir: Path) -> None:
        try:
            import ctranslate2

            self.model: Any = ctranslate2.models.Whisper(
                str(model_dir), device="cpu", compute_type="int8", intra_threads=1
            )
        except (ImportError, RuntimeError, ValueError, OSError) as error:
            raise WhisperModelError(f"no usable Whisper model at {model_dir} ({error})") from error
        self.storage = ctranslate2.StorageView
        """CTranslate2's array type, for the model's other calls."""

    def encode(self, samples: Samples) -> Any:
        """The encoder's output, as CTranslate2 holds it (a StorageView of shape (1, frames,
        width), 20 ms a frame), ready for the model's other calls without a copy."""
        audio = samples.astype(np.float32) / 32768
        pad_s = max(PAD_S, MIN_S - LEAD_S - len(audio) / SAMPLE_RATE)
        lead, pad = (np.zeros(round(s * SAMPLE_RATE), np.float32) for s in (LEAD_S, pad_s))
        features = log_mel(np.concatenate([lead, audio, pad]))
        features = features[:, : features.shape[1] // 2 * 2]  # the encoder halves it
        return self.model.encode(self.storage.from_array(np.ascontiguousarray(features[None])))
