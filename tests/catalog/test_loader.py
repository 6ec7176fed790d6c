"""The strict catalog loader: a valid catalog loads, and each class of error is named with file:line."""

from __future__ import annotations

from pathlib import Path

import pytest

from gradesec.catalog.loader import Problem, lint, load_catalog
from gradesec.catalog.yamlsource import MAX_BYTES
from gradesec.errors import CatalogError


def _problems(root: Path) -> list[Problem]:
    return lint([[root]])[1]


def _line_of(path: Path, needle: str, occurrence: int = 1) -> int:
    seen = 0
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        hit = line.rstrip().endswith(needle.strip()) if needle.endswith("\n") else needle in line
        if hit:
            seen += 1
            if seen == occurrence:
                return number
    raise AssertionError(f"{needle!r} not in {path}")


def _replace(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, old
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def _only(problems: list[Problem]) -> Problem:
    assert len(problems) == 1, [str(p) for p in problems]
    return problems[0]


def test_valid_catalog_loads_and_resolves_items(mini: Path) -> None:
    """The fixture catalog has no problems and resolves items per level."""
    catalog = load_catalog(layers=[[mini]])
    items = catalog.items_for("mini-l3")
    assert [i.id for i in items] == ["XTA-01-a", "XTA-01-b", "XTA-02-a"]
    assert items[0].weight == 1.0 and items[0].unit_id == "L3-CES1-01"
    level1 = catalog.items_for("mini-l3", level=1)
    assert [i.id for i in level1] == ["XTA-01-a"]
    assert level1[0].text.en == "Users are unique."
    assert len(catalog.sha256) == 64
    assert set(catalog.pinned_hashes("mini-l3")) == {
        "profile:mini-l3",
        "checklist:mini-tech",
        "high_risk:mini-hr",
        "policy:mini-2019",
    }


def test_unknown_key(mini: Path) -> None:
    """An unexpected key is reported at its own line."""
    path = mini / "checklist.yaml"
    _replace(path, "        methods: [test]\n", "        methods: [test]\n        colour: red\n")
    problem = _only(_problems(mini))
    assert problem.file == path
    assert problem.line == _line_of(path, "colour: red")
    assert "unknown key 'colour'" in problem.message


def test_wrong_type(mini: Path) -> None:
    """A value of the wrong type (a string where a list of levels belongs) is named."""
    path = mini / "checklist.yaml"
    _replace(path, "levels: [3]\n", "levels: three\n")
    problem = _only(_problems(mini))
    assert problem.line == _line_of(path, "levels: three")
    assert "levels" in problem.message


@pytest.mark.parametrize(
    ("old", "new", "needle", "what"),
    [
        ("id: XTA-01-b", "id: XTA-01-a", "id: XTA-01-a", "item"),
        ("id: XTA-02\n", "id: XTA-01\n", "id: XTA-01\n", "control"),
    ],
)
def test_duplicate_id(mini: Path, old: str, new: str, needle: str, what: str) -> None:
    """The second definition of an id is reported where it stands."""
    path = mini / "checklist.yaml"
    _replace(path, old, new)
    problem = _only(_problems(mini))
    assert problem.line == _line_of(path, needle, occurrence=2)
    assert f"duplicate {what} id" in problem.message


def test_duplicate_yaml_key(mini: Path) -> None:
    """YAML silently keeps the last of two equal keys; the loader reports it."""
    path = mini / "policy.yaml"
    _replace(path, "method: mlps-2019\n", "method: mlps-2019\nmethod: mlps-2021\n")
    problem = _only(_problems(mini))
    assert problem.line == _line_of(path, "method: mlps-2021")
    assert "appears twice" in problem.message


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_missing_translation(mini: Path, lang: str) -> None:
    """A text with only one language is an error, for either language."""
    path = mini / "checklist.yaml"
    old = "        guidance: {zh: 测试登录过程。, en: Test the login.}\n"
    keep = "zh: 测试登录过程。" if lang == "en" else "en: Test the login."
    _replace(path, old, "        guidance: {" + keep + "}\n")
    problem = _only(_problems(mini))
    assert problem.line == _line_of(path, "guidance: {" + keep)
    assert f"no {lang} text" in problem.message


def test_empty_translation(mini: Path) -> None:
    path = mini / "high-risk.yaml"
    _replace(path, "title: {zh: 弱口令, en: Weak passwords}", "title: {zh: 弱口令, en: ''}")
    problem = _only(_problems(mini))
    assert problem.line == _line_of(path, "title: {zh: 弱口令")
    assert "no en text" in problem.message


def test_dangling_profile_checklist(mini: Path) -> None:
    path = mini / "profile.yaml"
    _replace(path, "checklists: [mini-tech]", "checklists: [mini-tech, nowhere]")
    problems = _problems(mini)
    assert any(
        p.file == path
        and p.line == _line_of(path, "checklists:")
        and "unknown checklist 'nowhere'" in p.message
        for p in problems
    ), problems


def test_dangling_high_risk_case(mini: Path) -> None:
    path = mini / "checklist.yaml"
    _replace(path, 'high_risk: ["6.4.1.1"]', 'high_risk: ["6.4.1.1", "6.9.9.9"]')
    problem = _only(_problems(mini))
    assert problem.line == _line_of(path, "6.9.9.9")
    assert "unknown high-risk case '6.9.9.9'" in problem.message


def test_dangling_category(mini: Path) -> None:
    path = mini / "checklist.yaml"
    _replace(path, "    category: XTA\n    name: {zh: 管理制度", "    category: ZZZ\n    name: {zh: 管理制度")
    problem = _only(_problems(mini))
    assert problem.line == _line_of(path, "category: ZZZ")
    assert "unknown category 'ZZZ'" in problem.message


def test_dangling_case_item_and_link(mini: Path) -> None:
    hr = mini / "high-risk.yaml"
    _replace(hr, "item: XTA-01-a", "item: XTA-09-z")
    problems = _problems(mini)
    assert any(p.file == hr and "unknown item 'XTA-09-z'" in p.message for p in problems), problems


@pytest.mark.parametrize("weight", ["0", "1.5", "-0.4"])
def test_weight_outside_range(mini: Path, weight: str) -> None:
    path = mini / "checklist.yaml"
    _replace(path, "weight: {2: 0.4, 3: 0.4}", f"weight: {{2: 0.4, 3: {weight}}}")
    problem = _only(_problems(mini))
    assert problem.line == _line_of(path, f"3: {weight}}}")
    assert "outside (0, 1]" in problem.message


@pytest.mark.parametrize("level", ["0", "5"])
def test_level_outside_range(mini: Path, level: str) -> None:
    path = mini / "checklist.yaml"
    _replace(path, "levels: [2, 3]", f"levels: [2, {level}]")
    problems = _problems(mini)
    assert problems
    assert all(p.line == _line_of(path, f"levels: [2, {level}]") for p in problems[:1])
    assert "outside 1–4" in problems[0].message


def test_profile_level_outside_range(mini: Path) -> None:
    path = mini / "profile.yaml"
    _replace(path, "level: 3", "level: 7")
    problem = _only(_problems(mini))
    assert problem.line == _line_of(path, "level: 7")
    assert "outside 1–4" in problem.message


def test_weight_missing_for_a_level(mini: Path) -> None:
    path = mini / "checklist.yaml"
    _replace(path, "weight: {2: 0.4, 3: 0.4}", "weight: {2: 0.4}")
    problem = _only(_problems(mini))
    assert "no weight for level 3" in problem.message


def test_empty_checklist(mini: Path) -> None:
    path = mini / "empty.yaml"
    path.write_text(
        "kind: checklist\nid: empty\ntitle: {zh: 空, en: Empty}\ncontrols: []\n", encoding="utf-8"
    )
    problem = _only(_problems(mini))
    assert problem.file == path and problem.line == 4
    assert "must not be empty" in problem.message


def test_yaml_syntax_error(mini: Path) -> None:
    path = mini / "policy.yaml"
    _replace(path, "params: {threshold: 70}", "params: {threshold: 70\nbroken: [")
    problem = _only(_problems(mini))
    assert problem.file == path
    assert problem.line >= _line_of(path, "params:")
    assert "YAML syntax error" in problem.message


def test_non_utf8_file(mini: Path) -> None:
    path = mini / "policy.yaml"
    path.write_bytes(path.read_bytes().replace(b"2019 edition", b"2019 \xff edition"))
    problem = _only(_problems(mini))
    assert (
        problem.line == _line_of(mini / "profile.yaml", "kind") + 2
    )  # the title is line 3 of the policy file
    assert "not UTF-8" in problem.message


def test_file_too_large(mini: Path) -> None:
    path = mini / "huge.yaml"
    path.write_bytes(b"# padding\n" * (MAX_BYTES // 10 + 1))
    problem = _only(_problems(mini))
    assert problem.file == path and "too large" in problem.message


def test_unknown_kind(mini: Path) -> None:
    path = mini / "odd.yaml"
    path.write_text("kind: recipe\nid: soup\n", encoding="utf-8")
    problem = _only(_problems(mini))
    assert problem.line == 1 and "unknown kind" in problem.message


def test_load_catalog_raises_with_every_problem(mini: Path) -> None:
    _replace(mini / "profile.yaml", "policy: mini-2019", "policy: none-such")
    _replace(mini / "checklist.yaml", "objects: [docs]", "objects: [toaster]")
    with pytest.raises(CatalogError) as info:
        load_catalog(layers=[[mini]])
    assert len(info.value.problems) == 2
    assert all(":" in line for line in info.value.problems)


def test_later_layer_replaces_a_document(mini: Path, tmp_path: Path) -> None:
    """A user's copy of a document (same kind and id) in a later layer replaces the shipped one."""
    user = tmp_path / "user"
    user.mkdir()
    text = (mini / "policy.yaml").read_text(encoding="utf-8").replace("threshold: 70", "threshold: 75")
    (user / "my-policy.yaml").write_text(text, encoding="utf-8")
    catalog = load_catalog(layers=[[mini], [user]])
    assert catalog.policies["mini-2019"].params["threshold"] == 75


def test_same_id_twice_in_one_layer(mini: Path) -> None:
    (mini / "policy-copy.yaml").write_text(
        (mini / "policy.yaml").read_text(encoding="utf-8"), encoding="utf-8"
    )
    problem = _only(_problems(mini))
    assert "defined twice" in problem.message
