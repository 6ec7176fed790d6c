"""Layering is enforced by importing modules in a fresh interpreter and looking at what got loaded.

Only ``gradesec.tui`` may load Textual and only ``gradesec.report`` may load reportlab; the domain packages
(catalog, assess, remedy, drill) load neither SQL nor UI.
"""

from __future__ import annotations

import json
import pkgutil
import subprocess
import sys

import pytest

import gradesec

DOMAIN = ("gradesec.catalog", "gradesec.assess", "gradesec.remedy", "gradesec.drill")
SQL = ("sqlite3", "sqlalchemy", "sqlmodel")


def _modules(prefix: str) -> list[str]:
    names = [prefix]
    package = sys.modules.get(prefix) or __import__(prefix, fromlist=["_"])
    if hasattr(package, "__path__"):
        names += [m.name for m in pkgutil.walk_packages(package.__path__, prefix + ".")]
    return names


def _loaded_after_import(modules: list[str]) -> set[str]:
    code = (
        "import importlib, json, sys\n"
        f"for name in {modules!r}:\n"
        "    importlib.import_module(name)\n"
        "print(json.dumps(sorted({m.split('.')[0] for m in sys.modules})))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    return set(json.loads(out.stdout))


def _all_gradesec_modules() -> list[str]:
    return [m.name for m in pkgutil.walk_packages(gradesec.__path__, "gradesec.")]


def test_headless_modules_do_not_load_textual_or_reportlab() -> None:
    """Everything outside tui/ and report/ (and the CLI entry) imports without Textual or reportlab."""
    headless = [
        m
        for m in _all_gradesec_modules()
        if not m.startswith(("gradesec.tui", "gradesec.report", "gradesec.__main__"))
        and not m.startswith("gradesec.cli.tui_launch")
    ]
    loaded = _loaded_after_import(headless)
    assert "textual" not in loaded
    assert "reportlab" not in loaded


@pytest.mark.parametrize("package", DOMAIN)
def test_domain_packages_load_no_sql_and_no_ui(package: str) -> None:
    try:
        modules = _modules(package)
    except ModuleNotFoundError:
        pytest.fail(f"{package} is missing")
    loaded = _loaded_after_import(modules)
    assert not loaded & {"textual", "reportlab", "openpyxl", *SQL}, sorted(loaded & {"textual", *SQL})


def test_cli_help_stays_light() -> None:
    """``gradesec --help`` loads no heavy library (Textual, SQLModel, reportlab)."""
    code = (
        "import sys\n"
        "from gradesec.cli import run\n"
        "rc = run(['--help'])\n"
        "heavy = sorted({m.split('.')[0] for m in sys.modules} & {'textual', 'sqlmodel', 'sqlalchemy', 'reportlab'})\n"
        "print('HEAVY', ','.join(heavy))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    heavy_line = next(line for line in out.stdout.splitlines() if line.startswith("HEAVY"))
    assert heavy_line == "HEAVY ", heavy_line
