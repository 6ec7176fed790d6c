"""Corrections as signed events: edit a unit or a system, take a result back to "untested", undo a result.

Nothing is rewritten: each correction is a new event (``unit.updated``, ``system.updated``,
``finding.retracted``; see ``gradesec.state.corrections``), so the journal keeps who changed what, when.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from gradesec.assess.model import Finding, System, Unit
from gradesec.errors import GradesecError, UsageError
from gradesec.i18n import t
from gradesec.state import assess as db_assess
from gradesec.usecases.assess_checks import (
    MAX_NAME,
    clean_text,
    need_inspection,
    need_item,
    need_open,
    need_system,
    need_unit,
    read_db,
)

if TYPE_CHECKING:
    from gradesec.usecases.context import Context


def _changes(
    current: dict[str, str], wanted: dict[str, str | None], limits: dict[str, int]
) -> dict[str, str]:
    out: dict[str, str] = {}
    for field, value in wanted.items():
        if value is None:
            continue
        cleaned = clean_text(value, field, required=field == "name", limit=limits.get(field, MAX_NAME))
        if cleaned != current[field]:
            out[field] = cleaned
    if not out:
        raise UsageError(t("correct.error.nothing"), t("correct.error.nothing.hint"))
    return out


def update_unit(
    ctx: Context,
    unit_id: str,
    *,
    name: str | None = None,
    code: str | None = None,
    region: str | None = None,
    contact: str | None = None,
) -> Unit:
    """Correct fields of a unit (``None``: unchanged); at least one must change."""
    signer = ctx.signer
    with read_db(ctx) as db:
        unit = need_unit(db, unit_id)
    current = {"name": unit.name, "code": unit.code, "region": unit.region, "contact": unit.contact}
    changes = _changes(current, {"name": name, "code": code, "region": region, "contact": contact}, {})
    ctx.store.append(signer, "unit.updated", {"id": unit_id, "changes": changes})
    with read_db(ctx) as db:
        return need_unit(db, unit_id)


def update_system(
    ctx: Context,
    system_id: str,
    *,
    name: str | None = None,
    filing_no: str | None = None,
    description: str | None = None,
) -> System:
    """Correct the name, filing number or description of a system (its level has its own procedure)."""
    signer = ctx.signer
    with read_db(ctx) as db:
        system = need_system(db, system_id)
    current = {"name": system.name, "filing_no": system.filing_no, "description": system.description}
    wanted = {"name": name, "filing_no": filing_no, "description": description}
    changes = _changes(current, wanted, {"description": 4000})
    ctx.store.append(signer, "system.updated", {"id": system_id, "changes": changes})
    with read_db(ctx) as db:
        return need_system(db, system_id)


def retract_finding(
    ctx: Context, inspection_id: str, item_id: str, asset_id: str, *, reason: str = ""
) -> None:
    """Take the current result of an item on an asset back: the pair is untested again (the history keeps
    every revision, this one included)."""
    from gradesec.usecases.findings import _need_trusted

    why = clean_text(reason, "reason")
    signer = ctx.signer
    _need_trusted(ctx)
    with read_db(ctx) as db:
        insp = need_inspection(db, inspection_id)
        need_open(insp)
        need_item(insp, item_id)
        current = {(f.item_id, f.asset_id) for f in db_assess.current_findings(db, inspection_id)}
        heads = db_assess.head_hashes(db, inspection_id, item_id, asset_id)
    if (item_id, asset_id) not in current:
        raise GradesecError(
            t("correct.error.no_result", item=item_id, asset=asset_id), t("correct.error.no_result.hint")
        )
    body: dict[str, Any] = {
        "inspection": inspection_id,
        "item": item_id,
        "asset": asset_id,
        "reason": why,
        "supersedes": heads,
    }
    ctx.store.append(signer, "finding.retracted", body)


def undo_result(
    ctx: Context, inspection_id: str, item_id: str, asset_id: str, before: Finding | None
) -> Finding | None:
    """Undo a result just recorded: ``before`` (the revision it replaced) is recorded again, or, if there was
    none, the result is retracted. A new event either way; returns the pair's current result afterwards."""
    from gradesec.usecases.findings import record_finding

    if before is None:
        retract_finding(ctx, inspection_id, item_id, asset_id, reason=t("correct.undo_reason"))
        return None
    return record_finding(
        ctx,
        inspection_id,
        item_id,
        asset_id,
        before.result,
        note=before.note,
        method=before.method,
        reason=before.na_reason if before.result == "na" else "",
    )
