"""Catalog document kinds (the model and the cross-reference checker of each), where a document came from, and a
problem found in it. Split from ``loader.py``, which re-exports every name."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from pydantic import BaseModel

from gradesec.catalog.models import (
    Checklist,
    HighRiskCatalog,
    ObjectKinds,
    Policy,
    Profile,
)
from gradesec.catalog.yamlsource import Path_, Source

if TYPE_CHECKING:
    from gradesec.catalog.resolved import Catalog


@dataclass(frozen=True)
class Problem:
    file: Path
    line: int
    message: str

    def __str__(self) -> str:
        return f"{self.file}:{self.line}: {self.message}"


Checker = Callable[["Catalog", Any, "Origin"], list[tuple[Path_, str]]]


@dataclass(frozen=True)
class KindSpec:
    """How to load one ``kind`` of document: its model and an optional cross-reference checker."""

    model: type[BaseModel]
    checker: Checker | None = None


KINDS: dict[str, KindSpec] = {
    "checklist": KindSpec(Checklist),
    "profile": KindSpec(Profile),
    "policy": KindSpec(Policy),
    "high_risk": KindSpec(HighRiskCatalog),
    "object_kinds": KindSpec(ObjectKinds),
}


def register_kind(kind: str, model: type[BaseModel], checker: Checker | None = None) -> None:
    """Add a document kind (scenarios and report templates register themselves this way)."""
    KINDS[kind] = KindSpec(model, checker)


def _register_plugins() -> None:
    # Kinds that live with their own feature; importing them registers them.
    import importlib

    for name in (
        "gradesec.catalog.scenario",
        "gradesec.catalog.template",
        "gradesec.catalog.major_risk",
        "gradesec.catalog.threats",
        "gradesec.catalog.remediation",
        "gradesec.catalog.wording",
    ):
        try:
            importlib.import_module(name)
        except ModuleNotFoundError as exc:
            if exc.name != name:
                raise


@dataclass(frozen=True)
class Origin:
    """Where a document came from."""

    source: Source
    layer: int
    root: Path

    @property
    def rel(self) -> str:
        try:
            return self.source.path.relative_to(self.root.parent).as_posix()
        except ValueError:
            return self.source.path.name
