"""The official report's appendices (A–I of the template), then gradesec's own: the evidence index with SHA-256
and the integrity appendix (signers, chain heads, checkpoints, how to verify)."""

from __future__ import annotations

from gradesec.report.official.content import RESULT_KEYS, Builder, risk_text

# Appendix A's twelve asset tables and the object kinds each one lists (kinds not named go to "other").
ASSET_TABLES: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("machine_room", ("machine_room",)),
    ("network", ("network_device",)),
    ("security", ("security_device",)),
    ("server", ("server", "storage")),
    ("terminal", ("terminal",)),
    ("other", ()),
    ("platform", ("database", "middleware", "management_software")),
    ("application", ("application",)),
    ("data", ("data",)),
    ("crypto", ("crypto_product",)),
    ("personnel", ("personnel",)),
    ("docs", ("docs",)),
)
IMPORTANCE = {
    "关键": "key",
    "key": "key",
    "critical": "key",
    "重要": "important",
    "important": "important",
    "一般": "general",
    "general": "general",
    "normal": "general",
}


def importance(b: Builder, value: str) -> str:
    code = IMPORTANCE.get(value.strip().lower(), "")
    return b.tr(f"official.importance.{code}") if code else value or b.tr("official.importance.unset")


def appendix_assets(b: Builder) -> None:
    d = b.i.data
    b.appendix("A", "official.a.assets")
    named = {k for _, kinds in ASSET_TABLES for k in kinds}
    for table, kinds in ASSET_TABLES:
        assets = [a for a in d.assets if (a.kind in kinds if kinds else a.kind not in named)]
        rows = [
            (str(n), a.name, a.kind_name, a.address, a.role, importance(b, a.importance))
            for n, a in enumerate(assets, 1)
        ]
        b.table(
            b.tr(f"official.asset_table.{table}"),
            (
                b.tr("official.no"),
                b.tr("official.name"),
                b.tr("official.kind"),
                b.tr("official.address"),
                b.tr("official.use"),
                b.tr("official.importance"),
            ),
            rows,
            (0.5, 1.8, 1.3, 1.3, 1.6, 0.9),
        )


def appendix_previous(b: Builder) -> None:
    m = b.i.model
    b.appendix("B", "official.a.previous")
    if m.previous_id is None:
        b.para(b.tr("official.no_previous"))
        return
    rows = [
        (
            str(n),
            f"{p.key.split('@')[0]} {p.control_name}",
            p.asset_name,
            risk_text(b, p.risk),
            b.cell(f"previous.{p.key}.state"),
            m.text(f"previous.{p.key}.note"),
        )
        for n, p in enumerate(m.previous, 1)
    ]
    b.table(
        b.tr("official.t.previous", id=m.previous_id),
        (
            b.tr("official.no"),
            b.tr("official.problem"),
            b.tr("official.object"),
            b.tr("official.risk"),
            b.tr("official.f.previous.state"),
            b.tr("official.f.previous.note"),
        ),
        rows,
        (0.5, 2.2, 1.3, 0.7, 1.0, 2.0),
    )


def appendix_summary(b: Builder) -> None:
    d = b.i.data
    b.appendix("C", "official.a.summary")
    names = {c.code: c.name for c in d.categories}
    for code in b.i.model.categories:
        rows = [
            (c.name, str(c.items), *(str(c.counts.get(k, 0)) for k in RESULT_KEYS))
            for c in d.controls
            if c.category == code
        ]
        b.table(
            names.get(code, code),
            (
                b.tr("official.control"),
                b.tr("official.items"),
                *(b.tr(f"report.result.{k}") for k in RESULT_KEYS),
            ),
            rows,
            (2.2, 0.8, 0.8, 0.9, 0.9, 0.8),
        )


def appendix_records(b: Builder) -> None:
    d = b.i.data
    b.appendix("D", "official.a.records")
    items = {i.id: i for i in d.items}
    for asset_id, rows in d.results_by_asset().items():
        asset = d.asset(asset_id)
        if asset is None or not rows:
            continue
        body = []
        for row in rows:
            item = items.get(row.item_id)
            result = b.tr(f"report.result.{row.result}") if row.result else b.tr("report.result.none")
            body.append(
                (
                    item.control_name if item else "",
                    f"{row.item_id} {item.text if item else ''}",
                    row.note,
                    result,
                )
            )
        b.table(
            b.tr("official.t.records", asset=asset.name),
            (
                b.tr("official.control"),
                b.tr("official.item"),
                b.tr("official.record"),
                b.tr("official.result"),
            ),
            body,
            (1.2, 2.6, 2.8, 0.9),
        )


def appendix_tests(b: Builder) -> None:
    m = b.i.model
    declined = m.text("verify.declined")
    for letter, kind in (("E", "scan"), ("F", "pentest")):
        b.appendix(letter, f"official.a.{kind}")
        if declined:
            b.para(b.tr("official.declined_see"))
            continue
        b.para(f"{b.label(f'verify.{kind}_tools')}：{b.cell(f'verify.{kind}_tools')}")
        b.fieldpara(f"verify.{kind}")


def appendix_triggers(b: Builder) -> None:
    b.appendix("G", "official.a.triggers")
    if b.i.triggers:
        m = b.i.model
        resting: dict[str, list[str]] = {}
        for p in m.problems:
            trigger = m.text(f"major.{p.key}.trigger")
            for tid in sorted({x.strip() for x in trigger.replace("，", ",").split(",") if x.strip()}):
                resting.setdefault(tid, []).append(p.no)
        b.table(
            b.tr("official.t.major_triggers"),
            (
                b.tr("official.no"),
                b.tr("official.case_title"),
                b.tr("official.description"),
                b.tr("official.problems"),
            ),
            [
                (tid, title, guidance, ", ".join(resting.get(tid, [])))
                for tid, title, guidance in b.i.triggers
            ],
            (0.7, 1.8, 3.6, 0.9),
        )
    used: dict[str, list[str]] = {}
    for p in b.i.model.problems:
        for case in p.cases:
            used.setdefault(case, []).append(p.no)
    rows = [(case, b.i.cases.get(case, ""), ", ".join(nos)) for case, nos in sorted(used.items())]
    b.table(
        b.tr("official.t.triggers"),
        (b.tr("official.case"), b.tr("official.case_title"), b.tr("official.problems")),
        rows,
        (1.0, 4.0, 1.5),
    )


def appendix_threats(b: Builder) -> None:
    b.appendix("I", "official.a.threats")
    threats = b.i.model.threats
    rows = [
        (th.id, th.name.get(b.lang), th.description.get(b.lang))
        for th in (threats.threats if threats else [])
    ]
    b.table(
        b.tr("official.t.threats"),
        (b.tr("official.no"), b.tr("official.name"), b.tr("official.description")),
        rows,
        (0.8, 1.5, 4.5),
    )


def appendix_evidence(b: Builder) -> None:
    d = b.i.data
    b.appendix("J", "official.a.evidence")
    rows = [
        (str(n), e.name, str(e.size), e.sha256, e.by, e.at, f"{e.item_id} {e.asset_name}".strip())
        for n, e in enumerate(d.evidence, 1)
    ]
    b.table(
        b.tr("official.t.evidence"),
        (
            b.tr("official.no"),
            b.tr("official.file"),
            b.tr("official.size"),
            "SHA-256",
            b.tr("official.by"),
            b.tr("official.at"),
            b.tr("official.item"),
        ),
        rows,
        (0.4, 1.3, 0.6, 3.0, 0.8, 1.0, 1.2),
    )


def appendix_integrity(b: Builder) -> None:
    d = b.i.data
    g = d.integrity
    b.appendix("K", "official.a.integrity")
    b.para(b.tr("official.integrity_intro", events=g.events))
    b.table(
        b.tr("official.t.signers"),
        (b.tr("official.name"), b.tr("official.role"), b.tr("official.org"), b.tr("official.key")),
        [(s.name, s.role, s.org, s.key_id) for s in g.signers],
        (1.2, 1.0, 1.6, 3.0),
    )
    b.table(
        b.tr("official.t.heads"),
        (b.tr("official.name"), b.tr("official.key"), b.tr("official.seq"), b.tr("official.hash")),
        [(h.name, h.key_id, str(h.seq), h.hash) for h in g.heads],
        (1.0, 2.2, 0.6, 3.6),
    )
    b.table(
        b.tr("official.t.checkpoints"),
        (
            b.tr("official.name"),
            b.tr("official.seq"),
            b.tr("official.events"),
            b.tr("official.at"),
            b.tr("official.hash"),
        ),
        [(c.name, str(c.seq), str(c.count), c.at, c.head) for c in g.checkpoints],
        (1.0, 0.6, 0.7, 1.3, 3.6),
    )
    pins = [(key, digest) for key, digest in sorted(d.pins.items())]
    pins.append((b.tr("official.catalog"), d.catalog_sha256))
    b.table(b.tr("official.t.pins"), (b.tr("official.document"), "SHA-256"), pins, (2.0, 4.0))
    b.para(b.tr("official.verify_how", inspection=d.inspection_id))


def appendices(b: Builder) -> None:
    appendix_assets(b)
    appendix_previous(b)
    appendix_summary(b)
    appendix_records(b)
    appendix_tests(b)
    appendix_triggers(b)
    appendix_threats(b)
    appendix_evidence(b)
    appendix_integrity(b)
