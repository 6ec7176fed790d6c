"""The catalog commands on the shipped catalog: human and JSON output, exit codes."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

from gradesec import paths

REQUIRED_KEYS = {
    "id",
    "category",
    "category_name",
    "control",
    "control_name",
    "text",
    "weight",
    "methods",
    "object_kinds",
    "unit_id",
}


def test_lint_passes_on_shipped_catalog(cli) -> None:
    code, out, err = cli("catalog", "lint")
    assert code == 0, err
    assert "Catalog OK" in out


def test_lint_json(cli) -> None:
    code, out, _ = cli("catalog", "lint", "--json")
    assert code == 0
    data = json.loads(out)
    assert data["ok"] is True and data["problems"] == [] and len(data["catalog_sha256"]) == 64


def test_lint_fails_with_file_and_line_on_a_broken_copy(cli, tmp_path: Path) -> None:
    """A user's broken copy of a shipped checklist replaces it and its problems are named with file:line."""
    copy = tmp_path / "policy-clauses-23-25.yaml"
    shutil.copy(paths.shipped_data_dir("checklists") / "policy-clauses-23-25.yaml", copy)
    lines = copy.read_text(encoding="utf-8").splitlines()
    number = next(i for i, line in enumerate(lines) if line.strip().startswith("weight:"))
    indent = lines[number][: len(lines[number]) - len(lines[number].lstrip())]
    lines[number] = indent + "weight: {1: 2.0, 2: 2.0, 3: 2.0, 4: 2.0}"
    copy.write_text("\n".join(lines) + "\n", encoding="utf-8")
    code, out, err = cli("catalog", "lint", copy)
    assert code == 1
    assert f"{copy}:{number + 1}:" in err
    assert "outside (0, 1]" in err
    code, out, _ = cli("--json", "catalog", "lint", copy)
    assert code == 1
    problems = json.loads(out)["problems"]
    assert problems and problems[0]["line"] == number + 1


def test_list_human_and_json(cli) -> None:
    code, out, _ = cli("catalog", "list")
    assert code == 0 and "policy-clauses-23-25" in out and "Catalog hash" in out
    code, out, _ = cli("catalog", "list", "--json")
    data = json.loads(out)
    kinds = {(e["kind"], e["id"]) for e in data["entries"]}
    assert ("profile", "policy-clauses-23-25") in kinds
    assert ("checklist", "policy-clauses-23-25") in kinds
    assert all(len(e["sha256"]) == 64 for e in data["entries"])


def test_items_json_for_policy_profile(cli) -> None:
    """Both positions of --json work and every item carries zh and en text."""
    code, out, _ = cli("--json", "catalog", "items", "--profile", "policy-clauses-23-25")
    assert code == 0
    items = json.loads(out)
    code, out2, _ = cli("catalog", "items", "--profile", "policy-clauses-23-25", "--json")
    assert json.loads(out2) == items
    assert len(items) >= 20
    for item in items:
        assert set(item) >= REQUIRED_KEYS
        assert item["text"]["zh"] and item["text"]["en"]
        assert item["category"] in {"PC23", "PC24", "PC25"}
        assert 0 < item["weight"] <= 1


def test_items_human_output(cli) -> None:
    code, out, _ = cli("--lang", "zh", "catalog", "items", "--profile", "policy-clauses-23-25")
    assert code == 0
    assert "PC23-01-a" in out


def test_unknown_profile_is_a_clear_error(cli) -> None:
    code, _, err = cli("catalog", "items", "--profile", "nope")
    assert code == 1
    assert "There is no profile 'nope'" in err and "Known profiles" in err
    assert "Traceback" not in err


def test_bad_level_is_a_usage_error(cli) -> None:
    code, _, err = cli("catalog", "items", "--profile", "policy-clauses-23-25", "--level", "9")
    assert code == 2 and "level must be 1 to 4" in err


def test_unknown_command_is_a_usage_error(cli) -> None:
    code, _, _ = cli("catalog", "frobnicate")
    assert code == 2


def test_bad_language_is_a_usage_error(cli) -> None:
    code, _, err = cli("--lang", "fr", "catalog", "list")
    assert code == 2 and "Unsupported language" in err


def test_grade_matrix_via_cli(cli) -> None:
    code, out, _ = cli(
        "catalog", "grade", "--business", "society:serious", "--service", "citizen:grave", "--json"
    )
    assert code == 0
    data = json.loads(out)
    assert data["level"] == 3 and data["business"]["level"] == 3 and data["service"]["level"] == 3
    assert data["explanation"]["zh"] and data["explanation"]["en"]
    code, _, err = cli("catalog", "grade", "--business", "society", "--service", "citizen:grave")
    assert code == 2 and "OBJECT:DEGREE" in err
