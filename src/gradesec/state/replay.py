"""Replay: state rebuilt from the journal alone, by applying every event in journal order."""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Iterable

from gradesec.journal.events import Event
from gradesec.state import registry
from gradesec.state.base import StateSchema, create_state_tables, drop_state_tables, state_schema

BATCH = 2000


def iter_events(db: sqlite3.Connection, since_id: int = 0) -> Iterable[Event]:
    """Every event of the journal in order (decoded from the stored bytes)."""
    from gradesec.journal.strict import EventRejected, check_envelope

    cur = db.execute("SELECT id, hash, sig, raw FROM events WHERE id > ? ORDER BY id", (since_id,))
    while rows := cur.fetchmany(BATCH):
        for rowid, h, sig, raw in rows:
            try:
                yield check_envelope(bytes(raw), bytes(h).hex(), bytes(sig), rowid)
            except EventRejected:
                continue  # not an event: verify names it; the state is what the valid events make


def apply_all(
    db: sqlite3.Connection, events: Iterable[Event], progress: Callable[[int], None] | None = None
) -> int:
    from gradesec.journal.authority import authority_problem

    n = 0
    roles: dict[str, str] = {}
    for event in events:
        # What append and import refuse never reached the state: a replay leaves it out too (verify names it).
        if authority_problem(db, event, roles) is None:
            registry.apply(db, event)
        n += 1
        if progress is not None and n % BATCH == 0:
            progress(BATCH)
    if progress is not None and n % BATCH:
        progress(n % BATCH)
    return n


def rebuild(
    db: sqlite3.Connection, old_tables: list[str], progress: Callable[[int], None] | None = None
) -> StateSchema:
    """Drop the state tables and build them again from the journal (inside the caller's transaction)."""
    schema = state_schema()
    drop_state_tables(db, sorted(set(old_tables) | set(schema.tables)))
    create_state_tables(db)
    apply_all(db, iter_events(db), progress)
    return schema


def fresh_replay(
    journal: sqlite3.Connection, progress: Callable[[int], None] | None = None
) -> sqlite3.Connection:
    """An in-memory database holding the state that a replay of ``journal`` produces."""
    mem = sqlite3.connect(":memory:", isolation_level=None)
    mem.execute("BEGIN")
    create_state_tables(mem)
    apply_all(mem, iter_events(journal), progress)
    mem.execute("COMMIT")
    return mem


def state_differences(
    replayed: sqlite3.Connection, live_db: str, schema: StateSchema, limit: int = 50
) -> list[tuple[str, str, tuple[object, ...]]]:
    """Rows where the live state (the file ``live_db``) and ``replayed`` differ.

    Returns ``(table, change, primary key)`` with change ``"changed"``, ``"added"`` (in the live state, not in
    the replay), ``"deleted"`` (in the replay, not in the live state) or ``"missing_table"``. SQLite compares
    the rows itself (``EXCEPT`` over an attachment), so this costs a scan of each table, not Python per row.
    """
    out: list[tuple[str, str, tuple[object, ...]]] = []
    replayed.execute("ATTACH DATABASE ? AS live", (live_db,))
    try:
        for table in schema.tables:
            cols = [str(r[1]) for r in replayed.execute(f'PRAGMA main.table_info("{table}")')]
            col_list = ", ".join(f'"{c}"' for c in cols)
            pk_index = [cols.index(c) for c in schema.primary_keys[table]]
            try:
                only_live = replayed.execute(
                    f'SELECT {col_list} FROM live."{table}" EXCEPT SELECT {col_list} FROM main."{table}"'
                ).fetchall()
                only_replay = replayed.execute(
                    f'SELECT {col_list} FROM main."{table}" EXCEPT SELECT {col_list} FROM live."{table}"'
                ).fetchall()
            except sqlite3.OperationalError:
                out.append((table, "missing_table", ()))
                continue
            live_keys = {tuple(r[i] for i in pk_index) for r in only_live}
            replay_keys = {tuple(r[i] for i in pk_index) for r in only_replay}
            for key in sorted(live_keys | replay_keys, key=repr):
                if key in live_keys and key in replay_keys:
                    change = "changed"
                else:
                    change = "added" if key in live_keys else "deleted"
                out.append((table, change, key))
                if len(out) >= limit:
                    return out
    finally:
        replayed.execute("DETACH DATABASE live")
    return out
