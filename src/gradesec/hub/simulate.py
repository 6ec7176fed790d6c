"""A simulated city for the hub, built through real stores, real keys and real signed bundles.

Inspection bodies (测评机构) keep one store each: they record the units they inspect (a district's bureaus or a
city department), their systems (levels 2 to 4, with 备案 numbers) and assets, then a year of inspections with
results, closing with remediation plans (deadlines by risk), and re-tests that verify or reopen items. Units keep
their own stores for their drills (a lead runs a scenario: injects released, expected actions marked, closed;
the gaps become improvements). Every store exports one bundle; the office registers each body's key for its
body and each unit's key for its unit, then ingests the bundles.

Deterministic for a seed: keys come from the seed, clocks are frozen and moved forward by the agenda, ids are
numbered per store. The year ends at ``END``; some level-3 and level-4 systems are overdue for inspection at the
end, and remediation planned months ago and never re-tested is overdue.
"""

from __future__ import annotations

import hashlib
import itertools
import random
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from gradesec.catalog.loader import Catalog
from gradesec.journal import FrozenClock, Signer
from gradesec.journal.keys import PublicKey

START = datetime(2025, 11, 3, 9, 0, tzinfo=UTC)  # the inventory is recorded; the simulated year begins
END = datetime(2026, 11, 27, 17, 0, tzinfo=UTC)  # nothing happens after this
DISTRICTS = ("东湖区", "西山区", "南江区", "北岭区", "中心区", "高新区", "经开区", "市直")
DEPARTMENTS = (
    "教育局", "卫生健康局", "人力资源和社会保障局", "民政局", "交通运输局", "住房和城乡建设局", "市场监督管理局",
    "财政局", "税务局", "公安分局", "医保局", "政务服务中心", "人民医院", "水务集团", "大数据中心",
)  # fmt: skip
SYSTEMS = (
    "门户网站", "办公自动化系统", "政务服务平台", "视频会议系统", "数据共享交换平台", "财务管理系统",
    "业务审批系统", "档案管理系统", "医院信息系统", "一卡通系统", "监控平台", "邮件系统",
)  # fmt: skip
LEVELS = (2, 2, 2, 2, 2, 3, 3, 3, 3, 4)
RESULTS = ("compliant",) * 13 + ("partial",) * 4 + ("noncompliant",) * 3
Progress = Callable[[str], None]


@dataclass(frozen=True)
class Registration:
    key: PublicKey
    unit: str | None
    body: str | None


@dataclass
class SimCity:
    bundles: list[Path] = field(default_factory=list)
    trust: list[Registration] = field(default_factory=list)
    units: int = 0
    systems: int = 0
    inspections: int = 0
    retests: int = 0
    drills: int = 0
    events: int = 0


def _signer(seed: int, name: str, role: str, org: str) -> Signer:
    return Signer.from_seed(hashlib.sha256(f"gradesec demo {seed} {name}".encode()).digest(), name, role, org)


def _public(signer: Signer) -> PublicKey:
    return PublicKey(signer.key_id, signer.public_bytes, signer.identity)


def _ids(tag: str) -> Callable[[str], str]:
    counters: dict[str, itertools.count[int]] = {}

    def new_id(prefix: str) -> str:
        return f"{prefix}-{tag}{next(counters.setdefault(prefix, itertools.count(1))):05d}"

    return new_id


def _at(day: datetime) -> datetime:
    return min(day, END)


@dataclass
class _Unit:
    n: int
    name: str
    district: str
    levels: list[int]
    body: int
    id: str = ""


def plan_units(rng: random.Random, units: int, systems: int, bodies: int) -> list[_Unit]:
    out = []
    for n in range(units):
        district = DISTRICTS[n % len(DISTRICTS)]
        dept = DEPARTMENTS[(n // len(DISTRICTS)) % len(DEPARTMENTS)]
        suffix = (
            ""
            if n < len(DISTRICTS) * len(DEPARTMENTS)
            else f"（{n // (len(DISTRICTS) * len(DEPARTMENTS)) + 1}）"
        )
        name = f"{district}{dept}{suffix}" if district != "市直" else f"市{dept}{suffix}"
        out.append(_Unit(n, name, district, [rng.choice(LEVELS) for _ in range(systems)], n % bodies))
    return out


def build_city(
    root: Path,
    catalog: Catalog | None,
    *,
    seed: int = 1,
    units: int = 200,
    systems: int = 5,
    findings: int = 24,
    progress: Progress | None = None,
    workers: int = 1,
) -> SimCity:
    """Build the city's stores and bundles under ``root``; returns the bundles and the keys to register.

    Every store is independent (its own random stream from the seed), so with ``workers`` > 1 they are built in
    that many processes (each loads the catalog once); the city is the same either way."""
    say = progress or (lambda _line: None)
    bodies = max(1, min(8, units // 20 or 1))
    plan = plan_units(random.Random(seed), units, systems, bodies)
    for b in range(bodies):
        for k, unit in enumerate(u for u in plan if u.body == b):
            unit.id = f"u-b{b + 1}-{k + 1:05d}"  # the id the body's store gives it (numbered ids)
    root.mkdir(parents=True, exist_ok=True)
    tasks: list[_Task] = [
        ("body", root, seed, b, [u for u in plan if u.body == b], findings) for b in range(bodies)
    ]
    tasks += [("unit", root, seed, u.n, [u], findings) for u in plan]
    city = SimCity(units=units, systems=units * systems)
    parts: list[tuple[int, SimCity]] = []
    if workers > 1:
        from concurrent.futures import ProcessPoolExecutor, as_completed

        with ProcessPoolExecutor(max_workers=workers) as pool:
            futures = {pool.submit(_run, task, None): n for n, task in enumerate(tasks)}
            for done, future in enumerate(as_completed(futures), start=1):
                parts.append((futures[future], future.result()))
                _report(say, tasks[futures[future]], done, len(tasks))
    else:
        for n, task in enumerate(tasks):
            parts.append((n, _run(task, catalog)))
            _report(say, task, n + 1, len(tasks))
    for _n, part in sorted(parts, key=lambda p: p[0]):
        city.bundles += part.bundles
        city.trust += part.trust
        for name in ("inspections", "retests", "drills", "events"):
            setattr(city, name, getattr(city, name) + getattr(part, name))
    return city


_Task = tuple[str, Path, int, int, list[_Unit], int]
_CATALOG: list[Catalog] = []


def _run(task: _Task, catalog: Catalog | None) -> SimCity:
    kind, root, seed, n, mine, findings = task
    if catalog is None:
        if not _CATALOG:
            from gradesec.catalog.loader import load_catalog

            _CATALOG.append(load_catalog())
        catalog = _CATALOG[0]
    part = SimCity()
    rng = random.Random(f"{seed}/{kind}/{n}")
    if kind == "body":
        _body_store(root, catalog, seed, n, mine, findings, rng, part)
    elif rng.random() < 0.7:
        _unit_drills(root, catalog, seed, mine[0], rng, part)
    return part


def _report(say: Progress, task: _Task, done: int, total: int) -> None:
    from gradesec.i18n import t

    if task[0] == "body":
        say(t("hub.demo.body_done", body=task[3] + 1, units=len(task[4]), done=done, total=total))
    elif done % 25 == 0 or done == total:
        say(t("hub.demo.stores_done", done=done, total=total))


def _body_store(
    root: Path,
    catalog: Catalog,
    seed: int,
    b: int,
    mine: list[_Unit],
    findings: int,
    rng: random.Random,
    city: SimCity,
) -> None:
    from gradesec.usecases import bundles, inspections, remediation
    from gradesec.usecases.context import open_context
    from gradesec.usecases.findings import FindingInput

    body = f"测评机构{b + 1}"
    signer = _signer(seed, f"Inspector {b + 1}", "inspector", body)
    clock = FrozenClock(START)
    ctx = open_context(
        root / f"body-{b + 1}",
        signer=signer,
        create=True,
        catalog=catalog,
        clock=clock,
        new_id=_ids(f"b{b + 1}-"),
    )
    city.trust.append(Registration(_public(signer), None, body))
    try:
        agenda: list[tuple[datetime, int, str, Any]] = []  # (when, order, what, payload)
        for unit in mine:
            made = inspections.add_unit(ctx, unit.name, code=f"U{unit.n + 1:04d}", region=unit.district)
            assert made.id == unit.id, (made.id, unit.id)
            for s, level in enumerate(unit.levels):
                name = SYSTEMS[(unit.n + s) % len(SYSTEMS)]
                system = inspections.add_system(
                    ctx,
                    unit.id,
                    name,
                    level=level,
                    filing_no=f"3301{unit.n % 100:02d}{s:02d}{unit.n:05d}-{s + 1:05d}",
                )
                inspections.add_asset(ctx, system.id, "server", f"{name}服务器")
                for when in _inspection_days(rng, level):
                    agenda.append((when, len(agenda), "inspect", (system.id, level)))
        agenda.sort()
        kinds: dict[str, str] = {}
        while agenda:
            when, _order, what, payload = agenda.pop(0)
            clock.now = max(clock.now, when)
            if what == "inspect":
                system_id, level = payload
                insp = inspections.new_inspection(ctx, system_id, f"mlps-l{level}", category_objects=True)
                pairs = [
                    (item.id, asset)
                    for item in insp.items
                    for asset, kind in _kinds(ctx, insp.asset_ids, kinds)
                    if kind in item.objects
                ]
                chosen = rng.sample(pairs, min(findings, len(pairs)))
                entries = [FindingInput(i, a, rng.choice(RESULTS)) for i, a in sorted(chosen)]
                inspections.record_findings(ctx, insp.id, entries)
                for entry in [e for e in entries if e.result == "noncompliant"][:2]:
                    risk = inspections.suggest_risk(ctx, insp.id, entry.item, entry.result).risk or "medium"
                    major = risk == "high" and rng.random() < 0.3
                    inspections.rate_issue(ctx, insp.id, entry.item, entry.asset, risk, major=major)
                planned = remediation.close_and_plan(ctx, insp.id)
                city.inspections += 1
                if planned and rng.random() < 0.6:
                    later = when + timedelta(days=rng.randint(20, 90))
                    if later < END:
                        agenda.append(
                            (later, len(agenda) + 10_000, "retest", (insp.id, [p.id for p in planned]))
                        )
                        agenda.sort()
            else:
                inspection_id, items = payload
                retests = [
                    remediation.RetestInput(item, "verified" if rng.random() < 0.7 else "not_fixed")
                    for item in items
                ]
                remediation.retest(ctx, inspection_id, retests)
                city.retests += 1
        bundle = bundles.export(ctx, root / f"body-{b + 1}.gsb")
        city.bundles.append(bundle.path)
        city.events += ctx.store.head(signer.key_id)[0]
    finally:
        ctx.close()


def _kinds(ctx: Any, asset_ids: tuple[str, ...], known: dict[str, str]) -> list[tuple[str, str]]:
    from gradesec.usecases import inspections

    out = []
    for a in asset_ids:
        if a not in known:
            known[a] = inspections.get_asset(ctx, a).kind
        out.append((a, known[a]))
    return out


def _inspection_days(rng: random.Random, level: int) -> list[datetime]:
    """When a system of ``level`` is inspected during the year (level 4 twice, some never; a few early ones
    leave the system overdue by the end)."""

    def day(lo: int, hi: int) -> datetime:
        return START + timedelta(days=rng.randint(lo, hi), hours=rng.randint(0, 7))

    roll = rng.random()
    if level == 2:
        return [day(10, 380)] if roll < 0.7 else []
    if level == 3:
        if roll < 0.08:
            return []
        return [day(2, 25)] if roll < 0.2 else [day(30, 380)]
    if roll < 0.2:
        return [day(2, 20)]
    first = day(5, 150)
    return [first, first + timedelta(days=rng.randint(170, 200))]


def _unit_drills(
    root: Path, catalog: Catalog, seed: int, unit: _Unit, rng: random.Random, city: SimCity
) -> None:
    from gradesec.usecases import bundles, drills
    from gradesec.usecases.context import open_context

    signer = _signer(seed, f"Lead {unit.n + 1}", "lead", unit.name)
    clock = FrozenClock(START + timedelta(days=rng.randint(30, 200)), step=timedelta(seconds=1))
    ctx = open_context(
        root / f"unit-{unit.n + 1}",
        signer=signer,
        create=True,
        catalog=catalog,
        clock=clock,
        new_id=_ids(f"u{unit.n + 1}-"),
    )
    city.trust.append(Registration(_public(signer), unit.id, None))
    scenarios = drills.scenarios(catalog)
    try:
        for _ in range(1 if rng.random() < 0.7 else 2):
            scenario = scenarios[rng.randrange(len(scenarios))]
            drill_id = drills.start_drill(ctx, scenario.id)
            elapsed = 0
            for inject, expectation in scenario.expectations():
                elapsed += 120_000
                loaded = drills.load_drill(ctx.store, drill_id)
                if inject.id not in loaded.record.releases:
                    drills.release_inject(ctx, drill_id, inject.id, elapsed)
                roll = rng.random()
                if roll < 0.85:
                    status = "met" if roll < 0.6 else "partial" if roll < 0.75 else "missed"
                    drills.mark_expectation(ctx, drill_id, expectation.id, status, elapsed + 60_000)
            drills.close_drill(ctx, drill_id, elapsed + 600_000)
            city.drills += 1
            clock.now = min(clock.now + timedelta(days=rng.randint(60, 150)), END)
        bundle = bundles.export(ctx, root / f"unit-{unit.n + 1}.gsb")
        city.bundles.append(bundle.path)
        city.events += ctx.store.head(signer.key_id)[0]
    finally:
        ctx.close()
