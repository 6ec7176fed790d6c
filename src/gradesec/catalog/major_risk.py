"""The ``major_risk_triggers`` document kind: the reference list of 重大风险隐患 triggers (2025 template).

The 2025 report template carries a reference table of triggers (附录G 重大风险隐患触发项参照表); the assessor
judges each suspected major risk by relevance (相关性), severity (严重性) and likelihood (高发性) and names the
trigger it rests on. The shipped list is written in our own words from the public descriptions of those
principles and of the high-risk guide; it is not the template's table. A user may layer a list of their own
over it (same kind and id replaces it).

Importing this module registers the kind with the catalog loader; the checker refuses duplicate trigger ids
(a category is a checklist category code or "other").
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated, Any, Literal

from pydantic import Field

from gradesec.catalog.loader import register_kind
from gradesec.catalog.models import Id, Strict, Text

if TYPE_CHECKING:
    from gradesec.catalog.loader import Catalog, Origin
    from gradesec.catalog.yamlsource import Path_

OTHER = "other"  # a category for triggers that span categories


class Trigger(Strict):
    id: Id
    category: Annotated[str, Field(pattern=r"^([A-Z]{2,5}|other)$")]  # PES, CNS … or "other"
    title: Text
    guidance: Text  # when the trigger applies, in our own words
    cases: list[str] = Field(
        default_factory=list
    )  # high-risk guide cases it usually starts from (for reference only)


class MajorRiskTriggers(Strict):
    kind: Literal["major_risk_triggers"]
    id: Id
    version: str = "1"
    title: Text
    source: str
    status: Literal["best_public_reading", "validated"] = "best_public_reading"
    principles: list[Text]
    triggers: list[Trigger]


def check_triggers(catalog: Catalog, model: Any, origin: Origin) -> list[tuple[Path_, str]]:
    """The loader's checker: trigger ids are unique. (Categories are not checked against the loaded checklists:
    a list may be layered over a catalog with other checklists, as the tests do.)"""
    from gradesec.i18n import t

    assert isinstance(model, MajorRiskTriggers)
    problems: list[tuple[Path_, str]] = []
    seen: set[str] = set()
    for i, trig in enumerate(model.triggers):
        if trig.id in seen:
            problems.append((("triggers", i, "id"), t("scoring.triggers.duplicate", id=trig.id)))
        seen.add(trig.id)
    return problems


def trigger_ids(catalog: Catalog) -> dict[str, Trigger]:
    """Every trigger of every list in the catalog, by id."""
    out: dict[str, Trigger] = {}
    for doc in catalog.extras.get("major_risk_triggers", {}).values():
        if isinstance(doc, MajorRiskTriggers):
            for trig in doc.triggers:
                out[trig.id] = trig
    return out


register_kind("major_risk_triggers", MajorRiskTriggers, check_triggers)
