"""Reading one inspection back: the issues its current findings raise, and the whole ``InspectionView``."""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from gradesec.assess.model import ISSUE_RESULTS, Inspection, Issue, progress_of
from gradesec.assess.risk import CaseRule, index_cases, suggest
from gradesec.state import assess as db_assess
from gradesec.usecases.assess_checks import need_inspection, need_system, read_db
from gradesec.usecases.views import InspectionView

if TYPE_CHECKING:
    import sqlite3

    from gradesec.catalog.loader import ResolvedItem
    from gradesec.usecases.context import Context


def cases_of(db: sqlite3.Connection, inspection_id: str) -> dict[str, list[CaseRule]]:
    """The inspection's pinned high-risk cases by item, keeping only those whose conditions the system has now."""
    insp = need_inspection(db, inspection_id)
    system = db_assess.get_system(db, insp.system_id)
    conditions = system.conditions if system is not None else ()
    return index_cases(
        (CaseRule.from_json(c) for c in db_assess.inspection_cases(db, inspection_id)), conditions
    )


def derive_issues(
    insp: Inspection,
    results: Iterable[tuple[str, str, str]],
    ratings: dict[tuple[str, str], dict[str, Any]],
    cases: dict[str, list[CaseRule]],
) -> list[Issue]:
    out: list[Issue] = []
    for item_id, asset_id, result in results:
        if result not in ISSUE_RESULTS:
            continue
        s = suggest(cases, insp.level, item_id, result)
        rating = ratings.get((item_id, asset_id))
        out.append(
            Issue(
                inspection_id=insp.id,
                item_id=item_id,
                asset_id=asset_id,
                result=result,  # type: ignore[arg-type]
                suggested=s.risk,
                cases=s.cases,
                risk=rating["risk"] if rating else None,
                compensation=rating["compensation"] if rating else "",
                reason=rating["reason"] if rating else "",
                major=bool(rating["major"]) if rating else False,
                rated_by=rating["author"] if rating else None,
                rated_at=rating["at"] if rating else None,
                mitigations=rating["mitigations"] if rating else (),
            )
        )
    return out


def _changed_pins(ctx: Context, insp: Inspection) -> tuple[str, ...]:
    catalog = ctx.catalog
    changed: list[str] = []
    for key, digest in sorted(insp.pins.items()):
        kind, _, doc_id = key.partition(":")
        origin = catalog.origins.get((kind, doc_id))
        if origin is None or origin.source.sha256 != digest:
            changed.append(key)
    return tuple(changed)


def load_inspection(ctx: Context, inspection_id: str) -> InspectionView:
    """Everything about one inspection: system, unit, assets, items, current findings, issues, progress."""
    with read_db(ctx) as db:
        insp = need_inspection(db, inspection_id)
        system = need_system(db, insp.system_id)
        unit = db_assess.get_unit(db, system.unit_id)
        assets = [a for a in (db_assess.get_asset(db, aid) for aid in insp.asset_ids) if a is not None]
        findings = db_assess.current_findings(db, inspection_id)
        ratings = db_assess.issue_ratings(db, inspection_id)
        cases = cases_of(db, inspection_id)
        disputes = db_assess.disagreements(db, inspection_id)
    by_pair = {(f.item_id, f.asset_id): f for f in findings}
    issues = derive_issues(insp, ((f.item_id, f.asset_id, f.result) for f in findings), ratings, cases)
    catalog = ctx.catalog
    resolved: dict[str, ResolvedItem] = {}
    if catalog.find_profile(insp.profile_id) is not None:
        wanted = {i.id for i in insp.items}
        resolved = {r.id: r for r in catalog.items_for(insp.profile_id, insp.level) if r.id in wanted}
    return InspectionView(
        inspection=insp,
        system=system,
        unit=unit,
        assets=tuple(assets),
        items=insp.items,
        resolved=resolved,
        findings=by_pair,
        issues=tuple(issues),
        progress=progress_of(insp.items, assets, by_pair),
        disagreements=tuple(disputes),
        catalog_changed=_changed_pins(ctx, insp),
        asset_by_id={a.id: a for a in assets},
    )
