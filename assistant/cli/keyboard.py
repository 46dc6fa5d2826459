"""Typed commands for live sessions, read on a background thread.

On a terminal, keys are read one at a time (cbreak mode) so the line being typed can be
drawn inside the live view instead of fighting it for the cursor. From a pipe, whole lines
are read. Either way, finished lines go on a queue for the session loop.
"""

from __future__ import annotations

import contextlib
import queue
import threading
from collections.abc import Callable, Iterator
from typing import Any, TextIO

BACKSPACES = ("\x7f", "\b")


class KeyboardInput:
    """Puts each typed line on `lines`; calls `on_edit` with the partial line as it changes."""

    def __init__(
        self,
        stream: TextIO,
        lines: queue.Queue[Any] | None = None,
        on_edit: Callable[[str], None] | None = None,
    ) -> None:
        self.lines: queue.Queue[Any] = lines if lines is not None else queue.Queue()
        self._stream = stream
        self._on_edit = on_edit or (lambda _: None)
        self._thread = threading.Thread(target=self._read, name="keyboard", daemon=True)

    @contextlib.contextmanager
    def reading(self) -> Iterator[None]:
        """Read in the background while the block runs; the terminal is restored after it.

        The terminal mode is set and restored here, on the caller's thread, because the
        reader is a daemon thread that may never get to clean up after Ctrl-C.
        """
        with _cbreak(self._stream) if self._stream.isatty() else contextlib.nullcontext():
            self._thread.start()
            yield

    def _read(self) -> None:
        if not self._stream.isatty():
            for line in self._stream:
                self.lines.put(line.strip())
            return
        buffer = ""
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
        quiet = termios.tcgetattr(fd)
        quiet[3] &= ~termios.ECHO
        termios.tcsetattr(fd, termios.TCSADRAIN, quiet)
        yield
    finally:
        termios.tcsetattr(fd, termios.TCSADRAIN, saved)
