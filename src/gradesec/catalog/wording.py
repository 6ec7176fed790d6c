"""The ``wording`` document kind: the official sentences of the standard, from a file the user holds.

gradesec ships its own wording of every item. A user who holds the standard's text (in a record workbook, or a
plain list) can import it with ``gradesec catalog wording import``; the result is a ``wording`` document in the
user's own catalog folder, mapping item ids to sentences at one level. Nothing of it ships with gradesec.
Where a wording layer is loaded, the importer confirms rows against it and the reports and workbooks print it,
saying which wording they use.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated, Any, Literal

from pydantic import Field

from gradesec.catalog.loader import register_kind
from gradesec.catalog.models import Id, Level, Strict

if TYPE_CHECKING:
    from gradesec.catalog.loader import Catalog, Origin
    from gradesec.catalog.yamlsource import Path_


class Wording(Strict):
    kind: Literal["wording"]
    id: Id
    level: Level
    source: Annotated[str, Field(min_length=1)]  # where the user's sentences came from (a file name)
    lang: Literal["zh", "en"] = "zh"
    items: dict[Id, Annotated[str, Field(min_length=1, max_length=4000)]]


def _check(catalog: Catalog, model: Any, origin: Origin) -> list[tuple[Path_, str]]:
    assert isinstance(model, Wording)
    return [
        (("items", item_id), f"unknown item: {item_id}")
        for item_id in model.items
        if item_id not in catalog.items
    ]


register_kind("wording", Wording, _check)


def wordings(catalog: Catalog, level: int, lang: str = "zh") -> list[Wording]:
    docs = catalog.extras.get("wording", {}).values()
    return [d for d in docs if isinstance(d, Wording) and d.level == level and d.lang == lang]


def load_wording(catalog: Catalog, level: int, lang: str = "zh") -> dict[str, str]:
    """Item id → the user's official sentence at ``level`` in ``lang`` (later layers win). Output in a
    language the user supplied no sentences for uses gradesec's own wording of that language."""
    out: dict[str, str] = {}
    for doc in wordings(catalog, level, lang):
        out.update(doc.items)
    return out


def wording_source(catalog: Catalog, level: int, lang: str = "zh") -> str | None:
    """The source named by the wording in use at ``level`` in ``lang``, or None when gradesec's own wording
    is used."""
    docs = wordings(catalog, level, lang)
    return docs[-1].source if docs else None
