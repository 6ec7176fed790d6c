"""The offline archive: built from this checkout (pip's cache or the network allowed), then installed into a
fresh virtual environment by its own install script with pip's network disabled (``--no-index``, and
``PIP_NO_INDEX`` in the environment so that nothing may reach an index), and the installed command runs.

Slow-ish (it builds every runtime wheel once): one test, in its own xdist group, so it runs once per suite.
"""

from __future__ import annotations

import os
import subprocess
import sys
import tarfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


@pytest.mark.xdist_group("offline-package")
def test_the_archive_installs_with_no_index(tmp_path: Path) -> None:
    dist = tmp_path / "dist"
    built = subprocess.run(
        [
            sys.executable,
            str(ROOT / "packaging" / "build_offline.py"),
            "--out",
            str(dist),
            "--project",
            str(ROOT),
        ],
        capture_output=True,
        text=True,
        timeout=1800,
    )
    assert built.returncode == 0, built.stderr[-3000:]
    (archive,) = dist.glob("gradesec-offline-*.tar.gz")
    tag = f"cp{sys.version_info.major}{sys.version_info.minor}"
    assert archive.name.startswith("gradesec-offline-0.1.0-" + tag + "-")
    with tarfile.open(archive) as tar:
        names = tar.getnames()
        tar.extractall(tmp_path / "unpacked", filter="data")
    top = names[0].split("/")[0]
    wheels = [n for n in names if n.endswith(".whl")]
    assert any("/wheels/gradesec-0.1.0-" in n for n in wheels)
    for dep in ("textual", "cryptography", "reportlab", "openpyxl", "psycopg_binary"):
        assert any(f"/wheels/{dep}-" in n.lower() for n in wheels), dep

    unpacked = tmp_path / "unpacked" / top
    venv = tmp_path / "laptop-venv"
    env = {
        **{k: v for k, v in os.environ.items() if not k.startswith(("PIP_", "VIRTUAL_ENV", "PYTHONPATH"))},
        "PIP_NO_INDEX": "1",  # no index at all: every package must come from the archive
        "PIP_NO_CACHE_DIR": "1",
        "GRADESEC_PYTHON": sys.executable,
        "HOME": str(tmp_path / "home"),
    }
    installed = subprocess.run(
        ["sh", str(unpacked / "install.sh"), str(venv)], capture_output=True, text=True, env=env, timeout=1200
    )
    assert installed.returncode == 0, installed.stdout[-3000:] + installed.stderr[-3000:]
    assert "gradesec 0.1.0" in installed.stdout

    gradesec = venv / "bin" / "gradesec"
    version = subprocess.run(
        [str(gradesec), "--version"], capture_output=True, text=True, env=env, timeout=120
    )
    assert version.returncode == 0 and version.stdout.startswith("gradesec 0.1.0"), version.stderr
    helped = subprocess.run([str(gradesec), "--help"], capture_output=True, text=True, env=env, timeout=120)
    assert helped.returncode == 0, helped.stderr
    assert "bundle" in helped.stdout and "remedy" in helped.stdout
    # the installed package is the archive's, not this checkout's sources
    where = subprocess.run(
        [str(venv / "bin" / "python"), "-c", "import gradesec; print(gradesec.__file__)"],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
    )
    assert str(venv) in where.stdout
