"""Where gradesec keeps things. Nothing here touches the disk at import time."""

from __future__ import annotations

import os
from pathlib import Path

APP = "gradesec"
DATA_FOLDERS = ("checklists", "profiles", "scenarios", "reports")


def default_store_dir() -> Path:
    """The store used when neither ``--store`` nor ``GRADESEC_STORE`` is given."""
    env = os.environ.get("GRADESEC_STORE")
    if env:
        return Path(env).expanduser()
    import platformdirs  # only when no folder is configured (start-up time)

    return Path(platformdirs.user_data_dir(APP, appauthor=False)) / "store"


def config_dir() -> Path:
    """User configuration and private keys (never inside a store)."""
    env = os.environ.get("GRADESEC_CONFIG")
    if env:
        return Path(env).expanduser()
    import platformdirs

    return Path(platformdirs.user_config_dir(APP, appauthor=False))


def shipped_data_dir(folder: str) -> Path:
    """A shipped data folder (checklists, profiles, scenarios, reports).

    In a wheel the folders live in ``gradesec/data/``; in a source checkout (editable install) they are at the
    repository root.
    """
    if folder not in DATA_FOLDERS:
        raise ValueError(folder)
    packaged = Path(__file__).resolve().parent / "data" / folder
    if packaged.is_dir():
        return packaged
    return Path(__file__).resolve().parents[2] / folder


def shipped_catalog_roots() -> list[Path]:
    """All shipped data folders that exist."""
    return [p for p in (shipped_data_dir(f) for f in DATA_FOLDERS) if p.is_dir()]
