"""A small fixed city built through real stores and signed bundles: two inspection bodies, two units."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from gradesec.catalog.loader import Catalog
from gradesec.journal.keys import Signer, export_public
from gradesec.usecases import bundles, drills, inspections, remediation
from gradesec.usecases.remediation import Change, Filters
from tests.remedy.conftest import inspect, make_signer, open_party


@dataclass
class City:
    ivan: Signer  # inspector of body "Lab A", inspected unit A
    olga: Signer  # officer of unit A
    ina: Signer  # inspector of body "Lab B", inspected unit B
    unit_a: str
    unit_b: str
    ivan_a: Path  # Ivan's inspection of unit A, closed, remediation planned
    olga_a: Path  # unit A's remediation work (carries Ivan's events too)
    ina_b: Path  # Ina's inspection of unit B
    ina_c: Path  # Ina's store again, now also a unit C she never inspected
    keys: dict[str, Path]
    score_a: float | None  # the score and conclusion Ivan's own store gives his inspection
    conclusion_a: str
    lena_a: Path  # a drill led by Lena, lead of unit A, closed with its improvements
    drill: str
    improvements: int
    drill_high: int  # improvements of that drill rated high risk
    drill_score: float | None  # the weighted score Lena's own store gives the closed drill
    drill_passed: bool | None


def write_key(signer: Signer, path: Path) -> Path:
    import json

    path.write_text(json.dumps(export_public(signer)), encoding="utf-8")
    return path


def build_city(root: Path, catalog: Catalog) -> City:
    root.mkdir(parents=True, exist_ok=True)
    ivan_s = make_signer("Inspector Ivan", "inspector")
    olga_s = make_signer("Officer Olga", "officer")
    ina_s = make_signer("Inspector Ina", "inspector")
    ivan = open_party(root / "ivan", ivan_s, catalog, "2026-11-24T09:00:00.000Z", "I")
    olga = open_party(root / "olga", olga_s, catalog, "2026-11-26T09:00:00.000Z", "O")
    ina = open_party(root / "ina", ina_s, catalog, "2026-11-24T10:00:00.000Z", "N")
    lena_s = make_signer("Lead Lena", "lead")
    lena = open_party(root / "lena", lena_s, catalog, "2026-12-01T09:00:00.000Z", "L")
    try:
        field_a = inspect(ivan, catalog, root)
        score_a = inspections.score(ivan, field_a.inspection)
        unit_a = inspections.get_system(
            ivan, inspections.get_inspection(ivan, field_a.inspection).system_id
        ).unit_id
        inspections.add_system(ivan, unit_a, "Portal", level=3, filing_no="11010099001-00001")
        ivan_a = bundles.export(ivan, root / "ivan-a.gsb", inspection=field_a.inspection).path
        bundles.import_(olga, ivan_a, trust=[ivan_s.key_id])
        items = remediation.list_items(olga, Filters(inspection=field_a.inspection))
        high = next(i for i in items if i.risk == "high")
        remediation.update_item(olga, high.id, Change("fix", note="policy enforced"))
        olga_a = bundles.export(olga, root / "olga-a.gsb", inspection=field_a.inspection).path
        field_b = inspect(ina, catalog, root)
        ina_b = bundles.export(ina, root / "ina-b.gsb", inspection=field_b.inspection).path
        unit_c = inspections.add_unit(ina, "Unit never inspected")
        inspections.add_system(ina, unit_c.id, "Some system", level=3)
        ina_c = bundles.export(ina, root / "ina-c.gsb").path
        drill_id = drills.start_drill(lena, "portal-defacement")
        inject, expectation = first_expectation(lena, drill_id)
        drills.release_inject(lena, drill_id, inject, 300_000)
        drills.mark_expectation(lena, drill_id, expectation, "met", 600_000)
        improvements = drills.close_drill(lena, drill_id, 3_600_000)
        drill_score = drills.drill_score(lena.store, drill_id)
        lena_a = bundles.export(lena, root / "lena-a.gsb").path
        unit_b = inspections.get_system(
            ina, inspections.get_inspection(ina, field_b.inspection).system_id
        ).unit_id
    finally:
        for ctx in (ivan, olga, ina, lena):
            ctx.close()
    signers = (("ivan", ivan_s), ("olga", olga_s), ("ina", ina_s), ("lena", lena_s))
    keys = {n: write_key(s, root / f"{n}.key.json") for n, s in signers}
    return City(
        ivan_s,
        olga_s,
        ina_s,
        unit_a,
        unit_b,
        ivan_a,
        olga_a,
        ina_b,
        ina_c,
        keys,
        score_a.score,
        score_a.conclusion.code,
        lena_a,
        drill_id,
        len(improvements),
        sum(1 for i in improvements if i.risk == "high"),
        drill_score.weighted_percent,
        drill_score.passed,
    )


def first_expectation(ctx: drills.DrillContext, drill_id: str) -> tuple[str, str]:
    """(inject, expectation) of the scenario's first expected action."""
    loaded = drills.load_drill(ctx.store, drill_id)
    inject, expectation = next(iter(loaded.scenario.expectations()))
    return inject.id, expectation.id
