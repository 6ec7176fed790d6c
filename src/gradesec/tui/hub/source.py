"""Where the dashboard gets the city from: a snapshot for the evaluation day and a unit's page."""

from __future__ import annotations

from typing import Protocol

from gradesec.hub.city import CitySnapshot, UnitPage


class CitySource(Protocol):
    def snapshot(self) -> CitySnapshot: ...

    def unit_page(self, snap: CitySnapshot, unit_id: str) -> UnitPage: ...
