"""Carries `Say` and `SetVoice` effects to whichever speaker the CLI chose."""

from __future__ import annotations

from assistant.runtime.observer import BaseObserver
from assistant.session.effects import Effect, Say, SetVoice
from assistant.speech.speaker import Speaker


class SpeakerOutput(BaseObserver):
    def __init__(self, speaker: Speaker) -> None:
        self._speaker = speaker

    def on_effect(self, t: float, effect: Effect) -> None:
        if isinstance(effect, Say):
            self._speaker.say(effect.text, t, interrupt=effect.interrupt)
        elif isinstance(effect, SetVoice):
            self._speaker.set_voice(effect.rate_wpm, effect.volume)

    def close(self) -> None:
        self._speaker.close()
