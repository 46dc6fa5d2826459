"""Which speech engine to use, and where its model is: vosk when a vosk model is found,
else pocketsphinx with the en-us model that ships inside its wheel (no download needed).

A vosk model is looked for, in order, at `--model PATH` (or the `vosk_model` setting),
`$PUMPCOACH_VOSK_MODEL`, then any model folder under `models/`. `pumpcoach models fetch`
puts the English one there (see `fetch`).
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

import platformdirs

from assistant.errors import PumpCoachError

VOSK_MODEL_NAME = "vosk-model-small-en-us-0.15"
VOSK_MODEL_URL = f"https://alphacephei.com/vosk/models/{VOSK_MODEL_NAME}.zip"
VOSK_MODEL_SHA256 = "30f26242c4eb449f948e42cb302dd7a686cb29a3423a8367f99ff41780942498"
VOSK_MODEL_SIZE = 41_205_931
"""Bytes of the zip at `VOSK_MODEL_URL`."""
MODEL_ENV = "PUMPCOACH_VOSK_MODEL"
"""Environment variable naming a vosk model folder."""
FETCH_HINT = "run `pumpcoach models fetch` to download the English one (41 MB)"

Engine = Literal["vosk", "pocketsphinx"]
ENGINES: tuple[Engine, ...] = ("vosk", "pocketsphinx")
_LOOKED_AT = f"--model, ${MODEL_ENV}, models/"


class ModelError(PumpCoachError):
    """A speech model is missing, unusable, or could not be downloaded."""


@dataclass(frozen=True)
class EngineChoice:
    """The speech engine to run, its model, and why, in words she can read."""

    engine: Engine
    model: Path | None
    """The vosk model folder; None for pocketsphinx, which uses the model in its package."""
    reason: str
    """One sentence for her, e.g.
    "vosk: model found at models/vosk-model-small-en-us-0.15 (from models/)"."""


def is_vosk_model(folder: Path) -> bool:
    """Whether `folder` holds the files vosk needs to load a model.

    vosk reads either the current layout (am/final.mdl, conf/model.conf, conf/mfcc.conf and a
    graph in graph/) or the old flat one (final.mdl, mfcc.conf and a graph side by side);
    a graph is HCLG.fst, or HCLr.fst with Gr.fst (the kind that accepts phrase lists).
    """
    if (folder / "am" / "final.mdl").is_file():
        config = folder / "conf"
        files_ok = (config / "model.conf").is_file() and (config / "mfcc.conf").is_file()
        return files_ok and _has_graph(folder / "graph")
    flat_ok = (folder / "final.mdl").is_file() and (folder / "mfcc.conf").is_file()
    return flat_ok and _has_graph(folder)


def _has_graph(folder: Path) -> bool:
    if (folder / "HCLG.fst").is_file():
        return True
    return (folder / "HCLr.fst").is_file() and (folder / "Gr.fst").is_file()


def vosk_model_at(path: Path) -> Path | None:
    """`path` if it is a model folder, else the first model folder directly inside it."""
    if is_vosk_model(path):
        return path
    return next(iter(_models_in(path)), None)


def _models_in(folder: Path) -> list[Path]:
    """Model folders directly inside `folder`: the English one first, then by name.

    Hidden folders are skipped: a download in progress unpacks into one.
    """
    try:
        children = [p for p in folder.iterdir() if p.is_dir() and not p.name.startswith(".")]
    except OSError:
        return []
    found = [p for p in sorted(children, key=lambda p: p.name) if is_vosk_model(p)]
    return sorted(found, key=lambda p: p.name != VOSK_MODEL_NAME)


def _locate(
    explicit: Path | None, env: Mapping[str, str], models_dir: Path
) -> tuple[Path, str] | None:
    """The model folder and where it was found ("--model", "$VAR" or "models/")."""
    if explicit is not None:
        return _named(explicit.expanduser(), "--model"), "--model"
    from_env = env.get(MODEL_ENV, "").strip()
    if from_env:
        return _named(Path(from_env).expanduser(), f"${MODEL_ENV}"), f"${MODEL_ENV}"
    found = _models_in(models_dir)
    return (found[0], "models/") if found else None


def _named(path: Path, source: str) -> Path:
    """The model a user named; ModelError if there is none there (naming one is a request)."""
    if not path.exists():
        raise ModelError(f"There is no folder at {_shown(path)} (given by {source}).")
    found = vosk_model_at(path)
    if found is None:
        raise ModelError(
            f"{_shown(path)} (given by {source}) is not a vosk model folder: it needs "
            "am/final.mdl, conf/model.conf and a graph/ folder; unzip a model from "
            f"alphacephei.com/vosk/models there, or {FETCH_HINT}."
        )
    return found


def find_vosk_model(explicit: Path | None, env: Mapping[str, str], models_dir: Path) -> Path | None:
    """The vosk model folder to use, or None if there is none.

    Looks at `explicit` (--model), then `$PUMPCOACH_VOSK_MODEL`, then `models_dir`; a folder
    holding one model folder counts as that model. ModelError if `explicit` or the variable
    names something that is not a model: she asked for it, so it is not silently skipped.
    """
    located = _locate(explicit, env, models_dir)
    return None if located is None else located[0]


def choose_engine(
    explicit: Path | None,
    env: Mapping[str, str],
    models_dir: Path,
    engine: str | None = None,
) -> EngineChoice:
    """vosk if a model is found, else pocketsphinx; `engine` ("vosk", "pocketsphinx") forces one.

    ModelError when vosk is forced and no model is found, or `engine` is not an engine.
    """
    if engine is not None and engine not in ENGINES:
        raise ModelError(f"There is no speech engine called {engine!r}; use vosk or pocketsphinx.")
    if engine == "pocketsphinx":
        return EngineChoice(
            "pocketsphinx",
            None,
            "pocketsphinx: chosen with --engine; using the en-us model inside the pocketsphinx "
            "package",
        )
    located = _locate(explicit, env, models_dir)
    if located is not None:
        path, source = located
        return EngineChoice("vosk", path, f"vosk: model found at {_shown(path)} (from {source})")
    if engine == "vosk":
        raise ModelError(
            f"The vosk engine needs a model and none was found (looked at {_LOOKED_AT}); "
            f"{FETCH_HINT}, or pass --model PATH."
        )
    return EngineChoice(
        "pocketsphinx",
        None,
        f"pocketsphinx: no vosk model found (looked at {_LOOKED_AT}); using the en-us model "
        "inside the pocketsphinx package",
    )


def default_models_dir() -> Path:
    """Where models live: the checkout's `models/` when running from one (and it is
    writable), else `models/` in her user data folder."""
    checkout = Path(__file__).resolve().parents[2] / "models"
    if checkout.is_dir() and os.access(checkout, os.W_OK):
        return checkout
    return platformdirs.user_data_path("pumpcoach") / "models"


def _shown(path: Path) -> str:
    """`path` as she would type it: relative to the working folder when inside it."""
    try:
        return str(path.resolve().relative_to(Path.cwd().resolve()))
    except (ValueError, OSError):
        return str(path)
