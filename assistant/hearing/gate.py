"""Half duplex: the microphone is not listened to while the assistant talks, nor just after.

Without this, her coach's own "pause the pump for a moment" would be obeyed as "pause".
The gate is told whether the speaker is talking at a moment; a short tail after the last
sound covers room echo and the speaker's output latency.
"""

from __future__ import annotations

from collections.abc import Callable

ECHO_FADE_S = 0.1
"""After the coach's last sound, how long the room still carries it (reverb, output latency)."""


class MicGate:
    """Open when nothing has been said for `tail_s`; closed for good once the session ends."""

    def __init__(self, speaking: Callable[[float], bool], tail_s: float) -> None:
        self._speaking = speaking
        self._tail_s = tail_s
        self._last_sound = float("-inf")
        self._shut = False

    def is_open(self, t: float) -> bool:
        if self._shut:
            return False
        if self._speaking(t):
            self._last_sound = t
            return False
        return t - self._last_sound >= self._tail_s

    def hears_room(self, t: float) -> bool:
        """While the gate is closed: whether the mic hears only the room (the pump) at `t`,
        because the coach has been silent for a moment (call after `is_open(t)`).

        Those frames teach the endpointer the pump while she is not listened to, so it is
        ready the moment the gate opens, even after a long cue.
        """
        return not self._shut and t - self._last_sound >= ECHO_FADE_S

    def shut(self) -> None:
        """Listen to nothing more (the session is over)."""
        self._shut = True


def never_speaking(_t: float) -> bool:
    """For `hear` on a plain recording: no assistant is talking."""
    return False
