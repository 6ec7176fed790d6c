"""The report model: what the inspector writes for the official report, as signed events, with drafts and
completeness.

``set_report_fields`` validates every path and value (``gradesec.assess.report_fields``) and appends one
``report.field_set`` event per field in one transaction (all or nothing). ``accept_drafts`` records the
current drafts of some fields as the inspector's (``origin: draft``). ``report_model`` reads everything back
with the drafts for the fields nobody has written and says what the chosen template still needs.

Report fields may be written while the inspection is open and after it is closed: the report is written from
the results, usually after the on-site work ends.
"""

from __future__ import annotations

import mimetypes
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

from gradesec.assess.report_fields import (
    CHAPTERS,
    FIELDS,
    MANDATORY,
    TEMPLATES,
    FieldError,
    FieldSpec,
    Value,
    check_value,
    expand,
    grading_level,
    parse_path,
    problem_key,
)
from gradesec.errors import GradesecError, NotFoundError, UsageError
from gradesec.i18n import t
from gradesec.state import report as db_report
from gradesec.usecases.assess_checks import need_inspection, read_db
from gradesec.usecases.context import one_transaction
from gradesec.usecases.report_drafts import Problem, build_drafts, categories_of, problems_of

if TYPE_CHECKING:
    from gradesec.catalog.threats import ThreatList
    from gradesec.usecases.context import Context
    from gradesec.usecases.views import InspectionView

Status = Literal["set", "accepted", "draft", "missing"]
IMAGE_TYPES = ("image/png", "image/jpeg")
MAX_IMAGE = 20 * 1024 * 1024


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


def _refuse(exc: FieldError) -> GradesecError:
    fields = {k: str(v) for k, v in exc.fields.items()}
    return UsageError(t(exc.key, **fields), t(exc.key + ".hint", **fields))


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


def _check_placeholders(
    path: str, spec: FieldSpec, names: dict[str, str], view: InspectionView, previous: set[str]
) -> None:
    if spec.extension and spec.extension not in {i.extension for i in view.items}:
        raise UsageError(
            t("report.field.no_extension", path=path, ext=t(f"catalog.ext.name.{spec.extension}")),
            t("report.field.no_extension.hint"),
        )
    if "cat" in names and names["cat"] not in categories_of(view):
        raise UsageError(
            t("report.field.no_category", path=path, cat=names["cat"]),
            t("report.field.no_category.hint", cats=", ".join(categories_of(view))),
        )
    if "item" in names:
        key = problem_key(names["item"], names["asset"])
        pool = (
            previous
            if spec.chapter == "previous"
            else {problem_key(i.item_id, i.asset_id) for i in view.issues}
        )
        if key not in pool:
            hint = (
                "report.field.no_previous.hint"
                if spec.chapter == "previous"
                else "report.field.no_problem.hint"
            )
            raise UsageError(t("report.field.no_problem", path=path, key=key), t(hint))


@one_transaction
def set_report_fields(
    ctx: Context,
    inspection_id: str,
    values: Mapping[str, object],
    *,
    origin: Literal["inspector", "draft"] = "inspector",
) -> list[str]:
    """Record ``values`` (path → value) as signed ``report.field_set`` events; returns the paths written.

    Every value is checked before anything is written. A ``file`` field takes the path of a PNG or JPEG: the
    file goes into the evidence store and the field keeps its SHA-256 and name. An empty value clears a field.
    """
    from gradesec.usecases import inspections as uc

    if not values:
        raise UsageError(t("report.field.nothing"), t("report.field.nothing.hint"))
    with read_db(ctx) as db:
        need_inspection(db, inspection_id)
    view = uc.load_inspection(ctx, inspection_id)
    previous = {p.key for p in _previous_problems(ctx, _previous_inspection(ctx, view), "en")}
    threats = threat_list(ctx)
    known_threats = {th.id for th in threats.threats} if threats is not None else set()
    checked: list[tuple[str, FieldSpec, Value]] = []
    files: list[tuple[int, Path]] = []
    for path, raw in values.items():
        try:
            spec, names = parse_path(path)
            value = check_value(spec, raw)
        except FieldError as exc:
            raise _refuse(exc) from None
        _check_placeholders(path, spec, names, view, previous)
        if spec.kind == "list" and isinstance(value, list):
            unknown = [v for v in value if v not in known_threats]
            if unknown:
                raise UsageError(
                    t("report.field.bad_threat", ids=", ".join(unknown)),
                    t("report.field.bad_threat.hint", ids=", ".join(sorted(known_threats)) or "-"),
                )
        if spec.kind == "grading" and value and grading_level(str(value)) != view.inspection.level:
            raise UsageError(
                t("report.field.grading_level", value=value, level=view.inspection.level),
                t("report.field.grading_level.hint"),
            )
        if spec.kind == "file" and value:
            source = Path(str(value)).expanduser()
            media = mimetypes.guess_type(source.name)[0]
            if not source.is_file():
                raise NotFoundError(t("report.field.no_file", path=source), t("report.field.no_file.hint"))
            if media not in IMAGE_TYPES or source.stat().st_size > MAX_IMAGE:
                raise UsageError(t("report.field.not_image", path=source), t("report.field.not_image.hint"))
            files.append((len(checked), source))
        checked.append((path, spec, value))
    signer = ctx.signer
    events: list[tuple[str, dict[str, Any]]] = []
    stored = {index: source for index, source in files}
    for index, (path, _spec, value) in enumerate(checked):
        if index in stored:
            source = stored[index]
            blob = ctx.store.evidence.put(source)
            ref = {
                "sha256": blob.sha256,
                "name": source.name,
                "size": blob.size,
                "media_type": mimetypes.guess_type(source.name)[0] or "application/octet-stream",
            }
            events.append(("evidence.attached", {**ref, "target": {"kind": "report", "id": inspection_id}}))
            value = f"{blob.sha256} {source.name}"
        events.append(
            (
                "report.field_set",
                {"inspection": inspection_id, "path": path, "value": value, "origin": origin},
            )
        )
    ctx.store.append_many(signer, events)
    return [path for path, _spec, _value in checked]


@one_transaction
def accept_drafts(
    ctx: Context, inspection_id: str, paths: list[str] | None = None, lang: str = "zh"
) -> list[str]:
    """Record the current drafts of ``paths`` (default: every field that prints a draft) as accepted."""
    model = report_model(ctx, inspection_id, lang)
    wanted = paths if paths is not None else [f.path for f in model.fields.values() if f.status == "draft"]
    values: dict[str, object] = {}
    for path in wanted:
        state = model.get(path)
        if state is None or state.draft in ("", []):
            raise UsageError(t("report.field.no_draft", path=path), t("report.field.no_draft.hint"))
        values[path] = state.draft
    if not values:
        return []
    return set_report_fields(ctx, inspection_id, values, origin="draft")


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
