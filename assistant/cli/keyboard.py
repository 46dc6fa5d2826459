"""Typed commands for live sessions, read on a background thread.

On a terminal, keys are read one at a time (cbreak mode) so the line being typed can be
drawn inside the live view instead of fighting it for the cursor. From a pipe, whole lines
are read. Either way, finished lines go on a queue for the session loop.
"""

from __future__ import annotations

import contextlib
import os
import queue
import sys
import threading
from collections.abc import Callable, Iterator
from typing import TextIO

BACKSPACES = ("\x7f", "\b")


class KeyboardInput:
    """Puts each typed line on `lines`; calls `on_edit` with the partial line as it changes."""

    def __init__(self, stream: TextIO, on_edit: Callable[[str], None] | None = None) -> None:
        self.lines: queue.Queue[str] = queue.Queue()
        self._stream = stream
        self._on_edit = on_edit or (lambda _: None)
        self._thread = threading.Thread(target=self._read, name="keyboard", daemon=True)

    def start(self) -> None:
        self._thread.start()

    def _read(self) -> None:
        if self._stream.isatty():
            self._read_keys()
        else:
            for line in self._stream:
                self.lines.put(line.strip())

    def _read_keys(self) -> None:
        buffer = ""
        with _cbreak(self._stream):
            while True:
                key = self._stream.read(1)
                if key in ("", "\x04"):
                    return
                if key in ("\n", "\r"):
                    self.lines.put(buffer)
                    buffer = ""
                elif key in BACKSPACES:
                    buffer = buffer[:-1]
                elif key.isprintable():
                    buffer += key
                self._on_edit(buffer)


@contextlib.contextmanager
def _cbreak(stream: TextIO) -> Iterator[None]:
    """Keys without echo or line buffering, restored on exit; a no-op where unsupported."""
    try:
        import termios
        import tty
    except ImportError:  # Windows: keys still arrive, just line-buffered
        yield
        return
    fd = stream.fileno()
    saved = termios.tcgetattr(fd)
    try:
        tty.setcbreak(fd)
        new = termios.tcgetattr(fd)
        new[3] &= ~termios.ECHO
        termios.tcsetattr(fd, termios.TCSADRAIN, new)
        yield
    finally:
        termios.tcsetattr(fd, termios.TCSADRAIN, saved)


def stdin_is_terminal() -> bool:
    return sys.stdin.isatty() and os.name == "posix"
