"""Only ``gradesec.hub`` loads psycopg (checked in a fresh interpreter, like tests/test_import_hygiene.py)."""

from __future__ import annotations

import json
import pkgutil
import subprocess
import sys

import gradesec


def test_only_the_hub_loads_psycopg() -> None:
    modules = [
        m.name
        for m in pkgutil.walk_packages(gradesec.__path__, "gradesec.")
        if not m.name.startswith(("gradesec.hub", "gradesec.cli", "gradesec.tui", "gradesec.__main__"))
    ]
    code = (
        "import importlib, json, sys\n"
        f"for name in {modules!r}:\n"
        "    importlib.import_module(name)\n"
        "print(json.dumps(sorted({m.split('.')[0] for m in sys.modules})))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert "psycopg" not in set(json.loads(out.stdout))
