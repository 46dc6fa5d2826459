"""Reading a text file she named (a routine, her settings, a commands file), within limits.

Each of these is a small file a person writes in a text editor. Reading one is bounded, so a
path such as /dev/zero or a FIFO never reads without end; and its text is UTF-8 (a byte-order
mark, which some Windows editors add, is accepted). Every problem comes back as a `FileProblem`
whose text ends a sentence that begins with the path; each caller raises its own error kind.
Their TOML is parsed here too, so that every way a parse can fail is one kind of error.
"""

from __future__ import annotations

import codecs
import os
import stat
import tomllib
from pathlib import Path
from typing import Any

ONE_MB = 1_000_000
"""The size limit of each of her text files: hundreds of times the largest routine shipped,
and tens of thousands of scripted commands."""


class FileProblem(Exception):
    """Why a file cannot be used, as the end of a sentence ("is a folder, not a file")."""

    def __init__(self, reason: str, missing: bool = False) -> None:
        super().__init__(reason)
        self.missing = missing
        """True when there is no file at the path at all (for callers that allow that)."""


def read_text(path: Path, kind: str, limit: int = ONE_MB) -> str:
    """The text of a regular file of at most `limit` bytes; `kind` names it in the sentence
    ("a routine file"), so the limit is stated as hers: "a routine file may be at most 1 MB"."""
    data = _read_bytes(path, kind, limit)
    skipped = len(codecs.BOM_UTF8) if data.startswith(codecs.BOM_UTF8) else 0
    try:
        return data[skipped:].decode("utf-8")
    except UnicodeDecodeError as error:
        at = skipped + error.start
        line = data.count(b"\n", 0, at) + 1
        raise FileProblem(
            f"is not UTF-8 text (the byte at offset {at}, on line {line}, is {data[at]:#04x}); "
            "save it as UTF-8 in your text editor"
        ) from None


def _read_bytes(path: Path, kind: str, limit: int) -> bytes:
    try:
        # Non-blocking, so that opening a FIFO returns at once instead of waiting for a writer.
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK)
    except FileNotFoundError:
        raise FileProblem("does not exist", missing=True) from None
    except IsADirectoryError:
        raise FileProblem(f"is a folder, not {kind}") from None
    except ValueError:  # a NUL in the path
        raise FileProblem("is not a path a file can have (it holds a NUL character)") from None
    except OSError as error:
        raise FileProblem(f"cannot be read ({error.strerror})") from None
    try:
        mode = os.fstat(fd).st_mode
        if stat.S_ISDIR(mode):
            raise FileProblem(f"is a folder, not {kind}")
        if not stat.S_ISREG(mode):
            raise FileProblem(f"is not a regular file (a device or a pipe), so it is not {kind}")
        data = _read_up_to(fd, limit + 1)
    except OSError as error:
        raise FileProblem(f"cannot be read ({error.strerror})") from None
    finally:
        os.close(fd)
    if len(data) > limit:
        raise FileProblem(f"is too large: {kind} may be at most {_size(limit)}")
    return data


def _read_up_to(fd: int, count: int) -> bytes:
    chunks: list[bytes] = []
    left = count
    while left > 0:
        chunk = os.read(fd, left)
        if not chunk:
            break
        chunks.append(chunk)
        left -= len(chunk)
    return b"".join(chunks)


def _size(limit: int) -> str:
    return f"{limit / ONE_MB:g} MB" if limit >= ONE_MB else f"{limit:,} bytes"


MAX_DEPTH = 8
"""How deeply tables and arrays may nest in her TOML files, the file itself counted: a routine
needs 5 (the file, `steps`, a step, its `reminders`, a reminder), her settings 2."""


def parse_toml(text: str) -> dict[str, Any]:
    """TOML to a dict, where every way it can fail is a `tomllib.TOMLDecodeError`.

    tomllib parses nested arrays and tables by recursion, so a value nested a few hundred
    deep raises RecursionError, and an integer of thousands of digits a plain ValueError: both
    are a broken file like any other. A file nesting deeper than MAX_DEPTH is refused too,
    so nothing after here (pydantic, printing a value back) recurses that deep."""
    try:
        values = tomllib.loads(text)
    except RecursionError:
        raise tomllib.TOMLDecodeError(_too_deep()) from None
    except tomllib.TOMLDecodeError:
        raise
    except ValueError:  # int() refuses integers of more than 4300 digits
        raise tomllib.TOMLDecodeError("it holds a number with too many digits") from None
    if _depth(values) > MAX_DEPTH:
        raise tomllib.TOMLDecodeError(_too_deep())
    return values


def _too_deep() -> str:
    return f"its tables and arrays nest more than {MAX_DEPTH} deep"


def _depth(value: object) -> int:
    """How deep tables and arrays nest, counted without recursion."""
    deepest = 0
    stack: list[tuple[object, int]] = [(value, 0)]
    while stack:
        item, depth = stack.pop()
        if isinstance(item, dict):
            stack.extend((child, depth + 1) for child in item.values())
        elif isinstance(item, list):
            stack.extend((child, depth + 1) for child in item)
        else:
            continue
        deepest = max(deepest, depth + 1)
        if deepest > MAX_DEPTH:
            break
    return deepest
