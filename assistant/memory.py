"""Keep memory flat over a long session: large buffers go back to the system when freed.

Every utterance allocates and frees buffers of a few hundred kilobytes to a few megabytes
(spectrograms, Whisper's activations). glibc serves such sizes from memory mapped for them,
until the first one is freed: then it raises that threshold and serves them from its heap,
where freed space stays with the process and fragments, so a session's memory creeps up by
a hundred megabytes and more. Fixing the threshold keeps them mapped, and handed back.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import sys

M_TRIM_THRESHOLD = -1
M_MMAP_THRESHOLD = -3
THRESHOLD_BYTES = 128 * 1024
"""Buffers this large or larger are mapped on their own (glibc's own starting value)."""


def keep_heap_small() -> bool:
    """Fix glibc's thresholds; False where there is no glibc (macOS, Windows, musl)."""
    if not sys.platform.startswith("linux"):
        return False
    name = ctypes.util.find_library("c")
    try:
        libc = ctypes.CDLL(name or "libc.so.6")
        mallopt = libc.mallopt
    except (OSError, AttributeError):
        return False
    return all(
        mallopt(option, THRESHOLD_BYTES) == 1 for option in (M_MMAP_THRESHOLD, M_TRIM_THRESHOLD)
    )
