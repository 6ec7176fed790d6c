"""What every assessment use case checks before it writes: text limits, fresh ids, and that the unit, system,
asset, inspection or item it names exists and may be used. Each check raises a ``GradesecError`` so that
nothing is written; reads use their own read-only connection (``read_db``), except inside a store transaction,
where they read through the writing connection and so see what the transaction wrote so far.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING, TypeVar

from gradesec.assess.model import Asset, Inspection, SnapshotItem, System, Unit
from gradesec.errors import GradesecError, NotFoundError, UsageError
from gradesec.i18n import t
from gradesec.state import assess as db_assess

if TYPE_CHECKING:
    import sqlite3

    from gradesec.usecases.context import Context


T = TypeVar("T")

MAX_TEXT = 4000
MAX_NAME = 200


@contextmanager
def read_db(ctx: Context) -> Iterator[sqlite3.Connection]:
    if ctx.store.in_transaction:  # a multi-step action: read what its earlier steps wrote
        yield ctx.store.connection
        return
    with db_assess.reader(ctx.store.db_path) as db:
        yield db


_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def clean_text(value: str | None, field: str, *, required: bool = False, limit: int = MAX_TEXT) -> str:
    text = (value or "").strip()
    bad = _CONTROL.search(text)
    if bad is not None:
        # Control characters cannot be stored in a spreadsheet cell or printed; refuse them at input.
        raise UsageError(
            t("workbook.control_char", field=field, code=f"U+{ord(bad.group()):04X}"),
            t("workbook.control_char.hint"),
        )
    if required and not text:
        raise UsageError(t("assess.error.empty", field=field), t("assess.error.empty.hint", field=field))
    if len(text) > limit:
        raise UsageError(
            t("assess.error.too_long", field=field, limit=limit), t("assess.error.too_long.hint")
        )
    return text


def fresh_id(ctx: Context, prefix: str, table: str, db: sqlite3.Connection | None = None) -> str:
    """A new id not yet in ``table`` (on ``db`` when the caller holds a read connection already)."""
    if db is None:
        with read_db(ctx) as own:
            return fresh_id(ctx, prefix, table, own)
    for _ in range(20):
        candidate = ctx.new_id(prefix)
        if db.execute(f"SELECT 1 FROM {table} WHERE id = ?", (candidate,)).fetchone() is None:
            return candidate
    raise GradesecError(t("assess.error.no_id"), t("assess.error.unexpected.hint"))


def _found(found: T | None, key: str, wanted: str) -> T:
    """``found``, or a ``NotFoundError`` from the message ``key`` (and its hint) naming ``wanted``."""
    if found is None:
        raise NotFoundError(t(key, id=wanted), t(key + ".hint"))
    return found


def need_unit(db: sqlite3.Connection, unit_id: str) -> Unit:
    return _found(db_assess.get_unit(db, unit_id), "assess.error.no_unit", unit_id)


def need_system(db: sqlite3.Connection, system_id: str) -> System:
    return _found(db_assess.get_system(db, system_id), "assess.error.no_system", system_id)


def need_asset(db: sqlite3.Connection, asset_id: str) -> Asset:
    return _found(db_assess.get_asset(db, asset_id), "assess.error.no_asset", asset_id)


def need_inspection(db: sqlite3.Connection, inspection_id: str) -> Inspection:
    return _found(db_assess.get_inspection(db, inspection_id), "assess.error.no_inspection", inspection_id)


def need_open(insp: Inspection) -> None:
    if not insp.is_open:
        raise GradesecError(t("assess.error.closed", id=insp.id), t("assess.error.closed.hint", id=insp.id))


def need_item(insp: Inspection, item_id: str) -> SnapshotItem:
    for item in insp.items:
        if item.id == item_id:
            return item
    raise NotFoundError(
        t("assess.error.no_item", item=item_id, inspection=insp.id, profile=insp.profile_id),
        t("assess.error.no_item.hint", profile=insp.profile_id, level=insp.level),
    )


def need_asset_in(db: sqlite3.Connection, insp: Inspection, asset_id: str) -> Asset:
    asset = need_asset(db, asset_id)
    if asset.system_id != insp.system_id:
        raise GradesecError(
            t("assess.error.wrong_system", asset=asset_id, system=asset.system_id, inspection=insp.id),
            t("assess.error.wrong_system.hint", system=insp.system_id),
        )
    if asset_id not in insp.asset_ids:
        raise GradesecError(
            t("assess.error.not_in_scope", asset=asset_id, inspection=insp.id),
            t("assess.error.not_in_scope.hint", inspection=insp.id, asset=asset_id),
        )
    return asset


def extends_scope(item: SnapshotItem, asset: Asset) -> bool:
    """Whether recording ``item`` on ``asset`` goes beyond the kinds the catalog expects. Applicability is
    advice: such a result is recorded and marked as an extension of scope, never refused."""
    return not item.applies_to(asset.kind)
