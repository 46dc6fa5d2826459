"""Downloading the English vosk model: `pumpcoach models fetch`, or scripts/fetch_model.py.

Careful in the order that matters: the zip is streamed to a hidden temporary file, its size
and SHA-256 are checked before anything is unpacked, members that would land outside the
folder are refused, and the model is unpacked beside its final place and renamed into it in
one step, so `models/` never holds half a model. Without a network nothing changes: Pump
Coach keeps using pocketsphinx, whose model ships with it.
"""

from __future__ import annotations

import hashlib
import http.client
import os
import re
import shutil
import tempfile
import urllib.error
import urllib.request
import zipfile
from contextlib import ExitStack
from pathlib import Path, PurePosixPath

from rich.console import Console
from rich.progress import (
    BarColumn,
    DownloadColumn,
    Progress,
    TextColumn,
    TimeRemainingColumn,
    TransferSpeedColumn,
)

from assistant.hearing.models import (
    VOSK_MODEL_NAME,
    VOSK_MODEL_SHA256,
    VOSK_MODEL_SIZE,
    VOSK_MODEL_URL,
    ModelError,
    is_vosk_model,
    vosk_model_at,
)

CHUNK = 64 * 1024
"""Bytes read from the network at a time."""
TIMEOUT_S = 20.0
"""A connection that stays silent this long is given up on."""
_NO_DOWNLOAD = "Pump Coach will keep using the pocketsphinx model, which needs no download."


def fetch_vosk_model(
    models_dir: Path,
    url: str = VOSK_MODEL_URL,
    sha256: str = VOSK_MODEL_SHA256,
    size: int = VOSK_MODEL_SIZE,
    progress: bool = True,
    name: str = VOSK_MODEL_NAME,
) -> Path:
    """The model folder `models_dir/name`, downloaded from `url` and checked against `size`
    bytes and `sha256` first if it is not there yet; ModelError with one sentence if that
    fails, leaving nothing behind."""
    target = models_dir / name
    if is_vosk_model(target):
        return target
    if target.exists():
        raise ModelError(
            f"{target} exists but is not a complete vosk model; delete it and fetch again."
        )
    try:
        models_dir.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        raise ModelError(f"Cannot create {models_dir} ({error.strerror or error}).") from error
    with ExitStack() as cleanup:
        download = _temporary_file(models_dir)
        cleanup.callback(_remove, download)
        _download(url, download, size, sha256, progress)
        unpacked = Path(tempfile.mkdtemp(prefix=".unpack-", dir=models_dir))
        cleanup.callback(shutil.rmtree, unpacked, ignore_errors=True)
        _unzip(download, unpacked)
        model = vosk_model_at(unpacked)
        if model is None:
            raise ModelError(f"The download from {url} holds no vosk model; nothing was installed.")
        try:
            model.rename(target)
        except OSError as error:
            raise ModelError(
                f"Cannot move the model into {target} ({error.strerror or error}); "
                "nothing was installed."
            ) from error
    return target


def _temporary_file(folder: Path) -> Path:
    handle, name = tempfile.mkstemp(prefix=".download-", suffix=".zip", dir=folder)
    os.close(handle)
    return Path(name)


def _remove(path: Path) -> None:
    path.unlink(missing_ok=True)


def _download(url: str, to: Path, size: int, sha256: str, progress: bool) -> None:
    """Stream `url` into `to`, then check its size and hash; ModelError on any failure."""
    digest = hashlib.sha256()
    received = 0
    try:
        with urllib.request.urlopen(url, timeout=TIMEOUT_S) as response, to.open("wb") as out:
            total = int(response.headers.get("Content-Length") or size)
            with _progress_bar(progress) as bar:
                task = bar.add_task("vosk model", total=total)
                while chunk := response.read(CHUNK):
                    received += len(chunk)
                    if received > size:
                        break  # more than promised: not the file we know; stop reading
                    digest.update(chunk)
                    out.write(chunk)
                    bar.update(task, advance=len(chunk))
    except urllib.error.HTTPError as error:
        raise ModelError(
            f"Could not download the English vosk model (the server answered {error.code} "
            f"{error.reason}). {_NO_DOWNLOAD}"
        ) from error
    except (urllib.error.URLError, OSError, http.client.HTTPException, ValueError) as error:
        raise ModelError(
            f"Could not download the English vosk model (no network?): {_why(error)}. "
            f"{_NO_DOWNLOAD}"
        ) from error
    if received != size:
        raise ModelError(
            f"The download was corrupted or changed ({received} bytes, expected {size}); "
            "nothing was installed."
        )
    if digest.hexdigest() != sha256.lower():
        raise ModelError(
            "The download was corrupted or changed (checksum mismatch); nothing was installed."
        )


def _progress_bar(shown: bool) -> Progress:
    """A download bar on stderr that disappears when done (or nothing, if not `shown`)."""
    return Progress(
        TextColumn("[bold]{task.description}"),
        BarColumn(),
        DownloadColumn(),
        TransferSpeedColumn(),
        TimeRemainingColumn(),
        console=Console(stderr=True),
        transient=True,
        disable=not shown,
    )


def _why(error: BaseException) -> str:
    """A short reason: "Connection refused", "timed out", "Name or service not known"."""
    reason: object = error.reason if isinstance(error, urllib.error.URLError) else error
    if isinstance(reason, OSError) and reason.strerror:
        text = reason.strerror
    else:
        text = str(reason) or type(reason).__name__
    return re.sub(r"^\[Errno -?\d+\]\s*", "", text).rstrip(".")


def _unzip(archive: Path, into: Path) -> None:
    """Unpack `archive` into `into`, refusing members with absolute paths or "..".

    Every name is checked before anything is written, so a refused archive writes nothing.
    """
    try:
        with zipfile.ZipFile(archive) as zipped:
            members = zipped.infolist()
            for member in members:
                _check_member(member.filename)
            for member in members:
                _extract(zipped, member, into)
    except zipfile.BadZipFile as error:
        raise ModelError(
            f"The download is not a valid zip file ({error}); nothing was installed."
        ) from error
    except OSError as error:
        raise ModelError(
            f"Cannot unpack the model into {into} ({error.strerror or error}); "
            "nothing was installed."
        ) from error


def _check_member(name: str) -> None:
    path = PurePosixPath(name.replace("\\", "/"))
    if path.is_absolute() or ".." in path.parts or re.match(r"^[A-Za-z]:", name):
        raise ModelError(
            f"The download holds an unsafe file name ({name!r}); nothing was installed."
        )


def _extract(zipped: zipfile.ZipFile, member: zipfile.ZipInfo, into: Path) -> None:
    destination = into.joinpath(*PurePosixPath(member.filename.replace("\\", "/")).parts)
    if member.is_dir():
        destination.mkdir(parents=True, exist_ok=True)
        return
    destination.parent.mkdir(parents=True, exist_ok=True)
    with zipped.open(member) as source, destination.open("wb") as target:
        shutil.copyfileobj(source, target, CHUNK)
