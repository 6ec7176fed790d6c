"""Generated drafts of the report fields, from what the inspection recorded.

A draft is offered beside a field the inspector has not written yet: the report prints it marked as a draft
until the inspector edits it or accepts it (``report.field_set`` with ``origin: draft``). Drafts are plain
functions of the inspection view, the score and the threat list, in the report's language; they never write.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from gradesec.assess.report_fields import Value, problem_key
from gradesec.i18n import t

if TYPE_CHECKING:
    from gradesec.assess.model import Issue
    from gradesec.catalog.threats import ThreatList
    from gradesec.usecases.views import InspectionView

# The 安全类 of GB/T 22239 in the order the report's chapter 3 walks them (3.1 … 3.10).
CATEGORY_ORDER: tuple[str, ...] = ("PES", "CNS", "ABS", "CES", "SMC", "PSS", "ORS", "HRS", "CMS", "MMS")
NARRATIVE_LIMIT = 3800  # stay under the field limit, leaving room for the inspector's edits
RISK_RANK = {"high": 0, "medium": 1, "low": 2, None: 3}


@dataclass(frozen=True)
class Problem:
    """A current problem (partial or non-compliant result) as the report numbers it (T001, T002 …)."""

    key: str  # item@asset, the field-path placeholder
    no: str
    item_id: str
    asset_id: str
    category: str
    cls: str  # technical | management
    control_name: str
    item_text: str
    asset_name: str
    result: str
    note: str
    risk: str | None
    suggested: str | None
    cases: tuple[str, ...]
    major: bool
    compensation: str = ""
    reason: str = ""


def problems_of(view: InspectionView, lang: str) -> list[Problem]:
    """The inspection's problems, high risk first, then in catalog order of items and assets."""
    item_order = {item.id: n for n, item in enumerate(view.items)}
    asset_order = {a.id: n for n, a in enumerate(view.assets)}
    snap = {item.id: item for item in view.items}

    def rank(issue: Issue) -> tuple[int, int, int]:
        return (
            RISK_RANK.get(issue.effective, 3),
            item_order.get(issue.item_id, 0),
            asset_order.get(issue.asset_id, 0),
        )

    out: list[Problem] = []
    for n, issue in enumerate(sorted(view.issues, key=rank), 1):
        resolved = view.resolved.get(issue.item_id)
        asset = view.asset_by_id.get(issue.asset_id)
        finding = view.findings.get((issue.item_id, issue.asset_id))
        item = snap.get(issue.item_id)
        out.append(
            Problem(
                key=problem_key(issue.item_id, issue.asset_id),
                no=f"T{n:03d}",
                item_id=issue.item_id,
                asset_id=issue.asset_id,
                category=item.category if item is not None else "",
                cls=item.category_class if item is not None else "",
                control_name=resolved.control.name.get(lang) if resolved else (item.control if item else ""),
                item_text=resolved.text.get(lang) if resolved else issue.item_id,
                asset_name=asset.name if asset is not None else issue.asset_id,
                result=issue.result,
                note=finding.note if finding is not None else "",
                risk=issue.effective,
                suggested=issue.suggested,
                cases=tuple(issue.cases),
                major=issue.major,
                compensation=issue.compensation,
                reason=issue.reason,
            )
        )
    return out


def categories_of(view: InspectionView) -> list[str]:
    """The 安全类 the inspection covers, in report order (GB/T 22239 first, then any other set)."""
    present = list(dict.fromkeys(item.category for item in view.items))
    known = [c for c in CATEGORY_ORDER if c in present]
    return known + [c for c in present if c not in CATEGORY_ORDER]


def _clip(lines: list[str]) -> str:
    out: list[str] = []
    size = 0
    for line in lines:
        if size + len(line) + 1 > NARRATIVE_LIMIT:
            break
        out.append(line)
        size += len(line) + 1
    return "\n".join(out)


def _one_line(text: str) -> str:
    return " ".join(text.split())


def build_drafts(
    view: InspectionView,
    problems: list[Problem],
    lang: str,
    *,
    threats: ThreatList | None,
    organisation: str,
    opener: str,
    evaluation: dict[str, Any],
    previous: dict[str, str],
    judged: dict[str, dict[str, str]],
    changes: dict[str, tuple[str, str]],
    case_advice: dict[str, str] | None = None,
    measures: dict[str, str] | None = None,
) -> dict[str, Value]:
    """Every draft the inspection's records allow, by field path."""

    def tr(key: str, **fields: object) -> str:
        return t(key, lang=lang, **fields)

    drafts: dict[str, Value] = {}
    system = view.system
    insp = view.inspection
    if organisation:
        drafts["org.name"] = organisation
    if system.filing_no:
        drafts["system.filing_no"] = system.filing_no
    if opener:
        drafts["sign.prepared"] = opener
    drafts["project.purpose"] = tr("official.draft.purpose", system=system.name, level=insp.level)
    drafts["project.basis"] = tr("official.draft.basis")
    drafts["project.distribution"] = tr("official.draft.distribution")
    if insp.opened_at:
        end = (insp.closed_at or "")[:10]
        drafts["process.onsite"] = f"{insp.opened_at[:10]} – {end}" if end else insp.opened_at[:10]
    if isinstance(system.grading, dict):
        b, s = _levels(system.grading)
        if b and s:
            drafts["system.grading"] = f"S{b}A{s}G{max(b, s)}"
    if system.description:
        drafts["object.business"] = system.description
    kinds: dict[str, int] = {}
    for each in view.assets:
        kinds[each.kind] = kinds.get(each.kind, 0) + 1
    drafts["object.selection"] = tr("official.draft.selection", assets=len(view.assets), kinds=len(kinds))

    for cat in categories_of(view):
        good: list[str] = []
        bad: list[str] = []
        for item in view.items:
            if item.category != cat:
                continue
            resolved = view.resolved.get(item.id)
            control = resolved.control.name.get(lang) if resolved else item.control
            for target in view.applicable_assets(item):
                finding = view.findings.get((item.id, target.id))
                if finding is None or finding.result == "na":
                    continue
                line = tr(
                    "official.draft.line",
                    control=control,
                    asset=target.name,
                    note=_one_line(finding.note) or "-",
                )
                (good if finding.result == "compliant" else bad).append(line)
        drafts[f"narrative.{cat}.measures"] = _clip(good) or tr("official.draft.no_measures")
        drafts[f"narrative.{cat}.problems"] = _clip(bad) or tr("official.draft.no_problems")

    compensated = [p for p in problems if p.compensation]
    drafts["overall.controls"] = (
        _clip(
            [tr("official.draft.compensated", no=p.no, text=_one_line(p.compensation)) for p in compensated]
        )
        if compensated
        else tr("official.draft.no_compensation")
    )
    drafts["overall.areas"] = tr("official.draft.no_area_compensation")
    by_cat: dict[str, list[str]] = {}
    if threats is not None:
        for th in threats.threats:
            for cat in th.categories:
                by_cat.setdefault(cat, []).append(th.id)
    for p in problems:
        k = p.key
        if k in changes:  # a 整体测评 correction (finding.corrected) of this result
            drafts[f"overall.{k}.change"] = changes[k][0]
            drafts[f"overall.{k}.description"] = _one_line(changes[k][1])
        elif p.compensation and p.suggested and p.risk and RISK_RANK[p.risk] > RISK_RANK[p.suggested]:
            drafts[f"overall.{k}.change"] = "down"
            drafts[f"overall.{k}.description"] = _one_line(p.compensation)
        asset = view.asset_by_id.get(p.asset_id)
        drafts[f"risk.{k}.assets"] = (
            f"{p.asset_name}（{asset.role}）"
            if asset is not None and asset.role and lang == "zh"
            else p.asset_name
        )
        ids = by_cat.get(p.category) or by_cat.get(p.cls, [])
        if ids:
            drafts[f"risk.{k}.threats"] = list(ids[:3])
        names = [th.name.get(lang) for th in (threats.threats if threats else []) if th.id in ids[:3]]
        drafts[f"risk.{k}.analysis"] = tr(
            "official.draft.analysis",
            asset=p.asset_name,
            control=p.control_name,
            result=tr(f"report.result.{p.result}"),
            note=_one_line(p.note) or "-",
            threats=tr("official.list_sep").join(names) or "-",
        )
        if p.risk:
            drafts[f"risk.{k}.level"] = p.risk
        # The high-risk guide's advice (its appendix B) where a case matched, else the catalog's measure for
        # the item, else the requirement itself.
        advice = [case_advice[c] for c in p.cases if case_advice and c in case_advice]
        drafts[f"advice.{k}"] = (
            "\n".join(dict.fromkeys(advice))
            or (measures or {}).get(p.item_id, "")
            or tr("official.draft.advice", requirement=p.item_text)
        )
        if p.major:
            judgement = judged.get(k, {})
            trigger = judgement.get("trigger") or ", ".join(p.cases)
            if trigger:
                drafts[f"major.{k}.trigger"] = trigger
            drafts[f"major.{k}.consequence"] = judgement.get("consequence") or drafts[f"risk.{k}.analysis"]
            drafts[f"major.{k}.remediated"] = judgement.get("remediated", "no")
    drafts["evaluation"] = tr("official.draft.evaluation", **evaluation)
    for key, state in previous.items():
        drafts[f"previous.{key}.state"] = state
    return drafts


def _levels(grading: dict[str, Any]) -> tuple[int, int]:
    """Business and service levels of a stored grading (``society:serious`` harms)."""
    from gradesec.catalog.grading import grade

    try:
        result = grade(str(grading.get("business")), str(grading.get("service")))
    except Exception:
        return 0, 0
    return int(result.business.level), int(result.service.level)
