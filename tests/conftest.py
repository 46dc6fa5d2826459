"""Fixtures every test gets: no test reads the settings file of whoever runs the suite."""

from __future__ import annotations

from pathlib import Path

import pytest

from assistant.config import CONFIG_ENV


@pytest.fixture(autouse=True)
def _no_personal_settings(
    tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Point the settings file at an empty folder, so a developer's own config.toml
    (unit = "oz", say) cannot change what a test sees."""
    folder: Path = tmp_path_factory.mktemp("config")
    monkeypatch.setenv(CONFIG_ENV, str(folder / "config.toml"))
