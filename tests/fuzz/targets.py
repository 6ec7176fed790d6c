"""The fuzz targets: for each parser the command line reaches, a strategy of hostile inputs and how to feed one
in. ``tests/fuzz/test_targets.py`` runs each a few times; ``bench/fuzz.py`` runs them for as long as wanted."""

from __future__ import annotations

import gzip
import json
import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

from hypothesis import strategies as st

from gradesec.errors import GradesecError
from gradesec.exchange.sealed import AGE_MAGIC
from gradesec.journal import keys
from gradesec.journal.events import canonical
from gradesec.state import registry
from tests.fuzz.strategies import (
    JSON,
    hostile_workbook,
    malformed_body,
    malformed_envelope,
    mutated,
    raw_variants,
)
from tests.fuzz.world import (
    Crash,
    World,
    bundle_with_event,
    check,
    fresh_copy,
    gs,
    import_bundle,
    next_envelope,
    store_digest,
)

Target = tuple[Callable[[World], st.SearchStrategy[Any]], Callable[[World, Any], None]]


def _bundle(world: World, data: bytes) -> None:
    import_bundle(world, data)


def _bodies(world: World) -> st.SearchStrategy[bytes]:
    bodies = [(e["kind"], e["body"]) for e in world.events if isinstance(e.get("body"), dict)]
    return malformed_body(bodies, sorted(registry.kinds())).map(
        lambda kb: bundle_with_event(world, next_envelope(world, kb[0], kb[1]))
    )


def _envelopes(world: World) -> st.SearchStrategy[tuple[bytes, bool]]:
    good = next_envelope(world, "finding.recorded", dict(world.events[-1]["body"]))

    def encode(env: dict[str, Any]) -> bytes:
        try:
            raw = canonical(env)
        except GradesecError:  # a value JSON cannot carry exactly: sign its repr's bytes instead
            raw = repr(env).encode()
        return bundle_with_event(world, None, raw=raw)

    return st.tuples(malformed_envelope(good).map(encode), st.booleans())


def _envelope_run(world: World, data: tuple[bytes, bool]) -> None:
    import_bundle(world, data[0], verify_only=data[1])


def _raw(world: World) -> st.SearchStrategy[bytes]:
    good = canonical(next_envelope(world, "finding.recorded", dict(world.events[-1]["body"])))
    return raw_variants(good).map(lambda raw: bundle_with_event(world, None, raw=raw))


def _in_copy(world: World, name: str, data: bytes, *args: str) -> None:
    """Write ``data`` to ``name`` beside a copy of the inspector's store and run ``gradesec *args FILE``."""
    store = fresh_copy(world.ins_store)
    try:
        path = store.parent / name
        path.write_bytes(data)
        before = store_digest(store)
        code, _out, err = gs(
            *[a.replace("{file}", str(path)) for a in args], config=world.ins_cfg, store=store
        )
        check(code, err, store, before)
    finally:
        shutil.rmtree(store.parent, ignore_errors=True)


FIELDS = ("item", "asset", "result", "note", "method", "reason", "evidence")


def _rows(world: World) -> st.SearchStrategy[Any]:
    value = (
        st.sampled_from([*world.items, world.asset, "compliant", "partial", "na", "examine", "shot.png"])
        | JSON
    )
    row = st.dictionaries(st.sampled_from(FIELDS) | st.text(max_size=6), value, max_size=8)
    return st.lists(row, max_size=4) | JSON


def _record_json(world: World, rows: Any) -> None:
    data = json.dumps(rows, ensure_ascii=False).encode()
    _in_copy(world, "rows.json", data, "finding", "record-many", "-i", world.inspection, "{file}")


def _csv(world: World) -> st.SearchStrategy[bytes]:
    header = st.sampled_from(
        ["item,asset,result,note,method,reason,evidence", "item,asset,result", "", "a,b"]
    )
    cell = st.sampled_from(
        [*world.items, world.asset, "partial", "x" * 300 + ".png", "../x", '"', ";"]
    ) | st.text(max_size=12)
    line = st.lists(cell, max_size=8).map(",".join)
    text = st.tuples(header, st.lists(line, max_size=5)).map(lambda hl: "\n".join([hl[0], *hl[1]]))
    return text.map(lambda s: s.encode("utf-8", "surrogatepass")) | st.binary(max_size=256)


def _record_csv(world: World, data: bytes) -> None:
    _in_copy(world, "rows.csv", data, "finding", "record-many", "-i", world.inspection, "{file}")


def _xlsx(world: World, data: bytes) -> None:
    _in_copy(world, "book.xlsx", data, "finding", "import", "{file}", "-i", world.inspection)


def _key_file(world: World) -> st.SearchStrategy[bytes]:
    good = keys.export_public(world.inspector)

    @st.composite
    def variant(draw: st.DrawFn) -> bytes:
        doc: Any = dict(good)
        how = draw(st.sampled_from(["field", "drop", "bytes", "whole"]))
        if how == "field":
            doc[draw(st.sampled_from(sorted(good)))] = draw(JSON)
        elif how == "drop":
            doc.pop(draw(st.sampled_from(sorted(good))))
        elif how == "whole":
            doc = draw(JSON)
        text = json.dumps(doc, ensure_ascii=False).encode()
        return draw(mutated(text, head=len(text))) if how == "bytes" else text

    return variant()


def _key_trust(world: World, data: bytes) -> None:
    store = fresh_copy(world.off_store)
    try:
        path = store.parent / "someone.pub.json"
        path.write_bytes(data)
        before = store_digest(store)
        code, _out, err = gs("key", "trust", path, config=world.off_cfg, store=store)
        check(code, err, store, before)
    finally:
        shutil.rmtree(store.parent, ignore_errors=True)


def _yaml(world: World) -> st.SearchStrategy[tuple[str, bytes]]:
    root = Path(__file__).resolve().parents[2]
    sources = [
        root / "scenarios" / "portal-defacement.yaml",
        root / "profiles" / "mlps-l2.yaml",
        root / "checklists" / "mlps-2019" / "pss.yaml",
    ]
    texts = [(p.name, p.read_bytes()) for p in sources if p.is_file()]

    @st.composite
    def variant(draw: st.DrawFn) -> tuple[str, bytes]:
        name, text = draw(st.sampled_from(texts))
        how = draw(st.sampled_from(["bytes", "date", "json"]))
        if how == "date":
            lines = text.splitlines()
            at = draw(st.integers(0, len(lines) - 1))
            lines.insert(
                at,
                draw(
                    st.sampled_from(
                        [b"date: 2026-13-45", b"  at: 2026-02-30", b"x: !!binary ===", b"- *nope"]
                    )
                ),
            )
            return name, b"\n".join(lines)
        if how == "json":
            return name, json.dumps(draw(JSON)).encode()
        return name, draw(mutated(text, head=len(text)))

    return variant()


def _lint(world: World, data: tuple[str, bytes]) -> None:
    import tempfile

    from gradesec.catalog.loader import lint

    folder = Path(tempfile.mkdtemp(prefix="gsfuzz-yaml-"))
    try:
        path = folder / data[0]
        path.write_bytes(data[1])
        try:
            lint([[path]])
        except GradesecError:
            pass
        except Exception as exc:
            raise Crash(f"{type(exc).__name__}: {exc}") from None
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def _sealed(world: World) -> st.SearchStrategy[bytes]:
    return st.binary(max_size=1024).map(lambda b: AGE_MAGIC + b) | mutated(
        world.sealed, head=len(world.sealed)
    )


TARGETS: dict[str, Target] = {
    "bundle_bytes": (lambda w: mutated(w.bundle), _bundle),
    "bundle_gzip": (lambda w: mutated(gzip.compress(w.bundle), head=1 << 20), _bundle),
    "bundle_trailing": (lambda w: st.binary(min_size=1, max_size=4096).map(lambda b: w.bundle + b), _bundle),
    "bundle_bodies": (_bodies, _bundle),
    "bundle_envelope": (_envelopes, _envelope_run),
    "bundle_raw": (_raw, _bundle),
    "bundle_sealed": (_sealed, _bundle),
    "record_many_json": (_rows, _record_json),
    "record_many_csv": (_csv, _record_csv),
    "xlsx_import": (lambda w: hostile_workbook(w.workbook), _xlsx),
    "key_trust": (_key_file, _key_trust),
    "catalog_yaml": (_yaml, _lint),
}
