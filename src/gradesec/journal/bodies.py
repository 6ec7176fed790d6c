"""The typed body of each event kind: which fields it must have and of what type.

``body_problem`` says what is wrong with a body (or None); ``body_fits`` answers the same question faster for
bodies fresh from the JSON decoder (their values are exactly ``dict``, ``list``, ``str``, ``int``, ``float``,
``bool`` or ``None``, never a subclass), from each kind's fields compiled once into type sets. The strict
validator (``gradesec.journal.strict``) calls the one, then the other to name the problem.
"""

from __future__ import annotations

from typing import Any

# Field types: "str" (non-empty text), "text" (text, may be empty), "str?" (text or null), "int", "list",
# "dict", "any" (present).
# Every shipped kind declares the fields its projectors need; a kind without an entry must still have an
# object body. Other modules add theirs with ``declare_body``.
BODIES: dict[str, dict[str, str]] = {
    "store.created": {"store": "str", "public_key": "str"},
    "key.identity": {"key": "str", "public_key": "str", "name": "text", "role": "text"},
    "key.trusted": {"key": "str", "public_key": "str"},
    "checkpoint.recorded": {"store": "str", "heads": "dict", "count": "int"},
    "witness.recorded": {"store": "str", "author": "str", "seq": "int", "hash": "str", "at": "text"},
    "evidence.attached": {
        "sha256": "str",
        "name": "text",
        "size": "int",
        "media_type": "text",
        "target": "dict",
    },
    "unit.created": {"id": "str", "name": "text"},
    "system.created": {"id": "str", "unit": "str", "name": "text", "level": "int"},
    "asset.added": {"id": "str", "system": "str", "kind": "str", "name": "text"},
    "inspection.opened": {
        "id": "str",
        "system": "str",
        "profile": "str",
        "policy": "any",
        "level": "int",
        "items": "list",
        "policies": "list",
        "pins": "any",
        "catalog_sha256": "str",
    },
    "inspection.assets_added": {"inspection": "str", "assets": "list"},
    "inspection.closed": {"inspection": "str"},
    "inspection.reopened": {"inspection": "str"},
    "finding.recorded": {"inspection": "str", "item": "str", "asset": "str", "result": "str"},
    "finding.resolved": {"inspection": "str", "item": "str", "asset": "str", "result": "str"},
    "issue.rated": {"inspection": "str", "item": "str", "asset": "str", "risk": "str"},
    "remediation.planned": {"id": "str"},
    "remediation.updated": {"id": "str", "action": "str"},
    "remediation.retested": {"id": "str", "outcome": "str"},
    "remediation.round": {"inspection": "str"},
    "drill.started": {"drill": "str", "scenario": "any", "scenario_doc": "any", "scenario_sha256": "str"},
    "drill.team_set": {"drill": "str", "team": "any"},
    "drill.inject_released": {"drill": "str", "elapsed_ms": "int", "inject": "str"},
    "drill.expectation_marked": {
        "drill": "str",
        "elapsed_ms": "int",
        "expectation": "str",
        "inject": "str",
        "status": "str",
    },
    "drill.observation": {"drill": "str", "elapsed_ms": "int", "kind": "str", "text": "text"},
    "drill.paused": {"drill": "str"},
    "drill.resumed": {"drill": "str"},
    "drill.closed": {"drill": "str", "elapsed_ms": "int"},
    "drill.improvement_raised": {"drill": "str", "id": "str", "risk": "str", "title": "any"},
}

# Fields that, when present, must have a type (the ids that scope an event to an inspection above all).
OPTIONAL: dict[str, str] = {"inspection": "str?", "reason": "text"}


def declare_body(kind: str, fields: dict[str, str]) -> None:
    """Declare (or extend) the required body fields of ``kind``."""
    BODIES.setdefault(kind, {}).update(fields)
    _COMPILED.clear()


def _typed(value: Any, kind: str) -> bool:
    if kind == "any":
        return True
    if kind == "str?":
        return value is None or isinstance(value, str)
    if kind in ("str", "text"):
        return isinstance(value, str) and (kind == "text" or bool(value))
    if kind == "int":
        return isinstance(value, int) and not isinstance(value, bool)
    if kind == "list":
        return isinstance(value, list)
    if kind == "dict":
        return isinstance(value, dict)
    return False


def body_problem(kind: str, body: Any) -> str | None:
    """What is wrong with ``body`` for ``kind`` (not an object, a declared field missing or mistyped), or None."""
    if not isinstance(body, dict):
        return "the body is not an object"
    for name, want in BODIES.get(kind, {}).items():
        if name not in body:
            return f"{kind}: field {name!r} is missing"
        if not _typed(body[name], want):
            return f"{kind}: field {name!r} is not {want}"
    for name, want in OPTIONAL.items():
        if name in body and name not in BODIES.get(kind, {}) and not _typed(body[name], want):
            return f"{kind}: field {name!r} is not {want}"
    return None


# want -> (the exact types a decoded JSON value may have, whether text must be non-empty); None: any value.
_TYPES: dict[str, tuple[tuple[type, ...] | None, bool]] = {
    "any": (None, False),
    "str?": ((str, type(None)), False),
    "str": ((str,), True),
    "text": ((str,), False),
    "int": ((int,), False),  # type(True) is bool, not int: booleans are refused as _typed refuses them
    "list": ((list,), False),
    "dict": ((dict,), False),
}
_Check = tuple[str, bool, "tuple[type, ...] | None", bool]
_COMPILED: dict[str, tuple[_Check, ...]] = {}


def _compile(kind: str) -> tuple[_Check, ...]:
    declared = BODIES.get(kind, {})
    checks: list[_Check] = []
    for fields, required in (
        (declared, True),
        ({n: w for n, w in OPTIONAL.items() if n not in declared}, False),
    ):
        for name, want in fields.items():
            types, nonempty = _TYPES.get(want, ((), False))  # an unknown type: nothing fits (as in _typed)
            checks.append((name, required, types, nonempty))
    compiled = tuple(checks)
    _COMPILED[kind] = compiled
    return compiled


def body_fits(kind: str, body: Any) -> bool:
    """``body_problem(kind, body) is None`` for a freshly decoded JSON ``body``, without a call per field."""
    if type(body) is not dict:
        return False
    checks = _COMPILED.get(kind)
    if checks is None:
        checks = _compile(kind)
    for name, required, types, nonempty in checks:
        if name in body:
            value = body[name]
            if types is not None and (type(value) not in types or (nonempty and not value)):
                return False
        elif required:
            return False
    return True


__all__ = ["BODIES", "OPTIONAL", "body_fits", "body_problem", "declare_body"]
