"""Re-testing remediation items (复测) and the progress report's data: each round re-records the issues'
findings, marks items verified or reopened, and keeps the score before and after.

Part of the remediation use cases; ``gradesec.usecases.remediation`` is the façade that re-exports it.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from gradesec.errors import GradesecError, NotFoundError, UsageError
from gradesec.i18n import t
from gradesec.permissions import check_regular, is_missing
from gradesec.remedy.lifecycle import (
    Figures,
    allowed,
    figures,
)
from gradesec.remedy.model import RETEST_OUTCOMES, Action, Item

if TYPE_CHECKING:
    from gradesec.usecases.context import Context

from gradesec.usecases.remedy_items import (
    RETEST_RESULT,
    Filters,
    _check_role,
    _evidence_items,
    _text,
    get_item,
    list_items,
    today_of,
)

# Re-test


@dataclass(frozen=True)
class RetestInput:
    item: str
    outcome: str  # verified | partial | not_fixed
    note: str = ""
    evidence: tuple[Path | str, ...] = ()


@dataclass(frozen=True)
class RetestRound:
    inspection: str
    items: tuple[Item, ...]
    before: dict[str, Any]
    after: dict[str, Any]

    def as_json(self, today: str | None = None) -> dict[str, Any]:
        return {
            "inspection": self.inspection,
            "before": self.before,
            "after": self.after,
            "items": [i.as_json(today) for i in self.items],
        }


def _brief(score: Any) -> dict[str, Any]:
    data = score.as_json()
    return {
        "score": data["score"],
        "conclusion": data["conclusion"],
        "compliance_rate": data["compliance_rate"],
        "issues": data["counts"]["issues"],
        "policy": data["policy"]["id"],
    }


def retest(ctx: Context, inspection_id: str, entries: Sequence[RetestInput]) -> RetestRound:
    """Re-test items of an inspection: re-record each issue's finding, mark each item verified or reopened,
    and record the score and conclusion before and after (``remediation.round``).

    The whole round is one store transaction: reopening the inspection if it was closed, the findings with
    their evidence, the items' transitions, the round with the scores read inside the transaction, and the
    closing with its checkpoint. A failure or a kill at any step leaves the store as it was."""
    _check_role(ctx, "verify")
    with ctx.store.transaction():
        return _retest(ctx, inspection_id, entries)


def _retest(ctx: Context, inspection_id: str, entries: Sequence[RetestInput]) -> RetestRound:
    from gradesec.usecases import inspections

    if not entries:
        raise UsageError(t("remedy.error.nothing_to_retest"), t("remedy.error.nothing_to_retest.hint"))
    items: list[tuple[Item, RetestInput]] = []
    for entry in entries:
        if entry.outcome not in RETEST_OUTCOMES:
            raise UsageError(
                t("remedy.error.bad_outcome", outcome=entry.outcome), t("remedy.error.bad_outcome.hint")
            )
        item = get_item(ctx, entry.item)
        if item.inspection_id != inspection_id:
            raise UsageError(
                t("remedy.error.other_inspection", id=item.id, inspection=inspection_id),
                t("remedy.error.other_inspection.hint"),
            )
        action: Action = "verify" if entry.outcome == "verified" else "reopen"
        if not allowed(item.status, action):
            raise GradesecError(
                t(
                    "remedy.error.transition",
                    id=item.id,
                    status=t(f"remedy.status.{item.status}"),
                    action=t(f"remedy.action.{action}"),
                ),
                t("remedy.error.transition.hint"),
            )
        _text(entry.note, "note")
        items.append((item, entry))
    for _item, entry in items:
        for raw in entry.evidence:
            path = Path(raw).expanduser()
            if is_missing(path):
                raise NotFoundError(
                    t("remedy.error.no_evidence", path=str(raw)), t("remedy.error.no_evidence.hint")
                )
            check_regular(path)
    insp = inspections.get_inspection(ctx, inspection_id)
    before = _brief(inspections.score(ctx, inspection_id))
    if not insp.is_open:
        inspections.reopen_inspection(
            ctx,
            inspection_id,
            t("remedy.retest.reason", lang="zh") + " / " + t("remedy.retest.reason", lang="en"),
        )
    findings: dict[str, list[str]] = {}
    inputs = []
    for item, entry in items:
        if item.source.get("kind") == "issue":
            inputs.append(
                inspections.FindingInput(
                    item.source["item"],
                    item.source["asset"],
                    RETEST_RESULT[entry.outcome],
                    note=_text(entry.note, "note") or t("remedy.retest.note", outcome=entry.outcome),
                    evidence=tuple(entry.evidence),
                )
            )
    if inputs:
        recorded = inspections.record_findings(ctx, inspection_id, inputs)
        for f in recorded:
            findings.setdefault(f"{f.item_id}/{f.asset_id}", []).append(f.event_hash)
    events: list[tuple[str, dict[str, Any]]] = []
    for item, entry in items:
        refs, ev = _evidence_items(ctx, item.id, () if item.source.get("kind") == "issue" else entry.evidence)
        events += ev
        key = f"{item.source.get('item')}/{item.source.get('asset')}"
        body: dict[str, Any] = {
            "id": item.id,
            "inspection": inspection_id,
            "outcome": entry.outcome,
            "note": _text(entry.note, "note"),
            "findings": findings.get(key, []),
            "seen": item.log[-1].event_hash if item.log else None,
        }
        if refs:
            body["evidence"] = refs
        events.append(("remediation.retested", body))
    after_score = inspections.score(ctx, inspection_id)
    after = _brief(after_score)
    events.append(
        (
            "remediation.round",
            {
                "inspection": inspection_id,
                "items": [i.id for i, _ in items],
                "before": before,
                "after": after,
            },
        )
    )
    # The round joins the closing (with its checkpoint), all inside the round's transaction.
    inspections.close_inspection(ctx, inspection_id, before=events)
    return RetestRound(inspection_id, tuple(get_item(ctx, i.id) for i, _ in items), before, after)


def rounds(ctx: Context, inspection_id: str) -> list[dict[str, Any]]:
    """The inspection's re-test rounds, oldest first: when, by whom, which items, score before and after."""
    from gradesec.state.remedy import retest_rounds

    return retest_rounds(ctx.store.connection, inspection_id)


@dataclass(frozen=True)
class ProgressData:
    """What the remediation progress report shows."""

    inspection: str
    title: str
    today: str
    items: tuple[Item, ...]
    figures: Figures
    rounds: tuple[dict[str, Any], ...]
    names: dict[str, str]
    unit: str = ""
    system: str = ""
    number: str = (
        ""  # the official report's number when its fields give one (备案证明编号-年份-机构代码-序号)
    )
    measures: dict[str, str] = field(
        default_factory=dict
    )  # item id -> what to do (planned, else the catalog's)


def _progress_front(ctx: Context, inspection_id: str, items: Sequence[Item], lang: str) -> dict[str, Any]:
    """Unit, system, report number and per-item measures for the progress report's front."""
    from gradesec.assess.report_fields import official_number
    from gradesec.catalog.remediation import advice_for
    from gradesec.state import report as db_report
    from gradesec.usecases import inspections
    from gradesec.usecases.assess_checks import read_db

    view = inspections.load_inspection(ctx, inspection_id)
    with read_db(ctx) as db:
        fields = db_report.report_fields(db, inspection_id)

    def field_text(path: str) -> str:
        stored = fields.get(path)
        return str(stored.value) if stored is not None and isinstance(stored.value, str) else ""

    filing = field_text("system.filing_no") or view.system.filing_no
    code = field_text("org.code")
    year = int((field_text("report.date") or today_of(ctx))[:4])
    number = official_number(filing, code, field_text("report.serial"), year) if filing and code else ""
    cases = {(i.item_id, i.asset_id): i.cases for i in view.issues}
    measures: dict[str, str] = {}
    for item in items:
        src = item.source
        key = (str(src.get("item", "")), str(src.get("asset", "")))
        measures[item.id] = item.measure or advice_for(ctx.catalog, key[0], tuple(cases.get(key, ())), lang)
    return {
        "unit": view.unit.name if view.unit is not None else "",
        "system": view.system.name,
        "number": number,
        "measures": measures,
    }


def progress_report_data(
    ctx: Context, inspection_id: str, today: str | None = None, lang: str = "zh"
) -> ProgressData:
    from gradesec.usecases import inspections

    insp = inspections.get_inspection(ctx, inspection_id)
    day = today or today_of(ctx)
    items = tuple(list_items(ctx, Filters(inspection=inspection_id), day))
    names = {k: v.name for k, v in ctx.store.known_identities().items()}
    return ProgressData(
        inspection_id,
        insp.title or insp.id,
        day,
        items,
        figures(list(items), day),
        tuple(rounds(ctx, inspection_id)),
        names,
        **_progress_front(ctx, inspection_id, items, lang),
    )
