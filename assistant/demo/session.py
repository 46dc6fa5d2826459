"""The newcomer's demo: a synthetic session recording, heard by the real recognizer."""

from __future__ import annotations

from assistant.audio.pcm import Audio
from assistant.audio.pump_noise import PumpProfile
from assistant.audio.voices import Voice
from assistant.demo.scenario import Utterance, place_commands, render
from assistant.session.plan import Plan

DEMO_SCRIPT = (
    (20.0, "pause"),
    (26.0, "resume"),
    (40.0, "next"),
    (55.0, "repeat"),
    (70.0, "next"),
    (90.0, "next"),
    (100.0, "next"),
    (110.0, "log sixty five milliliters"),
    (118.0, "sixty five"),
)
"""What she says and about when (each is moved to the coach's next quiet moment). The last is
her answer if the coach could not tell the amount and asks ("165, or 65?"); said to a coach
that did not ask, an amount alone is no command."""


def demo_recording(
    plan: Plan, voice: Voice, profile: PumpProfile, snr_db: float, seed: int = 0
) -> tuple[Audio, list[Utterance]]:
    """Her demo commands over a running pump, placed where a person would say them."""
    utterances = place_commands(plan, DEMO_SCRIPT, voice)
    return render(utterances, voice, profile, snr_db, seed), utterances
