"""The shared metadata of the state tables and their DDL for plain ``sqlite3`` connections.

State tables are SQLModel classes on ``SQLModel.metadata`` (so the read side gets typed rows through
``Store.session()``), but the write side is a plain ``sqlite3.Connection``. This module compiles the metadata
into SQLite DDL once per process, and fingerprints it: when the fingerprint stored in a store differs (a module
added a table or a column), the store drops its state tables and rebuilds them by replay — state needs no
migrations of its own, because it is always derivable from the journal.
"""

from __future__ import annotations

import hashlib
import sqlite3
from dataclasses import dataclass
from functools import cache

from sqlalchemy import Table
from sqlalchemy.dialects import sqlite as sqlite_dialect
from sqlalchemy.schema import CreateIndex, CreateTable
from sqlmodel import SQLModel

from gradesec.state.registry import load_all

metadata = SQLModel.metadata


@dataclass(frozen=True)
class StateSchema:
    """Everything the store needs to create and compare the state tables."""

    tables: tuple[str, ...]
    ddl: tuple[str, ...]
    primary_keys: dict[str, tuple[str, ...]]
    fingerprint: str


def _state_tables() -> list[Table]:
    # Journal tables are not SQLModel classes, so every table on the metadata is a state table.
    return list(metadata.sorted_tables)


@cache
def _schema_for(names: frozenset[str]) -> StateSchema:
    dialect = sqlite_dialect.dialect()  # type: ignore[no-untyped-call]
    tables = sorted(_state_tables(), key=lambda t: t.name)
    ddl: list[str] = []
    pks: dict[str, tuple[str, ...]] = {}
    for table in tables:
        ddl.append(str(CreateTable(table).compile(dialect=dialect)).strip())
        for index in sorted(table.indexes, key=lambda i: str(i.name)):
            ddl.append(str(CreateIndex(index).compile(dialect=dialect)).strip())
        pks[table.name] = tuple(c.name for c in table.primary_key.columns)
    digest = hashlib.sha256("\n;\n".join(ddl).encode()).hexdigest()
    return StateSchema(tuple(t.name for t in tables), tuple(ddl), pks, digest)


def state_schema() -> StateSchema:
    """The DDL and fingerprint of every registered state table (imports all state modules first)."""
    load_all()
    return _schema_for(frozenset(t.name for t in _state_tables()))


def create_state_tables(db: sqlite3.Connection) -> StateSchema:
    schema = state_schema()
    for statement in schema.ddl:
        db.execute(statement)
    return schema


def drop_state_tables(db: sqlite3.Connection, names: list[str]) -> None:
    for name in names:
        db.execute(f'DROP TABLE IF EXISTS "{name}"')
