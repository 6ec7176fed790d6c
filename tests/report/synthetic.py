"""Report data built by hand: a fixed, realistic-looking inspection without a store.

The PDF and XLSX builders are tested on this (and the benchmark uses it at full size); the round trip through
a real store is tested separately.
"""

from __future__ import annotations

import random
from datetime import date

from gradesec.report.data import (
    AssetInfo,
    CategoryInfo,
    CheckpointInfo,
    ControlInfo,
    EvidenceRow,
    HeadInfo,
    Integrity,
    IssueRow,
    ItemInfo,
    ReportData,
    ResultRow,
    SignerInfo,
)

CATEGORIES = [
    ("PES", "安全物理环境", "Physical environment", "technical", 10),
    ("CNS", "安全通信网络", "Communication network", "technical", 3),
    ("ABS", "安全区域边界", "Area boundary", "technical", 6),
    ("CES", "安全计算环境", "Computing environment", "technical", 11),
    ("SMC", "安全管理中心", "Management centre", "technical", 4),
    ("PSS", "安全管理制度", "Management policies", "management", 4),
    ("ORS", "安全管理机构", "Management organisation", "management", 5),
    ("HRS", "安全管理人员", "Management personnel", "management", 4),
    ("CMS", "安全建设管理", "Construction management", "management", 10),
    ("MMS", "安全运维管理", "Operations management", "management", 14),
]
KINDS = [
    ("machine_room", "机房", "Machine room"),
    ("network_device", "网络设备", "Network device"),
    ("security_device", "安全设备", "Security device"),
    ("server", "服务器", "Server"),
    ("database", "数据库", "Database"),
    ("application", "业务应用", "Application"),
    ("docs", "管理文档", "Documents"),
]
ZH_WORDS = "应对登录的用户进行身份标识和鉴别身份标识具有唯一性鉴别信息具有复杂度要求并定期更换"
EN_WORDS = [
    "the",
    "system",
    "shall",
    "identify",
    "and",
    "authenticate",
    "every",
    "user",
    "who",
    "logs",
    "in",
    "with",
    "unique",
    "identities",
]
SHA = "9f2c4e1a7b3d5f60" * 4


def _zh(rng: random.Random, n: int) -> str:
    return "".join(rng.choice(ZH_WORDS) for _ in range(n)) + "。"


def _en(rng: random.Random, n: int) -> str:
    return " ".join(rng.choice(EN_WORDS) for _ in range(n)).capitalize() + "."


def sample(
    lang: str = "zh", *, assets: int = 6, items_per_control: int = 3, seed: int = 7, closed: bool = True
) -> ReportData:
    """A level-3 inspection: 71 control points, ``assets`` assets; deterministic for a given seed."""
    rng = random.Random(seed)
    zh = lang == "zh"
    asset_list: list[AssetInfo] = []
    for i in range(assets):
        kind, kzh, ken = KINDS[i % len(KINDS)]
        name = f"{kzh}{i + 1:02d}" if zh else f"{ken} {i + 1:02d}"
        asset_list.append(
            AssetInfo(
                f"a{i + 1:02d}", name, kind, kzh if zh else ken, f"10.0.{i}.1", "生产" if zh else "production"
            )
        )
    items: list[ItemInfo] = []
    controls: list[ControlInfo] = []
    categories: list[CategoryInfo] = []
    results: list[ResultRow] = []
    issues: list[IssueRow] = []
    for code, czh, cen, cls, n_ctl in CATEGORIES:
        technical = cls == "technical"
        kinds = [k for k, _, _ in KINDS if (k != "docs") == technical]
        for c in range(1, n_ctl + 1):
            cid = f"{code}-{c:02d}"
            cname = f"{czh[2:]}控制点{c}" if zh else f"{cen} control {c}"
            counts = {"compliant": 0, "partial": 0, "noncompliant": 0, "na": 0}
            for letter in "abcdefg"[:items_per_control]:
                iid = f"{cid}-{letter}"
                text = _zh(rng, rng.randint(20, 70)) if zh else _en(rng, rng.randint(8, 30))
                objects = tuple(rng.sample(kinds, k=max(1, len(kinds) // 2)))
                items.append(ItemInfo(iid, code, cid, cname, text, rng.choice((1.0, 0.7, 0.4)), objects))
                for asset in asset_list:
                    if asset.kind not in objects:
                        continue
                    result = rng.choices(("compliant", "partial", "noncompliant", "na"), (6, 2, 1, 1))[0]
                    counts[result] += 1
                    note = _zh(rng, rng.randint(10, 90)) if zh else _en(rng, rng.randint(5, 35))
                    results.append(
                        ResultRow(
                            iid, asset.id, result, note, "张三" if zh else "Zhang San", "2026-11-24 09:30", 0
                        )
                    )
                    if result in ("partial", "noncompliant"):
                        risk = rng.choices(("high", "medium", "low"), (1, 3, 4))[0]
                        issues.append(
                            IssueRow(
                                0,
                                iid,
                                asset.id,
                                risk,
                                result,
                                cname,
                                text,
                                asset.name,
                                note,
                                "按要求配置并定期检查。"
                                if zh
                                else "Configure as required and check regularly.",
                                ("6.4.1.1",) if risk == "high" else (),
                                major=False,
                            )
                        )
            controls.append(
                ControlInfo(cid, cname, code, round(rng.uniform(4, 10), 2), items_per_control, counts)
            )
        categories.append(
            CategoryInfo(
                code, czh if zh else cen, cls, round(rng.uniform(55, 98), 2), n_ctl * items_per_control
            )
        )
    rank = {"high": 0, "medium": 1, "low": 2}
    issues.sort(key=lambda i: rank[i.risk or "low"])
    issues = [
        IssueRow(
            n,
            *[
                getattr(i, f)
                for f in (
                    "item_id",
                    "asset_id",
                    "risk",
                    "result",
                    "control_name",
                    "item_text",
                    "asset_name",
                    "finding",
                    "measure",
                    "cases",
                    "major",
                )
            ],
        )
        for n, i in enumerate(issues, 1)
    ]
    counts = {
        r: sum(1 for x in results if x.result == r) for r in ("compliant", "partial", "noncompliant", "na")
    }
    icounts = {r: sum(1 for i in issues if i.risk == r) for r in ("high", "medium", "low")}
    icounts |= {"unrated": 0, "major": 0}
    evidence = [
        EvidenceRow(
            f"截图{i}.png" if zh else f"screenshot-{i}.png",
            1000 * i + 17,
            SHA,
            "张三" if zh else "Zhang San",
            "2026-11-24 10:00",
            items[i].id,
            asset_list[i % assets].name,
        )
        for i in range(5)
    ]
    signer = SignerInfo(
        "张三" if zh else "Zhang San",
        "inspector",
        "某测评中心" if zh else "Example Centre",
        "0123456789abcdef0123456789abcdef",
    )
    integrity = Integrity(
        (signer,),
        (HeadInfo(signer.name, signer.key_id, len(results) + 40, SHA),),
        (
            CheckpointInfo(
                signer.name, signer.key_id, len(results) + 40, SHA, len(results) + 40, "2026-11-25 17:00"
            ),
        ),
        len(results) + 40,
        "/data/store",
    )
    return ReportData(
        lang=lang,
        inspection_id="insp-20261124-0001",
        title="年度等级测评" if zh else "Annual inspection",
        status="closed" if closed else "open",
        unit_name="某市大数据中心" if zh else "City Big Data Centre",
        system_name="政务服务平台" if zh else "Government service platform",
        system_description=_zh(rng, 120) if zh else _en(rng, 60),
        level=3,
        organisation="某测评中心" if zh else "Example Centre",
        inspectors=(signer.name,),
        started="2026-11-24",
        closed="2026-11-25" if closed else "",
        generated=date(2026, 11, 26),
        profile_id="mlps-l3",
        profile_title="第三级（通用要求）" if zh else "Level 3 (general requirements)",
        policy_id="mlps-2021",
        policy_title="2021版报告模板" if zh else "2021 report template",
        catalog_sha256=SHA,
        pins={"profile:mlps-l3": SHA, "policy:mlps-2021": SHA},
        score=78.42,
        conclusion="中" if zh else "Fair",
        conclusion_code="fair",
        compliance_rate=0.81,
        provisional=not closed,
        score_note="",
        result_counts=counts,
        issue_counts=icounts,
        recorded=len(results),
        applicable=len(results),
        assets=asset_list,
        items=items,
        categories=categories,
        controls=controls,
        results=results,
        issues=issues,
        evidence=evidence,
        integrity=integrity,
        system_id="sys-1",
    )
