"""The ``remediation_measures`` document kind: what to do about a partial or non-compliant result, per
requirement item, in both languages (``checklists/mlps-2019/remediation.yaml``).

The remediation plan and the official report's advice print the item's measure instead of its test guidance;
where a high-risk case matched, the case's own advice (the guide's appendix B) comes first. The checker
reports measures for items the catalog does not hold, as ``file:line``.

Importing this module registers the kind with the catalog loader.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated, Any, Literal

from pydantic import Field

from gradesec.catalog.loader import register_kind
from gradesec.catalog.models import Id, Strict, Text

if TYPE_CHECKING:
    from gradesec.catalog.loader import Catalog, Origin
    from gradesec.catalog.yamlsource import Path_


class RemediationMeasures(Strict):
    kind: Literal["remediation_measures"]
    id: Id
    title: Text
    source: str | None = None
    measures: Annotated[dict[Id, Text], Field(min_length=1)]


def check_measures(catalog: Catalog, model: Any, origin: Origin) -> list[tuple[Path_, str]]:
    """Every measure names an item of the catalog (skipped when the catalog holds no checklist items)."""
    from gradesec.i18n import t

    assert isinstance(model, RemediationMeasures)
    if not catalog.items:
        return []
    return [
        (("measures", item_id), t("catalog.remediation.unknown_item", id=item_id))
        for item_id in model.measures
        if item_id not in catalog.items
    ]


def measure_for(catalog: Catalog, item_id: str, lang: str) -> str:
    """The remediation measure of ``item_id`` in ``lang`` ("" when no loaded list has one)."""
    for doc in catalog.extras.get("remediation_measures", {}).values():
        if isinstance(doc, RemediationMeasures) and item_id in doc.measures:
            return doc.measures[item_id].get(lang)
    return ""


def advice_for(catalog: Catalog, item_id: str, cases: tuple[str, ...] | list[str], lang: str) -> str:
    """What to do about a problem of ``item_id``: the advice of each high-risk case it matched (the guide's
    appendix B), else the item's measure ("" when neither exists)."""
    advice: list[str] = []
    for case_id in cases:
        case = catalog.cases.get(case_id)
        text = getattr(case, "advice", None) if case is not None else None
        if text is not None and text.get(lang) not in advice:
            advice.append(text.get(lang))
    return "\n".join(advice) or measure_for(catalog, item_id, lang)


register_kind("remediation_measures", RemediationMeasures, check_measures)
