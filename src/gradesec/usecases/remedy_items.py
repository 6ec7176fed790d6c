"""Remediation items: reading them (one item with its log, filtered lists, figures) and the checks every
change shares (text, date and risk fields, the signer's role, evidence files).

Part of the remediation use cases; ``gradesec.usecases.remediation`` is the façade that re-exports it.
"""

from __future__ import annotations

import hashlib
import json
import mimetypes
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

from gradesec.errors import GradesecError, NotFoundError, UsageError
from gradesec.i18n import t
from gradesec.permissions import check_regular, is_missing
from gradesec.remedy.lifecycle import (
    Figures,
    effective_status,
    figures,
    is_overdue,
    may,
)
from gradesec.remedy.model import RISK_RANK, RISKS, STATUSES, Action, Item

if TYPE_CHECKING:
    from gradesec.usecases.context import Context


MAX_TEXT = 4000
RETEST_RESULT = {"verified": "compliant", "partial": "partial", "not_fixed": "noncompliant"}


def today_of(ctx: Context) -> str:
    return ctx.clock().date().isoformat()


def item_id_for(inspection_id: str, item_id: str, asset_id: str) -> str:
    """A stable id for the item planned from one issue: two planners of the same issue name one item."""
    digest = hashlib.sha256(f"{inspection_id}/{item_id}/{asset_id}".encode()).hexdigest()
    return f"R-{digest[:8]}"


def _text(value: str | None, name: str, *, required: bool = False) -> str:
    text = (value or "").strip()
    if required and not text:
        raise UsageError(t("remedy.error.required", field=name), t("remedy.error.required.hint"))
    if len(text) > MAX_TEXT:
        raise UsageError(t("remedy.error.too_long", field=name, n=MAX_TEXT), t("remedy.error.required.hint"))
    return text


def _date(value: str, name: str) -> str:
    try:
        return date.fromisoformat(value.strip()).isoformat()
    except ValueError:
        raise UsageError(
            t("remedy.error.bad_date", field=name, value=value), t("remedy.error.bad_date.hint")
        ) from None


def _risk(value: str) -> str:
    if value not in RISKS:
        raise UsageError(t("remedy.error.bad_risk", risk=value), t("remedy.error.bad_risk.hint"))
    return value


# Reading


def _rows(ctx: Context, inspection_id: str | None = None) -> list[Item]:
    from sqlmodel import select

    from gradesec.state.remedy import RemediationItemRow, item_from_row

    if ctx.store.in_transaction:  # a multi-step action: read what its earlier steps wrote
        sql = f"SELECT * FROM {RemediationItemRow.__tablename__}"
        args: tuple[str, ...] = ()
        if inspection_id is not None:
            sql, args = sql + " WHERE inspection = ?", (inspection_id,)
        cur = ctx.store.connection.execute(sql, args)
        cols = [d[0] for d in cur.description]
        return [item_from_row(RemediationItemRow(**dict(zip(cols, r, strict=True)))) for r in cur]
    with ctx.store.session() as session:
        query = select(RemediationItemRow)
        if inspection_id is not None:
            query = query.where(RemediationItemRow.inspection == inspection_id)
        return [item_from_row(r) for r in session.exec(query).all()]


def get_item(ctx: Context, item_id: str) -> Item:
    """One item with its whole log (a unique prefix of its id is enough)."""
    from gradesec.state.remedy import load_item

    exact = load_item(ctx.store.connection, item_id)
    if exact is not None:  # an exact id wins over prefixes; no need to list every item
        return exact
    ids = [i.id for i in _rows(ctx)]
    matches = [i for i in ids if i == item_id] or [i for i in ids if i.startswith(item_id)]
    if len(matches) != 1:
        raise NotFoundError(t("remedy.error.no_item", id=item_id), t("remedy.error.no_item.hint"))
    item = load_item(ctx.store.connection, matches[0])
    if item is None:
        raise NotFoundError(t("remedy.error.no_item", id=item_id), t("remedy.error.no_item.hint"))
    return item


@dataclass(frozen=True)
class Filters:
    inspection: str | None = None
    status: str | None = None
    risk: str | None = None
    overdue: bool = False
    mine: str | None = None  # a person's name
    high: bool = False


def list_items(ctx: Context, filters: Filters | None = None, today: str | None = None) -> list[Item]:
    """Items, most urgent first: overdue, then by risk, deadline and id."""
    f = filters or Filters()
    day = today or today_of(ctx)
    out = []
    for item in _rows(ctx, f.inspection):
        if f.status and effective_status(item, day) != f.status:
            continue
        if f.risk and item.risk != f.risk:
            continue
        if f.high and item.risk != "high":
            continue
        if f.overdue and not is_overdue(item, day):
            continue
        if f.mine is not None and item.owner_person.strip().casefold() != f.mine.strip().casefold():
            continue
        out.append(item)
    out.sort(key=lambda i: (not is_overdue(i, day), -RISK_RANK[i.risk], i.deadline or "9999", i.id))
    return out


def progress(ctx: Context, inspection_id: str | None = None, today: str | None = None) -> Figures:
    return figures(_rows(ctx, inspection_id), today or today_of(ctx))


# Writing


def _check_role(ctx: Context, action: Action) -> None:
    role = ctx.signer.role
    if not may(role, action):
        raise GradesecError(
            t("remedy.error.role", role=role, action=t(f"remedy.action.{action}")),
            t("remedy.error.role.hint"),
        )


def _evidence_items(
    ctx: Context, item_id: str, paths: Sequence[Path | str]
) -> tuple[list[dict[str, Any]], list[tuple[str, dict[str, Any]]]]:
    refs: list[dict[str, Any]] = []
    events: list[tuple[str, dict[str, Any]]] = []
    for raw in paths:
        path = Path(raw).expanduser()
        if is_missing(path):
            raise NotFoundError(
                t("remedy.error.no_evidence", path=str(raw)), t("remedy.error.no_evidence.hint")
            )
        check_regular(path)
    for raw in paths:
        path = Path(raw).expanduser()
        ref = ctx.store.evidence.put(path)
        media = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
        body = {
            "sha256": ref.sha256,
            "name": path.name,
            "size": ref.size,
            "media_type": media,
            "target": {"kind": "remediation", "id": item_id},
        }
        refs.append({"sha256": ref.sha256, "name": path.name, "size": ref.size})
        events.append(("evidence.attached", body))
    return refs, events


def statuses() -> tuple[str, ...]:
    return STATUSES


def as_json_list(items: Sequence[Item], today: str) -> list[dict[str, Any]]:
    return [i.as_json(today) for i in items]


def dumps(data: Any) -> str:
    return json.dumps(data, ensure_ascii=False, sort_keys=True)
