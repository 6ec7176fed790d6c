"""Scoring methods, their parameters and defaults, and the checks a policy's parameters must pass.

``check_params(method, params)`` and ``check_policy(policy)`` list problems (unknown names, wrong types or
values); ``effective_params`` merges a pinned policy's parameters over the method's defaults.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Protocol

from gradesec.assess.model import PolicySnapshot
from gradesec.errors import CatalogError
from gradesec.i18n import t

METHODS: tuple[str, ...] = ("mlps-2019", "mlps-2021", "mlps-2025", "share-met")

# Parameter kinds: a number, a flag, one of some words, a number or "auto", or a mapping of named numbers.
NUMBER, FLAG = "number", "flag"
_CLASSES = "map:key,important,general"
SPECS: dict[str, dict[str, tuple[str, Any]]] = {
    "mlps-2019": {"threshold": (NUMBER, 70.0), "score_extensions": (FLAG, False)},
    "mlps-2021": {
        "y": ("fraction", 0.5),
        "base": ("number|auto", "auto"),
        "multipliers": (_CLASSES, {"key": 3.0, "important": 2.0, "general": 1.0}),
        "weight_classes": (_CLASSES, {"key": 1.0, "important": 0.7, "general": 0.4}),
        "object_weights": (_CLASSES, {"key": 3.0, "important": 2.0, "general": 1.0}),
        "thresholds": ("map:excellent,good,fair", {"excellent": 90.0, "good": 80.0, "fair": 70.0}),
        "floor": (NUMBER, 0.0),
        "use_corrections": (FLAG, True),
    },
    "mlps-2025": {
        "good": (NUMBER, 90.0),
        "fair": (NUMBER, 60.0),
        "good_inclusive": (FLAG, False),
        "fair_inclusive": (FLAG, True),
        "basis": ("choice:items,results", "items"),
        "partial_credit": ("fraction", 0.0),
        "high_is_major": (FLAG, False),
        "use_corrections": (FLAG, True),
    },
    "share-met": {"threshold": (NUMBER, 80.0), "high_fails": (FLAG, False)},
}
DEFAULTS: dict[str, dict[str, Any]] = {m: {k: v[1] for k, v in spec.items()} for m, spec in SPECS.items()}


class PolicyLike(Protocol):
    """Anything with a scoring method and parameters: a catalog ``Policy`` or a pinned ``PolicySnapshot``."""

    @property
    def method(self) -> str: ...

    @property
    def params(self) -> Mapping[str, Any]: ...


def is_number(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


def _valid(kind: str, value: Any) -> bool:
    if kind == NUMBER:
        return is_number(value)
    if kind == "fraction":
        return is_number(value) and 0.0 <= float(value) <= 1.0
    if kind == FLAG:
        return isinstance(value, bool)
    if kind.startswith("choice:"):
        return isinstance(value, str) and value in kind[7:].split(",")
    if kind.startswith("map:"):
        names = set(kind[4:].split(","))
        return (
            isinstance(value, dict)
            and set(value) <= names
            and all(is_number(v) and float(v) >= 0.0 for v in value.values())
        )
    # number|auto: the base score S, computed as 100 / n, or a fixed positive number
    return value == "auto" or (is_number(value) and float(value) > 0.0)


def check_params(method: str, params: Mapping[str, Any]) -> list[str]:
    """Problems with a policy's parameters (unknown names, wrong types); empty when they are usable."""
    spec = SPECS.get(method)
    if spec is None:
        return [t("assess.policy.unknown_method", method=method, methods=", ".join(METHODS))]
    problems: list[str] = []
    for name, value in params.items():
        if name not in spec:
            problems.append(
                t("assess.policy.unknown_param", name=name, method=method, known=", ".join(sorted(spec)))
            )
        elif not _valid(spec[name][0], value):
            problems.append(t("assess.policy.bad_param", name=name, value=repr(value), method=method))
    return problems


def check_policy(policy: PolicyLike) -> list[str]:
    """``check_params`` over one policy (catalog or pinned): what ``catalog lint`` reports per policy file."""
    return check_params(policy.method, dict(policy.params))


def effective_params(policy: PolicySnapshot) -> dict[str, Any]:
    """The policy's parameters over the method's defaults (raises ``CatalogError`` when they are unusable).

    Mappings merge key by key, so a policy may override one threshold and keep the others.
    """
    problems = check_params(policy.method, policy.params)
    if problems:
        raise CatalogError(
            t("assess.policy.invalid", id=policy.id), t("assess.policy.invalid.hint"), problems=problems
        )
    merged: dict[str, Any] = {}
    for name, (kind, default) in SPECS[policy.method].items():
        value = policy.params.get(name, default)
        if kind.startswith("map:"):
            merged[name] = {k: float(v) for k, v in {**default, **value}.items()}
        elif kind in (NUMBER, "fraction") or is_number(value):
            merged[name] = float(value)
        else:
            merged[name] = value
    return merged
