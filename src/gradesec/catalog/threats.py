"""The ``threat_list`` document kind: the threats chapter 5 of the report relates problems to (表5-1 关联威胁)
and appendix I prints. Ids are stable; names and descriptions are ours, in both languages; ``categories``
names the 安全类 whose problems the threat is suggested for in a generated draft.

Importing this module registers the kind with the catalog loader.
"""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import Field

from gradesec.catalog.loader import register_kind
from gradesec.catalog.models import Id, Strict, Text


class Threat(Strict):
    id: Id
    name: Text
    description: Text
    categories: list[str] = Field(default_factory=list)


class ThreatList(Strict):
    kind: Literal["threat_list"]
    id: Id
    title: Text
    source: str | None = None
    threats: Annotated[list[Threat], Field(min_length=1)]

    def get(self, threat_id: str) -> Threat | None:
        return next((th for th in self.threats if th.id == threat_id), None)


register_kind("threat_list", ThreatList)
