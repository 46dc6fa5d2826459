"""Files that hold her data, readable by her alone, and nobody else's file ever changed.

Her exports (reports, charts, recordings) say when and how much she pumped: health data.
Most systems create files 0644 (umask 022), readable by every user of the machine, so the
mode is set where a file is made, never afterwards: a new file is created 0600 by
`tempfile.mkstemp` (a umask can only take bits away) and folders Pump Coach creates are
0700. A file she names as output is never written into or chmod-ed: the new content goes to
a private scratch file beside it, which takes its name only once it is complete, so an
interrupted or failed write leaves her old file as it was. Only what she could overwrite
before is replaced (a file she may write); a folder, a device or a pipe is refused.

Errors are `OSError`s, turned into one sentence by the caller with `why_not`, in the error
class of its own domain (a report's `ReportError`, a recording's `AudioError`).
"""

from __future__ import annotations

import errno
import os
import stat
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from pathlib import Path
from typing import BinaryIO

FILE_MODE = 0o600
FOLDER_MODE = 0o700
SCRATCH_PREFIX = ".pumpcoach-"
SCRATCH_SUFFIX = ".part"
"""A scratch file is hidden, and named so that one left by a power cut is recognisable."""

_REASONS = {
    errno.EISDIR: "it is a folder",
    errno.ENOTDIR: "part of its folder path is a file",
    errno.ENOENT: "its folder does not exist",
    errno.EACCES: "permission denied",
    errno.EPERM: "permission denied",
    errno.EROFS: "the disk is read-only",
    errno.ENOSPC: "the disk is full",
    errno.EDQUOT: "the disk quota is used up",
    errno.ENAMETOOLONG: "its name is too long",
}


def why_not(error: OSError) -> str:
    """Why a file could not be written, as the end of a sentence ("the disk is full")."""
    if error.errno in _REASONS:
        return _REASONS[error.errno]
    return error.strerror or str(error)


def private_folder(folder: Path) -> None:
    """Create each missing folder on the way to `folder` 0700; an existing one is left as
    it is, since it may be shared and is not ours to change."""
    missing: list[Path] = []
    probe = folder
    while not os.path.lexists(probe) and probe != probe.parent:
        missing.append(probe)
        probe = probe.parent
    for created in reversed(missing):
        with suppress(FileExistsError):  # made meanwhile by someone else: theirs
            created.mkdir(mode=FOLDER_MODE)
    if not folder.is_dir():
        raise NotADirectoryError(errno.ENOTDIR, os.strerror(errno.ENOTDIR), str(folder))


def check_replaceable(path: Path) -> None:
    """Refuse, before anything is made, an output that is not a file she could overwrite:
    a folder, a device or pipe (replacing `/dev/null` as root would break the machine), or
    a file she may not write (renaming over it would need only the folder's permission)."""
    try:
        found = os.stat(path)
    except FileNotFoundError:
        return
    if stat.S_ISDIR(found.st_mode):
        raise IsADirectoryError(errno.EISDIR, os.strerror(errno.EISDIR), str(path))
    if not stat.S_ISREG(found.st_mode):
        raise OSError(errno.EEXIST, "it is not a regular file", str(path))
    if not os.access(path, os.W_OK):
        raise PermissionError(errno.EACCES, os.strerror(errno.EACCES), str(path))


@contextmanager
def private_output(path: Path) -> Iterator[BinaryIO]:
    """A new 0600 file to write `path`'s content into; it becomes `path` when the block ends
    without error, and is removed otherwise.

    A symbolic link she names keeps pointing where it did: the file it points to is replaced.
    """
    target = Path(os.path.realpath(path))
    check_replaceable(target)
    handle, scratch = tempfile.mkstemp(
        suffix=SCRATCH_SUFFIX, prefix=SCRATCH_PREFIX, dir=target.parent
    )
    try:
        with os.fdopen(handle, "wb") as out:
            yield out
            out.flush()
            os.fsync(out.fileno())  # complete on disk before it takes her file's place
        os.replace(scratch, target)
    except BaseException:
        with suppress(FileNotFoundError):
            os.unlink(scratch)
        raise
