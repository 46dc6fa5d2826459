"""Half duplex: the microphone is not listened to while the assistant talks, nor just after.

Without this, her coach's own "pause the pump for a moment" would be obeyed as "pause".
The gate is told whether the speaker is talking at a moment; a short tail after the last
sound covers room echo and the speaker's output latency.
"""

from __future__ import annotations

from collections.abc import Callable


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

    def shut(self) -> None:
        """Listen to nothing more (the session is over)."""
        self._shut = True


def never_speaking(_t: float) -> bool:
    """For `hear` on a plain recording: no assistant is talking."""
    return False
