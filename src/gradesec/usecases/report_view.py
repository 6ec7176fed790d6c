"""Reading the report fields back: every field of an inspection's official report with its value, where the
value came from (the inspector, an accepted draft, a draft nobody has touched, or nothing) and whether the
chosen template needs it; the problems, the previous inspection's problems and the 重大风险隐患 judgements the
report prints. Writing the fields is ``report_fields``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Literal

from gradesec.assess.report_fields import (
    CHAPTERS,
    FIELDS,
    MANDATORY,
    TEMPLATES,
    FieldSpec,
    Value,
    expand,
    problem_key,
)
from gradesec.errors import UsageError
from gradesec.i18n import t
from gradesec.state import report as db_report
from gradesec.usecases.assess_checks import read_db
from gradesec.usecases.report_drafts import Problem, build_drafts, categories_of, problems_of

if TYPE_CHECKING:
    from gradesec.catalog.threats import ThreatList
    from gradesec.usecases.context import Context
    from gradesec.usecases.views import InspectionView

Status = Literal["set", "accepted", "draft", "missing"]


@dataclass(frozen=True)
class FieldState:
    """One concrete field: what the report prints (``value``), where it came from, and its draft."""

    path: str
    spec: FieldSpec
    value: Value
    status: Status
    draft: Value = ""
    mandatory: bool = False
    author: str = ""
    at: str = ""

    @property
    def text(self) -> str:
        return ", ".join(self.value) if isinstance(self.value, list) else self.value


@dataclass(frozen=True)
class PreviousProblem:
    """A problem of the previous inspection of the same system (appendix B)."""

    key: str
    control_name: str
    item_text: str
    asset_name: str
    result: str
    risk: str | None


@dataclass
class ReportModel:
    inspection_id: str
    template: str
    lang: str
    fields: dict[str, FieldState]
    categories: list[str]
    problems: list[Problem]
    previous_id: str | None = None
    previous: list[PreviousProblem] = field(default_factory=list)
    threats: ThreatList | None = None
    # 重大风险隐患 as judged (one judgement may cover several problems) and whether each was remediated.
    major_groups: list[tuple[tuple[str, ...], bool]] = field(default_factory=list)

    def major_count(self) -> tuple[int, int]:
        """``(N, M)`` of the front page's ``N（M个已整改）``: judgements, and those whose problems are all
        remediated (by re-test, or as the inspector states it in ``major.<problem>.remediated``)."""
        fixed = 0
        for keys, remediated in self.major_groups:
            if remediated or (keys and all(self.text(f"major.{k}.remediated") == "yes" for k in keys)):
                fixed += 1
        return len(self.major_groups), fixed

    def get(self, path: str) -> FieldState | None:
        return self.fields.get(path)

    def text(self, path: str) -> str:
        state = self.fields.get(path)
        return state.text if state is not None else ""

    def values(self, path: str) -> list[str]:
        state = self.fields.get(path)
        if state is None:
            return []
        return list(state.value) if isinstance(state.value, list) else [state.value] if state.value else []

    def is_draft(self, path: str) -> bool:
        state = self.fields.get(path)
        return state is not None and state.status == "draft"

    def missing(self) -> list[FieldState]:
        """Mandatory fields with neither a value nor a draft."""
        return [f for f in self.fields.values() if f.mandatory and f.status == "missing"]

    def drafts(self) -> list[FieldState]:
        """Mandatory fields that print a draft nobody has accepted or edited yet."""
        return [f for f in self.fields.values() if f.mandatory and f.status == "draft"]

    @property
    def complete(self) -> bool:
        return not self.missing() and not self.drafts()

    def chapter(self, name: str) -> list[FieldState]:
        return [f for f in self.fields.values() if f.spec.chapter == name]

    def as_json(self) -> dict[str, Any]:
        return {
            "inspection": self.inspection_id,
            "template": self.template,
            "lang": self.lang,
            "complete": self.complete,
            "missing": [f.path for f in self.missing()],
            "drafts": [f.path for f in self.drafts()],
            "fields": {
                f.path: {"value": f.value, "status": f.status, "draft": f.draft, "mandatory": f.mandatory}
                for f in self.fields.values()
            },
            "problems": [{"no": p.no, "key": p.key, "risk": p.risk, "major": p.major} for p in self.problems],
        }


def threat_list(ctx: Context) -> ThreatList | None:
    from gradesec.catalog.threats import ThreatList

    lists = ctx.catalog.extras.get("threat_list", {})
    found = lists.get("threats") or next(iter(lists.values()), None)
    return found if isinstance(found, ThreatList) else None


def _previous_inspection(ctx: Context, view: InspectionView) -> str | None:
    from gradesec.usecases import inspections as uc

    insp = view.inspection
    earlier = [
        i
        for i in uc.list_inspections(ctx, insp.system_id)
        if i.id != insp.id and (i.opened_at, i.id) < (insp.opened_at, insp.id)
    ]
    return max(earlier, key=lambda i: (i.opened_at, i.id)).id if earlier else None


def _previous_problems(ctx: Context, previous_id: str | None, lang: str) -> list[PreviousProblem]:
    if previous_id is None:
        return []
    from gradesec.usecases import inspections as uc

    prev = uc.load_inspection(ctx, previous_id)
    return [
        PreviousProblem(p.key, p.control_name, p.item_text, p.asset_name, p.result, p.risk)
        for p in problems_of(prev, lang)
    ]


def _organisation(ctx: Context, opener: str) -> str:
    from gradesec.config import load_config

    org = load_config().organisation or ""
    if not org:
        ident = ctx.store.known_identities().get(opener)
        org = ident.org if ident is not None else ""
    return org


def report_model(ctx: Context, inspection_id: str, lang: str, template: str = "2025") -> ReportModel:
    """Every report field of the inspection: the inspector's values, the drafts, and what ``template`` needs."""
    from gradesec.usecases import inspections as uc
    from gradesec.usecases import remediation

    if template not in TEMPLATES:
        raise UsageError(
            t("report.field.bad_template", template=template), t("report.field.bad_template.hint")
        )
    view = uc.load_inspection(ctx, inspection_id)
    with read_db(ctx) as db:
        stored = db_report.report_fields(db, inspection_id)
    from dataclasses import replace

    from gradesec.catalog.remediation import measure_for
    from gradesec.usecases.judgements import judgements, list_corrections

    majors_judged = [j for j in judgements(ctx, inspection_id) if j.major]
    in_major = {pair: j for j in majors_judged for pair in j.issues}
    problems = [
        replace(p, major=True) if (p.item_id, p.asset_id) in in_major else p for p in problems_of(view, lang)
    ]
    corrections = {(c.item_id, c.asset_id): c for c in list_corrections(ctx, inspection_id)}
    categories = categories_of(view)
    previous_id = _previous_inspection(ctx, view)
    previous = _previous_problems(ctx, previous_id, lang)
    threats = threat_list(ctx)
    result = uc.score(ctx, inspection_id)
    people = ctx.store.known_identities()
    opener = view.inspection.opened_by
    ident = people.get(opener)
    rate = result.compliance_rate
    evaluation = {
        "system": view.system.name,
        "score": "—" if result.score is None else f"{result.score:.2f}",
        "rate": "—" if rate is None else f"{rate:.1f}%",  # a percentage (mlps-2025 and share-met)
        "conclusion": result.conclusion.label.get(lang, result.conclusion.code),
        "problems": len(problems),
        "high": sum(1 for p in problems if p.risk == "high"),
        "major": sum(1 for p in problems if p.major),
    }
    states = {"compliant": "fixed", "partial": "partly", "noncompliant": "open"}
    current = {problem_key(i, a): f.result for (i, a), f in view.findings.items()}
    prev_drafts = {p.key: states[current[p.key]] for p in previous if current.get(p.key) in states}
    planned: dict[str, str] = {}
    today = remediation.today_of(ctx)
    for entry in remediation.list_items(ctx, remediation.Filters(inspection=inspection_id), today):
        if entry.source.get("kind") == "issue":
            key = problem_key(str(entry.source.get("item")), str(entry.source.get("asset")))
            planned[key] = "yes" if entry.status in ("fixed", "verified") else "no"
    judged: dict[str, dict[str, str]] = {}
    for (item_id, asset_id), j in in_major.items():
        judged[problem_key(item_id, asset_id)] = {
            "trigger": j.trigger,
            "consequence": j.reason,
            "remediated": "yes" if j.remediated else planned.get(problem_key(item_id, asset_id), "no"),
        }
    changes: dict[str, tuple[str, str]] = {}
    rank = {"noncompliant": 0, "partial": 1, "compliant": 2}
    for p in problems:
        c = corrections.get((p.item_id, p.asset_id)) or corrections.get((p.item_id, ""))
        if c is not None and c.result in rank:
            before, after = rank.get(p.result, 0), rank[c.result]
            changes[p.key] = ("down" if after > before else "up" if after < before else "none", c.reason)
    drafts = build_drafts(
        view,
        problems,
        lang,
        threats=threats,
        organisation=_organisation(ctx, opener),
        opener=ident.name if ident is not None else "",
        evaluation=evaluation,
        previous=prev_drafts,
        judged=judged,
        changes=changes,
        case_advice={
            case.id: case.advice.get(lang)
            for hr in ctx.catalog.high_risk.values()
            for case in hr.cases
            if getattr(case, "advice", None) is not None
        },
        measures={p.item_id: measure_for(ctx.catalog, p.item_id, lang) for p in problems},
    )
    keys = [p.key for p in problems]
    majors = [p.key for p in problems if p.major]
    mandatory = set(expand(MANDATORY[template], categories, keys, majors))
    extensions = {i.extension for i in view.items if i.extension}
    mandatory |= {s.pattern for s in FIELDS if s.extension and s.extension in extensions}
    # 验证测试: the scan and penetration-test summaries, or the unit's signed refusal instead of both.
    declined = stored.get("verify.declined")
    if declined is not None and declined.value:
        mandatory |= {"verify.declined", "verify.declined_by"}
    else:
        mandatory |= {"verify.scan_tools", "verify.scan", "verify.pentest_tools", "verify.pentest"}
    fields: dict[str, FieldState] = {}
    for spec in FIELDS:
        if spec.extension and spec.extension not in extensions:
            continue  # the inspection has no such extension set: the table and its fields do not exist
        if spec.per == "cat":
            paths = [spec.path(cat=c) for c in categories]
        elif spec.per == "problem":
            pool = [p.key for p in previous] if spec.chapter == "previous" else keys
            pool = majors if spec.pattern.startswith("major.") else pool
            paths = [spec.path(problem=k) for k in pool]
        else:
            paths = [spec.pattern]
        for path in paths:
            draft = drafts.get(path, "")
            row = stored.get(path)
            if row is not None and row.value not in ("", []):
                status: Status = "accepted" if row.origin == "draft" else "set"
                fields[path] = FieldState(
                    path, spec, row.value, status, draft, path in mandatory, _who(people, row.author), row.at
                )
            elif draft not in ("", []):
                fields[path] = FieldState(path, spec, draft, "draft", draft, path in mandatory)
            else:
                fields[path] = FieldState(path, spec, "", "missing", "", path in mandatory)
    ordered = dict(sorted(fields.items(), key=lambda kv: CHAPTERS.index(kv[1].spec.chapter)))
    major_groups = [(tuple(problem_key(i, a) for i, a in j.issues), j.remediated) for j in majors_judged]
    return ReportModel(
        inspection_id,
        template,
        lang,
        ordered,
        categories,
        problems,
        previous_id,
        previous,
        threats,
        major_groups,
    )


def _who(people: dict[str, Any], key_id: str) -> str:
    ident = people.get(key_id)
    return ident.name if ident is not None and ident.name else key_id[:8]
