"""Cues as text lines, for when there is no audio output: the session goes on regardless."""

from __future__ import annotations

import sys
import threading
from typing import TextIO

PREFIX = "»"
"""Marks a spoken cue in the text stream; `>>` where the stream cannot encode it."""


class PrintSpeaker:
    """Writes each cue as `» text` to a text stream (stderr by default: stdout may carry JSON)."""

    def __init__(self, stream: TextIO | None = None, *, quiet: bool = False) -> None:
        """quiet=True writes nothing (for when a screen already shows every cue)."""
        self._stream = stream if stream is not None else sys.stderr
        self._quiet = quiet
        self._lock = threading.Lock()

    def say(self, text: str, t: float, interrupt: bool = False) -> None:
        if self._quiet or not text.strip():
            return
        with self._lock:
            try:
                self._stream.write(f"{PREFIX} {text}\n")
            except UnicodeEncodeError:
                self._stream.write(f">> {text}\n".encode("ascii", "replace").decode("ascii"))
            self._stream.flush()

    def set_voice(self, rate_wpm: int, volume: float) -> None:
        """Nothing to change on a page."""

    def close(self) -> None:
        with self._lock:
            self._stream.flush()
