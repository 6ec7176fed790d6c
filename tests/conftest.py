"""Suite-wide fixtures: English messages and private config/store dirs, so no test touches the user's."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest


@pytest.fixture(autouse=True)
def _isolated_user_dirs(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> None:
    from gradesec import i18n

    home = tmp_path_factory.mktemp("home")
    monkeypatch.setenv("GRADESEC_CONFIG", str(home / "config"))
    monkeypatch.setenv("GRADESEC_STORE", str(home / "store"))
    monkeypatch.setenv("GRADESEC_CACHE", str(home / "cache"))
    monkeypatch.setenv("GRADESEC_LANG", "en")
    monkeypatch.delenv("GRADESEC_CATALOG", raising=False)
    i18n.set_lang("en")


@pytest.fixture(autouse=True)
def _fast_key_derivation() -> Iterator[None]:
    """Key files in tests use small Argon2id parameters, through the explicit hook (the default stays)."""
    from gradesec.journal import keyfile

    with keyfile.use_test_kdf():
        yield


@pytest.fixture
def cli(capsys: pytest.CaptureFixture[str]):  # type: ignore[no-untyped-def]
    """Run the command line in-process: ``cli(*args) -> (exit_code, stdout, stderr)``."""
    from gradesec.cli import run

    def invoke(*args: str | Path) -> tuple[int, str, str]:
        capsys.readouterr()
        code = run([str(a) for a in args])
        out, err = capsys.readouterr()
        return code, out, err

    return invoke
