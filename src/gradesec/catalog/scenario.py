"""The ``scenario`` document kind: a tabletop exercise for an emergency-response drill.

A scenario names the objectives of the exercise (with a priority), the roles that teams play, and the injects
that the facilitator releases on a clock. Each inject carries the expected actions (expectations) of a role,
with a deadline relative to the inject and the points they are worth. Injects may depend on earlier injects; a
dependent inject is never released before the injects it follows.

Importing this module registers the kind with the catalog loader; the checker below validates the references
inside a scenario (and its links to checklist items and controls) and reports each problem at its line.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING, Annotated, Any, Literal

from pydantic import Field, model_validator

from gradesec.catalog.loader import register_kind
from gradesec.catalog.models import Id, Strict, Text
from gradesec.i18n import t

if TYPE_CHECKING:
    from gradesec.catalog.loader import Catalog, Origin
    from gradesec.catalog.yamlsource import Path_

Priority = Literal["high", "medium", "low"]
PRIORITIES: tuple[Priority, ...] = ("high", "medium", "low")
# How much an objective of each priority counts in the weighted overall score.
PRIORITY_WEIGHT: dict[str, float] = {"high": 3.0, "medium": 2.0, "low": 1.0}

Minutes = Annotated[float, Field(ge=0, le=7 * 24 * 60)]


class Objective(Strict):
    """What the exercise sets out to test (演练目标)."""

    id: Id
    priority: Priority
    text: Text


class Role(Strict):
    """A role that a team plays (指挥组, 技术处置组, 宣传组 …)."""

    id: Id
    name: Text
    description: Text | None = None


class Attachment(Strict):
    """Material handed out with an inject: a text shown to the teams, or a file shipped beside the scenario."""

    title: Text
    content: Text | None = None
    file: str | None = None

    @model_validator(mode="after")
    def _has_body(self) -> Attachment:
        if self.content is None and self.file is None:
            raise ValueError("an attachment needs content or a file")
        if self.file is not None and (self.file.startswith("/") or ".." in self.file.split("/")):
            raise ValueError("an attachment file must be a relative path inside the scenario folder")
        return self


class Expectation(Strict):
    """An action a role is expected to take in answer to an inject."""

    id: Id
    role: Id
    action: Text
    deadline: Annotated[float, Field(gt=0, le=24 * 60)]  # minutes after the inject is released
    points: Annotated[int, Field(ge=1, le=100)]
    objectives: Annotated[list[Id], Field(min_length=1)]
    hint: Text | None = None  # what the evaluator looks for


class Inject(Strict):
    """One message or event handed to the teams during the exercise."""

    id: Id
    at: Minutes  # planned offset from the start of the drill
    after: list[Id] = Field(default_factory=list)
    title: Text
    text: Text
    source: Text | None = None  # who the message appears to come from
    attachments: list[Attachment] = Field(default_factory=list)
    expectations: list[Expectation] = Field(default_factory=list)
    questions: list[Text] = Field(default_factory=list)
    links: list[Id] = Field(default_factory=list)


class Scoring(Strict):
    """How marks turn into points: a partial result and a late result earn these shares of the points."""

    partial: Annotated[float, Field(ge=0, le=1)] = 0.5
    late: Annotated[float, Field(ge=0, le=1)] = 0.5
    pass_mark: Annotated[float, Field(ge=0, le=100)] = 70.0


class Scenario(Strict):
    kind: Literal["scenario"]
    id: Id
    version: Annotated[str, Field(min_length=1)] = "1"
    title: Text
    summary: Text
    level: Annotated[int, Field(ge=1, le=4)] | None = None
    duration: Annotated[float, Field(gt=0, le=7 * 24 * 60)]  # planned minutes
    audience: Text | None = None
    objectives: Annotated[list[Objective], Field(min_length=1)]
    roles: Annotated[list[Role], Field(min_length=1)]
    injects: Annotated[list[Inject], Field(min_length=1)]
    questions: list[Text] = Field(default_factory=list)
    links: list[Id] = Field(default_factory=list)
    scoring: Scoring = Field(default_factory=Scoring)

    def inject(self, inject_id: str) -> Inject:
        for inj in self.injects:
            if inj.id == inject_id:
                return inj
        raise KeyError(inject_id)

    def expectations(self) -> Iterator[tuple[Inject, Expectation]]:
        for inj in self.injects:
            for exp in inj.expectations:
                yield inj, exp

    def expectation(self, expectation_id: str) -> tuple[Inject, Expectation]:
        for inj, exp in self.expectations():
            if exp.id == expectation_id:
                return inj, exp
        raise KeyError(expectation_id)

    def role(self, role_id: str) -> Role:
        for role in self.roles:
            if role.id == role_id:
                return role
        raise KeyError(role_id)

    def objective(self, objective_id: str) -> Objective:
        for obj in self.objectives:
            if obj.id == objective_id:
                return obj
        raise KeyError(objective_id)

    def total_points(self) -> int:
        return sum(exp.points for _inj, exp in self.expectations())


def check_scenario_model(scenario: Scenario) -> list[tuple[Path_, str]]:
    """Problems inside one scenario (no catalog needed): duplicates, dangling references, cycles."""
    problems: list[tuple[Path_, str]] = []
    dup = "lint.duplicate_id"
    dangling = "lint.dangling"

    objective_ids: set[str] = set()
    for i, obj in enumerate(scenario.objectives):
        if obj.id in objective_ids:
            problems.append((("objectives", i, "id"), t(dup, what="objective", id=obj.id)))
        objective_ids.add(obj.id)
    role_ids: set[str] = set()
    for i, role in enumerate(scenario.roles):
        if role.id in role_ids:
            problems.append((("roles", i, "id"), t(dup, what="role", id=role.id)))
        role_ids.add(role.id)

    index: dict[str, int] = {}
    expectation_ids: set[str] = set()
    used_objectives: set[str] = set()
    for i, inj in enumerate(scenario.injects):
        if inj.id in index:
            problems.append((("injects", i, "id"), t(dup, what="inject", id=inj.id)))
        else:
            index[inj.id] = i
        for j, exp in enumerate(inj.expectations):
            here: Path_ = ("injects", i, "expectations", j)
            if exp.id in expectation_ids or exp.id in index:
                problems.append(((*here, "id"), t(dup, what="expectation", id=exp.id)))
            expectation_ids.add(exp.id)
            if exp.role not in role_ids:
                problems.append(((*here, "role"), t(dangling, what="role", id=exp.role)))
            for k, obj_id in enumerate(exp.objectives):
                if obj_id not in objective_ids:
                    problems.append(((*here, "objectives", k), t(dangling, what="objective", id=obj_id)))
                used_objectives.add(obj_id)
    for i, obj in enumerate(scenario.objectives):
        if obj.id not in used_objectives:
            problems.append((("objectives", i, "id"), t("drill.lint.objective_unused", id=obj.id)))

    for i, inj in enumerate(scenario.injects):
        for k, dep in enumerate(inj.after):
            if dep == inj.id:
                problems.append((("injects", i, "after", k), t("drill.lint.self_dependency", id=inj.id)))
            elif dep not in index:
                problems.append((("injects", i, "after", k), t(dangling, what="inject", id=dep)))
    for i in _cycle_members(scenario, index):
        problems.append((("injects", i, "after"), t("drill.lint.cycle", id=scenario.injects[i].id)))
    if scenario.total_points() == 0:
        problems.append((("injects",), t("drill.lint.no_expectations")))
    return problems


def _cycle_members(scenario: Scenario, index: dict[str, int]) -> list[int]:
    """Positions of injects that lie on a dependency cycle (self-loops are reported separately)."""
    graph = {inj.id: [d for d in inj.after if d in index and d != inj.id] for inj in scenario.injects}
    white, grey, black = 0, 1, 2
    colour = dict.fromkeys(graph, white)
    on_cycle: set[str] = set()

    def visit(node: str, stack: list[str]) -> None:
        colour[node] = grey
        stack.append(node)
        for nxt in graph[node]:
            if colour[nxt] == grey:
                on_cycle.update(stack[stack.index(nxt) :])
            elif colour[nxt] == white:
                visit(nxt, stack)
        stack.pop()
        colour[node] = black

    for node in graph:
        if colour[node] == white:
            visit(node, [])
    return sorted(index[n] for n in on_cycle)


def check_scenario(catalog: Catalog, model: Any, origin: Origin) -> list[tuple[Path_, str]]:
    """The loader's checker: internal references, then links to checklist items and controls."""
    assert isinstance(model, Scenario)
    problems = check_scenario_model(model)

    def known(link: str) -> bool:
        return link in catalog.items or link in catalog.controls

    for k, link in enumerate(model.links):
        if not known(link):
            problems.append((("links", k), t("lint.dangling", what="item or control", id=link)))
    for i, inj in enumerate(model.injects):
        for k, link in enumerate(inj.links):
            if not known(link):
                problems.append(
                    (("injects", i, "links", k), t("lint.dangling", what="item or control", id=link))
                )
        if origin.source.path is not None:
            for k, att in enumerate(inj.attachments):
                if att.file is not None and not (origin.source.path.parent / att.file).is_file():
                    problems.append(
                        (
                            ("injects", i, "attachments", k, "file"),
                            t("drill.lint.no_attachment", file=att.file),
                        )
                    )
    return problems


register_kind("scenario", Scenario, check_scenario)
