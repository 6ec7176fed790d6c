"""Load and validate the catalog: every file strictly, then every reference across files.

Folders are read in layers: the shipped data first, then each extra folder the user names. A document in a
later layer with the same kind and id as one in an earlier layer replaces it (that is how a user customises a
shipped checklist: copy, edit, point gradesec at the copy). The same id twice within one layer is an error.

Problems are collected, never raised one by one, so ``gradesec catalog lint`` can list all of them as
``file:line: what is wrong``.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ValidationError

from gradesec import paths
from gradesec.catalog.checks import _at, _check_references, check_policies, iter_problem_lines
from gradesec.catalog.kinds import KINDS, Checker, KindSpec, Origin, Problem, _register_plugins, register_kind
from gradesec.catalog.models import (
    Checklist,
    HighRiskCatalog,
    ObjectKinds,
    Policy,
    Profile,
)
from gradesec.catalog.resolved import Catalog, ResolvedItem
from gradesec.catalog.yamlsource import Path_, read_source
from gradesec.errors import CatalogError
from gradesec.i18n import t

# The loader was split by responsibility (kinds.py, resolved.py, checks.py); every name stays importable here.
__all__ = [
    "KINDS",
    "Catalog",
    "Checker",
    "KindSpec",
    "Origin",
    "Problem",
    "ResolvedItem",
    "check_policies",
    "default_roots",
    "iter_problem_lines",
    "lint",
    "load_catalog",
    "register_kind",
]


def _catalog_files(root: Path) -> list[Path]:
    if root.is_file():
        return [root]
    return sorted(p for p in root.rglob("*") if p.suffix in (".yaml", ".yml") and p.is_file())


def default_roots(extra_dirs: Sequence[Path] = ()) -> list[list[Path]]:
    """Layers of folders: the shipped data first, then the user's configured and extra folders."""
    from gradesec.config import load_config

    layers = [paths.shipped_catalog_roots()]
    for extra in [*load_config().catalog_dirs, *extra_dirs]:
        layers.append([Path(extra).expanduser()])
    return layers


def lint(layers: Sequence[Sequence[Path]]) -> tuple[Catalog, list[Problem]]:
    """Read every file of every layer; return the catalog and every problem found."""
    _register_plugins()
    problems: list[Problem] = []
    docs: dict[tuple[str, str], tuple[BaseModel, Origin]] = {}
    broken: set[tuple[str, str]] = set()
    for layer_no, roots in enumerate(layers):
        seen_in_layer: dict[tuple[str, str], Origin] = {}
        for root in roots:
            if not root.exists():
                problems.append(Problem(root, 1, t("lint.no_such_path")))
                continue
            for file in _catalog_files(root):
                origin = Origin(read_source(file), layer_no, root if root.is_dir() else root.parent)
                doc = _validate_document(origin, problems)
                if doc is None:
                    broken.add(_raw_identity(origin.source.data))
                    continue
                key = (doc[0], doc[1])
                if key in seen_in_layer:
                    first = seen_in_layer[key]
                    problems.append(
                        Problem(
                            file, 1, t("lint.duplicate_doc", kind=key[0], id=key[1], other=first.source.path)
                        )
                    )
                    continue
                seen_in_layer[key] = origin
                docs[key] = (doc[2], origin)
    catalog = _index(docs, problems)
    catalog.broken = broken
    _check_references(catalog, problems)
    return catalog, problems


def load_catalog(extra_dirs: Sequence[Path] = (), layers: Sequence[Sequence[Path]] | None = None) -> Catalog:
    """Load the catalog or raise ``CatalogError`` listing every problem."""
    catalog, problems = lint(layers if layers is not None else default_roots(extra_dirs))
    if problems:
        raise CatalogError(
            t("catalog.invalid", n=len(problems)), t("catalog.invalid.hint"), [str(p) for p in problems]
        )
    return catalog


def _validate_document(origin: Origin, problems: list[Problem]) -> tuple[str, str, BaseModel] | None:
    src = origin.source
    for sp in src.problems:
        problems.append(Problem(src.path, sp.line, t(sp.message_key, None, **sp.fields)))
    if src.problems and src.data is None:
        return None
    data = src.data
    if data is None:
        problems.append(Problem(src.path, 1, t("lint.empty_file")))
        return None
    if not isinstance(data, dict):
        problems.append(Problem(src.path, 1, t("lint.not_mapping")))
        return None
    kind = data.get("kind")
    spec = KINDS.get(kind) if isinstance(kind, str) else None
    if spec is None:
        problems.append(
            Problem(
                src.path, src.line_of(("kind",)), t("lint.unknown_kind", kind=kind, kinds=", ".join(KINDS))
            )
        )
        return None
    try:
        model = spec.model.model_validate(data)
    except ValidationError as exc:
        for err in exc.errors():
            loc = tuple(err["loc"])
            problems.append(Problem(src.path, src.line_of(loc), _describe(err, loc)))
        return None
    doc_id = str(getattr(model, "id", kind))
    return str(kind), doc_id, model


def _raw_identity(data: Any) -> tuple[str, str]:
    """(kind, id) of a document that failed validation, as far as it can be read."""
    if isinstance(data, dict):
        return str(data.get("kind", "?")), str(data.get("id", data.get("kind", "?")))
    return "?", "?"


def _where(loc: Path_) -> str:
    out = ""
    for part in loc:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out


def _describe(err: Any, loc: Path_) -> str:
    """A pydantic error in the user's words."""
    kind = err["type"]
    where = _where(loc)
    last = loc[-1] if loc else ""
    if kind == "missing":
        if last in ("zh", "en"):
            return t("lint.missing_translation", language=last, where=_where(loc[:-1]))
        return t("lint.missing_key", key=last, where=_where(loc[:-1]) or "/")
    if kind == "extra_forbidden":
        return t("lint.unknown_key", key=last, where=_where(loc[:-1]) or "/")
    if kind == "string_too_short" and last in ("zh", "en"):
        return t("lint.missing_translation", language=last, where=_where(loc[:-1]))
    if kind in ("greater_than", "less_than_equal", "greater_than_equal", "less_than") and "weight" in loc:
        return t("lint.bad_weight", where=where, value=err.get("input"))
    if kind in ("greater_than_equal", "less_than_equal") and ("level" in loc or "levels" in loc):
        return t("lint.bad_level", where=where, value=err.get("input"))
    if kind == "too_short":
        return t("lint.empty_list", where=where)
    if kind == "value_error":
        msg = str(err.get("msg", "")).removeprefix("Value error, ")
        return t("lint.invalid", where=where or "/", detail=msg)
    return t(
        "lint.wrong_value", where=where or "/", detail=err.get("msg", kind), value=repr(err.get("input"))[:60]
    )


def _index(docs: dict[tuple[str, str], tuple[BaseModel, Origin]], problems: list[Problem]) -> Catalog:
    cat = Catalog()
    for (kind, doc_id), (model, origin) in docs.items():
        cat.origins[(kind, doc_id)] = origin
        cat.files[origin.rel] = origin.source.sha256
        if isinstance(model, Checklist):
            cat.checklists[doc_id] = model
        elif isinstance(model, Profile):
            cat.profiles[doc_id] = model
        elif isinstance(model, Policy):
            cat.policies[doc_id] = model
        elif isinstance(model, HighRiskCatalog):
            cat.high_risk[doc_id] = model
        elif isinstance(model, ObjectKinds):
            for i, ok in enumerate(model.kinds):
                if ok.id in cat.object_kinds:
                    problems.append(
                        _at(origin, ("kinds", i, "id"), t("lint.duplicate_id", what="object kind", id=ok.id))
                    )
                cat.object_kinds[ok.id] = ok
        else:
            cat.extras.setdefault(kind, {})[doc_id] = model

    for checklist in cat.checklists.values():
        origin = cat.origins[("checklist", checklist.id)]
        for ci, category in enumerate(checklist.categories):
            if category.code in cat.categories:
                problems.append(
                    _at(
                        origin,
                        ("categories", ci, "code"),
                        t("lint.duplicate_id", what="category", id=category.code),
                    )
                )
            cat.categories[category.code] = category
        for k, control in enumerate(checklist.controls):
            if control.id in cat.controls or control.id in cat.items:
                problems.append(
                    _at(origin, ("controls", k, "id"), t("lint.duplicate_id", what="control", id=control.id))
                )
            cat.controls[control.id] = (checklist.id, control)
            for i, item in enumerate(control.items):
                if item.id in cat.items or item.id in cat.controls:
                    problems.append(
                        _at(
                            origin,
                            ("controls", k, "items", i, "id"),
                            t("lint.duplicate_id", what="item", id=item.id),
                        )
                    )
                cat.items[item.id] = (checklist.id, control, item)

    for hr in cat.high_risk.values():
        origin = cat.origins[("high_risk", hr.id)]
        for i, case in enumerate(hr.cases):
            if case.id in cat.cases:
                problems.append(
                    _at(origin, ("cases", i, "id"), t("lint.duplicate_id", what="high-risk case", id=case.id))
                )
            cat.cases[case.id] = case
    return cat
