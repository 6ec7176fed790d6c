"""What is inspected: units (被测单位), their systems (with the level-determination helper) and assets."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from gradesec.assess.model import Asset, System, Unit
from gradesec.catalog.models import SYSTEM_CONDITIONS
from gradesec.errors import GradesecError, UsageError
from gradesec.i18n import t
from gradesec.state import assess as db_assess
from gradesec.usecases.assess_checks import (
    MAX_NAME,
    clean_text,
    fresh_id,
    need_asset,
    need_system,
    need_unit,
    read_db,
)

if TYPE_CHECKING:
    from gradesec.usecases.context import Context


EXTENSIONS: tuple[str, ...] = ("cloud", "mobile", "iot", "ics", "bigdata")


def _create(ctx: Context, kind: str, prefix: str, table: str, body: dict[str, Any]) -> str:
    """Sign a ``kind`` event creating ``body`` under a fresh id of ``table`` (put first); return the id."""
    signer = ctx.signer  # the key first: without one, fail before the store is read
    new_id = fresh_id(ctx, prefix, table)
    ctx.store.append(signer, kind, {"id": new_id, **body})
    return new_id


def add_unit(ctx: Context, name: str, *, code: str = "", region: str = "", contact: str = "") -> Unit:
    """Record a unit (被测单位) and return it."""
    body = {
        "name": clean_text(name, "name", required=True, limit=MAX_NAME),
        "code": clean_text(code, "code", limit=MAX_NAME),
        "region": clean_text(region, "region", limit=MAX_NAME),
        "contact": clean_text(contact, "contact", limit=MAX_NAME),
    }
    return get_unit(ctx, _create(ctx, "unit.created", "u", "unit", body))


def add_system(
    ctx: Context,
    unit_id: str,
    name: str,
    *,
    level: int | None = None,
    business: str | None = None,
    service: str | None = None,
    extensions: Sequence[str] = (),
    filing_no: str = "",
    description: str = "",
    conditions: Sequence[str] = (),
) -> System:
    """Record a system of a unit. Give ``level``, or ``business`` and ``service`` harms (``society:serious``)
    for the level-determination helper; given both, they must agree. ``conditions`` are the system's attributes
    that gate high-risk cases (``business_continuity``, ``critical_industry``)."""
    grading: dict[str, Any] | None = None
    if business is not None or service is not None:
        if business is None or service is None:
            raise UsageError(t("assess.error.grading_pair"), t("assess.error.level_needed.hint"))
        from gradesec.catalog.grading import grade

        result = grade(business, service)
        grading = {
            "business": f"{result.business.object}:{result.business.degree}",
            "service": f"{result.service.object}:{result.service.degree}",
            "level": result.level,
        }
        if level is not None and level != result.level:
            raise UsageError(
                t("assess.error.level_disagrees", level=level, graded=result.level),
                t("assess.error.level_needed.hint"),
            )
        level = result.level
    if level is None:
        raise UsageError(t("assess.error.level_needed"), t("assess.error.level_needed.hint"))
    if not 1 <= level <= 5:
        raise UsageError(t("assess.error.bad_level", level=level), t("assess.error.level_needed.hint"))
    exts = sorted({e.strip().lower() for e in extensions if e.strip()})
    unknown = [e for e in exts if e not in EXTENSIONS]
    if unknown:
        raise UsageError(
            t("assess.error.bad_extension", ext=", ".join(unknown)),
            t("assess.error.bad_extension.hint", known=", ".join(EXTENSIONS)),
        )
    body: dict[str, Any] = {
        "unit": unit_id,
        "name": clean_text(name, "name", required=True, limit=MAX_NAME),
        "level": level,
        "extensions": exts,
        "filing_no": clean_text(filing_no, "filing_no", limit=MAX_NAME),
        "description": clean_text(description, "description"),
        "grading": grading,
    }
    conds = _conditions(conditions)
    if conds:  # optional field: a system without conditions is written as before
        body["conditions"] = conds
    with read_db(ctx) as db:
        need_unit(db, unit_id)
    return get_system(ctx, _create(ctx, "system.created", "s", "system", body))


def _conditions(conditions: Sequence[str]) -> list[str]:
    wanted = sorted({c.strip().lower().replace("-", "_") for c in conditions if c.strip()})
    unknown = [c for c in wanted if c not in SYSTEM_CONDITIONS]
    if unknown:
        raise UsageError(
            t("system.error.bad_condition", condition=", ".join(unknown)),
            t("system.error.bad_condition.hint", known=", ".join(SYSTEM_CONDITIONS)),
        )
    return wanted


def set_system_conditions(ctx: Context, system_id: str, conditions: Sequence[str]) -> System:
    """Replace the conditions of a system (a signed ``system.conditions_set``). High-risk suggestions follow
    the new conditions at once; ratings already recorded keep the suggestion they were made against."""
    conds = _conditions(conditions)
    with read_db(ctx) as db:
        system = need_system(db, system_id)
    if list(system.conditions) == conds:
        raise GradesecError(
            t("system.error.conditions_unchanged", system=system_id),
            t("system.error.conditions_unchanged.hint"),
        )
    ctx.store.append(ctx.signer, "system.conditions_set", {"system": system_id, "conditions": conds})
    return get_system(ctx, system_id)


def add_asset(
    ctx: Context,
    system_id: str,
    kind: str,
    name: str,
    *,
    address: str = "",
    role: str = "",
    importance: str = "",
    notes: str = "",
    version: str = "",
) -> Asset:
    """Record an asset of a system; ``kind`` is one of the catalog's object kinds; ``importance`` is key,
    important or general (关键 / 重要 / 一般; default general)."""
    from gradesec.usecases.judgements import check_importance

    kinds = ctx.catalog.object_kinds
    if kind not in kinds:
        raise UsageError(
            t("assess.error.bad_kind", kind=kind), t("assess.error.bad_kind.hint", kinds=", ".join(kinds))
        )
    body = {
        "system": system_id,
        "kind": kind,
        "name": clean_text(name, "name", required=True, limit=MAX_NAME),
        "address": clean_text(address, "address", limit=MAX_NAME),
        "role": clean_text(role, "role", limit=MAX_NAME),
        "importance": check_importance(importance),
        "notes": clean_text(notes, "notes"),
    }
    if version.strip():
        body["version"] = clean_text(version, "version", limit=MAX_NAME)
    with read_db(ctx) as db:
        need_system(db, system_id)
    return get_asset(ctx, _create(ctx, "asset.added", "a", "asset", body))


IMPORTANCE: tuple[str, ...] = ("关键", "重要", "一般")


def add_assets(
    ctx: Context, system_id: str, specs: Sequence[tuple[str, str]] | Sequence[dict[str, str]]
) -> list[Asset]:
    """Record several assets of a system in one signed transaction: all of them or none.

    Each spec is ``(kind, name)`` or a mapping with ``kind``, ``name`` and optionally ``address``, ``role``
    (version), ``importance`` (关键 / 重要 / 一般) and ``notes``. Every spec is checked before anything is written.
    """
    kinds = ctx.catalog.object_kinds
    bodies: list[dict[str, Any]] = []
    for n, raw in enumerate(specs, start=1):
        if isinstance(raw, dict):
            spec: dict[str, str] = dict(raw)
        else:
            kind_name = tuple(raw)
            spec = {"kind": str(kind_name[0]), "name": str(kind_name[1])}
        where = t("assess.error.at_row", row=n) if len(specs) > 1 else ""
        kind = spec.get("kind", "")
        if kind not in kinds:
            raise UsageError(
                where + t("assess.error.bad_kind", kind=kind),
                t("assess.error.bad_kind.hint", kinds=", ".join(kinds)),
            )
        importance = (spec.get("importance") or "").strip()
        if importance and importance not in IMPORTANCE:
            raise UsageError(
                where + t("workbook.asset.bad_importance", value=importance),
                t("workbook.asset.bad_importance.hint"),
            )
        bodies.append(
            {
                "system": system_id,
                "kind": kind,
                "name": clean_text(spec.get("name"), "name", required=True, limit=MAX_NAME),
                "address": clean_text(spec.get("address"), "address", limit=MAX_NAME),
                "role": clean_text(spec.get("role"), "role", limit=MAX_NAME),
                "importance": importance,
                "notes": clean_text(spec.get("notes"), "notes"),
            }
        )
    if not bodies:
        return []
    signer = ctx.signer
    with read_db(ctx) as db:
        need_system(db, system_id)
        ids: list[str] = []
        for _ in bodies:
            new_id = fresh_id(ctx, "a", "asset", db)
            while new_id in ids:
                new_id = fresh_id(ctx, "a", "asset", db)
            ids.append(new_id)
    ctx.store.append_many(signer, [("asset.added", {"id": i, **b}) for i, b in zip(ids, bodies, strict=True)])
    with read_db(ctx) as db:  # one connection for all of them (a bulk import makes dozens)
        return [need_asset(db, i) for i in ids]


def get_unit(ctx: Context, unit_id: str) -> Unit:
    with read_db(ctx) as db:
        return need_unit(db, unit_id)


def get_system(ctx: Context, system_id: str) -> System:
    with read_db(ctx) as db:
        return need_system(db, system_id)


def get_asset(ctx: Context, asset_id: str) -> Asset:
    with read_db(ctx) as db:
        return need_asset(db, asset_id)


def list_units(ctx: Context) -> list[Unit]:
    with read_db(ctx) as db:
        return db_assess.list_units(db)


def list_systems(ctx: Context, unit_id: str | None = None) -> list[System]:
    with read_db(ctx) as db:
        return db_assess.list_systems(db, unit_id)


def list_assets(ctx: Context, system_id: str | None = None) -> list[Asset]:
    with read_db(ctx) as db:
        return db_assess.list_assets(db, system_id)
