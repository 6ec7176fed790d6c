"""Checks across documents once every file is loaded: references between kinds, high-risk cases, policies.
Split from ``loader.py``, which re-exports every name."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from pathlib import Path
from typing import Any

from gradesec.catalog.kinds import KINDS, Origin, Problem
from gradesec.catalog.models import (
    SYSTEM_CONDITIONS,
    HighRiskCatalog,
)
from gradesec.catalog.resolved import Catalog
from gradesec.catalog.yamlsource import Path_
from gradesec.i18n import t


def _at(origin: Origin, loc: Path_, message: str) -> Problem:
    return Problem(origin.source.path, origin.source.line_of(loc), message)


def _check_references(cat: Catalog, problems: list[Problem]) -> None:
    # A document that failed validation is missing from the indexes; references into it would only repeat
    # that failure, so they are not reported again.
    broken_kinds = {kind for kind, _ in cat.broken}
    unreadable = "?" in broken_kinds
    items_known = "checklist" not in broken_kinds and not unreadable
    cases_known = "high_risk" not in broken_kinds and not unreadable

    def missing(kind: str, doc_id: str, index: dict[str, Any]) -> bool:
        return doc_id not in index and (kind, doc_id) not in cat.broken and not unreadable

    if not cat.object_kinds:
        problems.append(Problem(Path("<catalog>"), 1, t("lint.no_object_kinds")))
    for checklist in cat.checklists.values():
        origin = cat.origins[("checklist", checklist.id)]
        if checklist.high_risk and missing("high_risk", checklist.high_risk, cat.high_risk):
            problems.append(
                _at(
                    origin,
                    ("high_risk",),
                    t("lint.dangling", what="high-risk catalog", id=checklist.high_risk),
                )
            )
        for k, control in enumerate(checklist.controls):
            if checklist.extension != "cloud":
                for i, item in enumerate(control.items):
                    if item.sides:
                        problems.append(
                            _at(origin, ("controls", k, "items", i, "sides"), t("lint.sides_not_cloud"))
                        )
            if control.category not in cat.categories and items_known:
                problems.append(
                    _at(
                        origin,
                        ("controls", k, "category"),
                        t("lint.dangling", what="category", id=control.category),
                    )
                )
            for i, item in enumerate(control.items):
                base: Path_ = ("controls", k, "items", i)
                for j, obj in enumerate(item.objects):
                    if cat.object_kinds and obj not in cat.object_kinds:
                        problems.append(
                            _at(origin, (*base, "objects", j), t("lint.dangling", what="object kind", id=obj))
                        )
                for j, case_id in enumerate(item.high_risk):
                    case = cat.cases.get(case_id)
                    if case is None and cases_known:
                        problems.append(
                            _at(
                                origin,
                                (*base, "high_risk", j),
                                t("lint.dangling", what="high-risk case", id=case_id),
                            )
                        )
                    elif case is not None and case.item != item.id:
                        problems.append(
                            _at(
                                origin,
                                (*base, "high_risk", j),
                                t("lint.case_other_item", case=case_id, item=item.id, other=case.item),
                            )
                        )
                for j, link in enumerate(item.links):
                    if link not in cat.items and link not in cat.controls and items_known:
                        problems.append(
                            _at(
                                origin,
                                (*base, "links", j),
                                t("lint.dangling", what="item or control", id=link),
                            )
                        )

    for hr in cat.high_risk.values():
        _check_cases(cat, hr, problems, items_known=items_known)

    for profile in cat.profiles.values():
        origin = cat.origins[("profile", profile.id)]
        for j, checklist_id in enumerate(profile.checklists):
            if missing("checklist", checklist_id, cat.checklists):
                problems.append(
                    _at(origin, ("checklists", j), t("lint.dangling", what="checklist", id=checklist_id))
                )
        if profile.high_risk and missing("high_risk", profile.high_risk, cat.high_risk):
            problems.append(
                _at(
                    origin, ("high_risk",), t("lint.dangling", what="high-risk catalog", id=profile.high_risk)
                )
            )
        if missing("policy", profile.policy, cat.policies):
            problems.append(_at(origin, ("policy",), t("lint.dangling", what="policy", id=profile.policy)))
        for j, policy_id in enumerate(profile.policies):
            if missing("policy", policy_id, cat.policies):
                problems.append(_at(origin, ("policies", j), t("lint.dangling", what="policy", id=policy_id)))
        for j, kind in enumerate(profile.object_kinds):
            if cat.object_kinds and kind not in cat.object_kinds:
                problems.append(
                    _at(origin, ("object_kinds", j), t("lint.dangling", what="object kind", id=kind))
                )
        if all(c in cat.checklists for c in profile.checklists) and not cat.items_for(profile.id):
            problems.append(_at(origin, ("level",), t("lint.profile_empty", level=profile.level)))

    for kind, docs in cat.extras.items():
        spec = KINDS[kind]
        if spec.checker is None:
            continue
        for doc_id, model in docs.items():
            origin = cat.origins[(kind, doc_id)]
            for loc, message in spec.checker(cat, model, origin):
                problems.append(_at(origin, loc, message))


def _check_cases(cat: Catalog, hr: HighRiskCatalog, problems: list[Problem], *, items_known: bool) -> None:
    """A high-risk file against the checklists and the system attributes (both ways: the case's item exists at
    every level of the case and lists the case; every condition is a known system attribute; every prerequisite a
    mitigation requires is declared)."""
    origin = cat.origins[("high_risk", hr.id)]
    declared = {p.id for p in hr.prerequisites}
    listed: dict[
        str, set[str]
    ] = {}  # item id -> cases listed by any definition of it (ids may be duplicated)
    levels: dict[str, set[int]] = {}  # item id -> levels of any definition of it
    for checklist in cat.checklists.values():
        for control in checklist.controls:
            for item in control.items:
                listed.setdefault(item.id, set()).update(item.high_risk)
                levels.setdefault(item.id, set()).update(item.levels)
    for i, case in enumerate(hr.cases):
        entry = cat.items.get(case.item)
        if entry is None and items_known:
            problems.append(_at(origin, ("cases", i, "item"), t("lint.dangling", what="item", id=case.item)))
        elif entry is not None:
            missing_levels = sorted(set(case.levels) - levels.get(case.item, set()))
            if missing_levels:
                problems.append(
                    _at(
                        origin,
                        ("cases", i, "levels"),
                        t(
                            "lint.case_levels_missing",
                            case=case.id,
                            item=case.item,
                            levels=", ".join(map(str, missing_levels)),
                        ),
                    )
                )
            if case.id not in listed.get(case.item, set()):
                problems.append(
                    _at(
                        origin, ("cases", i, "item"), t("lint.case_not_on_item", case=case.id, item=case.item)
                    )
                )
        for j, condition in enumerate(case.conditions):
            if condition not in SYSTEM_CONDITIONS:
                problems.append(
                    _at(
                        origin,
                        ("cases", i, "conditions", j),
                        t("lint.unknown_condition", id=condition, known=", ".join(SYSTEM_CONDITIONS)),
                    )
                )
        for k, mitigation in enumerate(case.mitigations):
            for j, req in enumerate(mitigation.requires):
                if req not in declared:
                    problems.append(
                        _at(
                            origin,
                            ("cases", i, "mitigations", k, "requires", j),
                            t("lint.dangling", what="prerequisite", id=req),
                        )
                    )


def check_policies(cat: Catalog, check: Callable[[str, Mapping[str, Any]], list[str]]) -> list[Problem]:
    """Every policy's method and parameters through ``check`` (``assess.scoring.check_params``, passed in so the
    catalog does not import the scoring engine), each problem at the line of the parameter it concerns."""
    problems: list[Problem] = []
    for policy in cat.policies.values():
        origin = cat.origins[("policy", policy.id)]
        method_problems = check(policy.method, {})
        if method_problems:
            problems.extend(_at(origin, ("method",), m) for m in method_problems)
            continue
        for name, value in policy.params.items():
            problems.extend(_at(origin, ("params", name), m) for m in check(policy.method, {name: value}))
    return problems


def iter_problem_lines(problems: Iterable[Problem]) -> list[str]:
    return [str(p) for p in problems]
