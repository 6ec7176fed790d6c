"""The scenario kind: shipped scenarios are valid and substantial; broken ones are reported at file:line."""

from __future__ import annotations

from pathlib import Path

import pytest

from gradesec import paths
from gradesec.catalog.loader import Catalog, Problem, lint
from gradesec.catalog.scenario import Scenario

BROKEN = Path(__file__).parent / "fixtures" / "broken"
SHIPPED = (
    "portal-defacement",
    "office-ransomware",
    "egov-data-leak",
    "platform-ddos-event",
    "datacentre-power-restore",
)


def _scenarios(catalog: Catalog) -> dict[str, Scenario]:
    return {k: v for k, v in catalog.extras["scenario"].items() if isinstance(v, Scenario)}


def _problems(file: str) -> list[Problem]:
    _cat, problems = lint([paths.shipped_catalog_roots(), [BROKEN / file]])
    return [p for p in problems if p.file.name == file]


def _line(file: str, text: str, nth: int = 1) -> int:
    """The line number of the ``nth`` line of the fixture containing ``text``."""
    hits = [i for i, line in enumerate((BROKEN / file).read_text().splitlines(), 1) if text in line]
    return hits[nth - 1]


def test_shipped_scenarios_lint_clean(catalog: Catalog) -> None:
    """The shipped catalog loads with every scenario the issue asks for."""
    assert set(SHIPPED) <= set(_scenarios(catalog))


@pytest.mark.parametrize("scenario_id", SHIPPED)
def test_shipped_scenario_is_substantial(catalog: Catalog, scenario_id: str) -> None:
    """Each shipped scenario has at least six injects, scored expectations on most of them, and links."""
    s = _scenarios(catalog)[scenario_id]
    assert len(s.injects) >= 6
    assert sum(1 for i in s.injects if i.expectations) >= 6
    assert s.total_points() >= 100
    assert {o.priority for o in s.objectives} >= {"high", "medium", "low"}
    assert s.links and all(link in catalog.items or link in catalog.controls for link in s.links)
    roles_used = {e.role for _i, e in s.expectations()}
    assert roles_used == {r.id for r in s.roles}
    for inject in s.injects:
        assert inject.title.zh != inject.title.en


def test_dangling_references_and_cycles_are_reported_at_their_lines() -> None:
    """Unknown role, objective, inject and checklist link, a duplicate expectation, and a cycle I1→I3→I2→I1."""
    file = "bad-refs.yaml"
    got = {(p.line, p.message) for p in _problems(file)}
    lines = {line for line, _m in got}
    messages = " | ".join(m for _l, m in sorted(got))
    assert _line(file, "role: nobody") in lines
    assert _line(file, "objectives: [O7]") in lines
    assert _line(file, "after: [I1, I9]") in lines
    assert _line(file, "NOPE-99") in lines
    assert "'nobody'" in messages and "'O7'" in messages and "'I9'" in messages and "'NOPE-99'" in messages
    assert "duplicate expectation id 'E1'" in messages
    assert "objective 'O2' is not served" in messages
    cycle = [m for m in messages.split(" | ") if "dependency cycle" in m]
    assert len(cycle) == 3


def test_shape_errors_are_reported_at_their_lines() -> None:
    """A missing translation, an unknown key, a bad priority and a zero deadline, each at its line."""
    file = "bad-shape.yaml"
    got = _problems(file)
    by_line = {p.line: p.message for p in got}
    assert "en" in by_line[_line(file, "summary:")]
    assert "urgent" in by_line[_line(file, "priority: urgent")]
    assert "colour" in by_line[_line(file, "colour: red")]
    assert "deadline" in by_line[_line(file, "deadline: 0")]
    assert len(got) == 4


def test_a_broken_scenario_does_not_stop_the_rest_loading() -> None:
    """Lint reports problems and still indexes every valid document."""
    catalog, problems = lint([paths.shipped_catalog_roots(), [BROKEN]])
    assert problems
    assert set(SHIPPED) <= set(catalog.extras["scenario"])
