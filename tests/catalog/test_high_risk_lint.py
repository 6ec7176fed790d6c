"""`catalog lint` on high-risk files, both ways, and on policy parameters: each problem at its file:line."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

from gradesec.catalog.loader import Problem, lint
from tests.catalog.test_loader import _line_of, _only, _replace

Cli = Callable[..., tuple[int, str, str]]


def _problems(root: Path) -> list[Problem]:
    return lint([[root]])[1]


def test_a_case_level_where_its_item_does_not_exist(mini: Path) -> None:
    hr = mini / "high-risk.yaml"
    _replace(hr, "levels: [2, 3]", "levels: [2, 3, 4]")
    problem = _only(_problems(mini))
    assert (problem.file, problem.line) == (hr, _line_of(hr, "levels: [2, 3, 4]"))
    assert "applies at level 4, where item XTA-01-a does not exist" in problem.message


def test_a_case_whose_item_does_not_list_it(mini: Path) -> None:
    checklist, hr = mini / "checklist.yaml", mini / "high-risk.yaml"
    _replace(checklist, '        high_risk: ["6.4.1.1"]\n', "")
    problem = _only(_problems(mini))
    assert (problem.file, problem.line) == (hr, _line_of(hr, "item: XTA-01-a"))
    assert "that item's high_risk does not list it" in problem.message


def test_an_item_listing_a_case_of_another_item(mini: Path) -> None:
    checklist = mini / "checklist.yaml"
    _replace(
        checklist,
        "        guidance: {zh: 测试登录过程。",
        '        high_risk: ["6.4.1.1"]\n        guidance: {zh: 测试登录过程。',
    )
    problem = _only(_problems(mini))
    assert problem.file == checklist
    assert problem.line == _line_of(checklist, 'high_risk: ["6.4.1.1"]', occurrence=2)
    assert "item XTA-01-b lists high-risk case 6.4.1.1, which belongs to item XTA-01-a" in problem.message


def test_an_unknown_condition_and_an_undeclared_prerequisite(mini: Path) -> None:
    hr = mini / "high-risk.yaml"
    _replace(
        hr, "    item: XTA-01-a\n", "    conditions: [business_continuity, big_bank]\n    item: XTA-01-a\n"
    )
    _replace(hr, "{id: other-factor,", "{id: other-factor, requires: [air-gapped],")
    problems = _problems(mini)
    assert [(p.file, p.line) for p in problems] == [
        (hr, _line_of(hr, "conditions: [business_continuity, big_bank]")),
        (hr, _line_of(hr, "requires: [air-gapped]")),
    ]
    assert (
        "unknown system condition 'big_bank' (known: business_continuity, critical_industry)"
        in problems[0].message
    )
    assert "unknown prerequisite 'air-gapped'" in problems[1].message


def test_situations_must_be_numbered_and_mitigations_may_only_name_them(mini: Path) -> None:
    hr = mini / "high-risk.yaml"
    _replace(hr, "{id: other-factor,", "{id: other-factor, situations: [2],")
    problem = _only(_problems(mini))
    assert problem.file == hr and "names situation 2, which the case does not have" in problem.message


def test_catalog_lint_checks_every_policy_with_the_scoring_engine(cli: Cli, mini: Path) -> None:
    policy = mini / "policy.yaml"
    _replace(policy, "params: {threshold: 70}", "params:\n  threshold: 70\n  colour: red")
    code, out, _err = cli("--json", "catalog", "lint", str(mini))
    assert code == 1
    problems = json.loads(out)["problems"]
    mine = [p for p in problems if p["file"] == str(policy)]
    assert len(mine) == 1, problems
    assert mine[0]["line"] == _line_of(policy, "colour: red")
    assert "colour" in mine[0]["message"]
