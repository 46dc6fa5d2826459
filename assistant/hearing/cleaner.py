"""The one interface a noise cleaner implements: learn the room between her utterances, and
take it out of each utterance before it is read."""

from __future__ import annotations

from typing import Protocol

from assistant.audio.pcm import Samples
from assistant.hearing.denoise import NoiseSuppressor
from assistant.settings import RecognitionSettings


class Cleaner(Protocol):
    def learn(self, samples: Samples, t: float, period_s: float | None) -> None:
        """A frame of the room alone (none of her speech) starting at `t` seconds; `period_s`
        is the pump's cycle, when one is heard."""
        ...

    def clean(self, samples: Samples, start_t: float) -> Samples:
        """One utterance, starting at `start_t` seconds, with the room taken out."""
        ...


class Unchanged:
    """No cleaning (`denoise_over = 0`): each utterance is read as it was heard."""

    def learn(self, samples: Samples, t: float, period_s: float | None) -> None:
        pass

    def clean(self, samples: Samples, start_t: float) -> Samples:
        return samples


def cleaner_for(settings: RecognitionSettings) -> Cleaner:
    if settings.denoise_over <= 0:
        return Unchanged()
    over, smoothing, floor = (
        settings.denoise_over,
        settings.denoise_smoothing,
        settings.denoise_floor,
    )
    return NoiseSuppressor(over, smoothing, floor)
