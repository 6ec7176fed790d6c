"""Connecting to the hub's PostgreSQL and the office's trust registrations."""

from __future__ import annotations

import os
from typing import Any

import psycopg

from gradesec.errors import GradesecError, UsageError
from gradesec.hub.schema import LATEST, current_version
from gradesec.i18n import t
from gradesec.journal.keys import PublicKey

ENV = "GRADESEC_HUB"


def hub_url(given: str | None) -> str:
    url = given or os.environ.get(ENV, "")
    if not url.startswith(("postgresql://", "postgres://")):
        raise UsageError(t("hub.error.no_db"), t("hub.error.no_db.hint"))
    return url


def connect(url: str) -> Any:
    try:
        return psycopg.connect(url, autocommit=True)
    except psycopg.Error as exc:
        detail = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        raise GradesecError(t("hub.error.connect", detail=detail), t("hub.error.connect.hint")) from None


def need_schema(conn: Any) -> None:
    version = current_version(conn)
    if version != LATEST:
        raise GradesecError(t("hub.error.schema", have=version, want=LATEST), t("hub.error.schema.hint"))


def register(conn: Any, key: PublicKey, *, unit: str | None, body: str | None) -> None:
    """Register ``key`` for one unit or one inspection body (a new registration replaces the old one)."""
    if (unit is None) == (body is None) or not (unit or body or "").strip():
        raise UsageError(t("hub.error.trust_scope"), t("hub.error.trust_scope.hint"))
    with conn.transaction():
        conn.execute(
            "INSERT INTO trust (key_id, public_key, name, role, org, unit_id, body)"
            " VALUES (%s, %s, %s, %s, %s, %s, %s) ON CONFLICT (key_id) DO UPDATE SET unit_id = excluded.unit_id,"
            " body = excluded.body, name = excluded.name, role = excluded.role, org = excluded.org",
            (
                key.key_id,
                key.public_bytes,
                key.identity.name,
                key.identity.role,
                key.identity.org,
                unit,
                body,
            ),
        )
