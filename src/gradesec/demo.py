"""The demo store: a city e-government portal (level 3) half-way through its inspection, and a level-2 office
system of the same unit. Built through the use-case façade, so it is exactly what a person would have made.

Deterministic: a fixed key (``Signer.from_seed``), a frozen clock, numbered ids and results chosen by a hash
of the item and asset, so two builds in the same language show the same thing. The demo key is also saved,
encrypted with the passphrase ``demo``, in its own config folder, so the command line can sign as the demo
inspector too (``GRADESEC_CONFIG=<that folder> GRADESEC_PASSPHRASE=demo gradesec …``).
"""

from __future__ import annotations

import hashlib
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path
from typing import Any

from gradesec import paths
from gradesec.errors import GradesecError
from gradesec.i18n import get_lang, t
from gradesec.journal.clock import FrozenClock
from gradesec.journal.keys import Signer, keys_dir, save_key

DEMO_PASSPHRASE = "demo"
DEMO_SEED = hashlib.sha256(b"gradesec demo inspector").digest()
DEMO_START = "2026-11-24T01:30:00.000Z"

Texts = dict[str, str]


def _pick(text: Texts, lang: str) -> str:
    return text["zh"] if lang == "zh" else text["en"]


IDENTITY = {
    "name": {"zh": "演示测评员", "en": "Demo Inspector"},
    "org": {"zh": "市网络安全测评中心", "en": "City Cybersecurity Assessment Centre"},
}
UNIT = {
    "name": {"zh": "市政务服务数据管理局", "en": "City Government Services and Data Bureau"},
    "region": {"zh": "某市", "en": "Example City"},
    "contact": {"zh": "王工 · 安全管理员", "en": "Wang, security officer"},
}
PORTAL = {"zh": "市电子政务门户", "en": "City e-Government Portal"}
OA = {"zh": "办公自动化系统", "en": "Office automation system"}

# (kind, name, address)
PORTAL_ASSETS: list[tuple[str, Texts, str]] = [
    ("machine_room", {"zh": "政务云机房 A 区", "en": "Gov-cloud machine room A"}, "B2, Data Centre"),
    ("network_device", {"zh": "核心交换机 CS-01", "en": "Core switch CS-01"}, "10.10.0.1"),
    ("security_device", {"zh": "边界防火墙 FW-01", "en": "Border firewall FW-01"}, "10.10.0.254"),
    (
        "security_device",
        {"zh": "Web 应用防火墙 WAF-01", "en": "Web application firewall WAF-01"},
        "10.10.1.2",
    ),
    ("server", {"zh": "门户 Web 服务器 web-01", "en": "Portal web server web-01"}, "10.10.2.11"),
    ("server", {"zh": "门户 Web 服务器 web-02", "en": "Portal web server web-02"}, "10.10.2.12"),
    ("server", {"zh": "数据库服务器 db-01", "en": "Database server db-01"}, "10.10.3.21"),
    ("database", {"zh": "门户数据库（MySQL 8）", "en": "Portal database (MySQL 8)"}, "10.10.3.21:3306"),
    ("middleware", {"zh": "应用中间件（Tomcat 9）", "en": "Application middleware (Tomcat 9)"}, "10.10.2.11"),
    ("application", {"zh": "政务门户网站", "en": "Portal web application"}, "https://portal.example.gov"),
    ("data", {"zh": "办事群众个人信息", "en": "Citizens' personal data"}, ""),
    ("terminal", {"zh": "运维终端", "en": "Operations workstation"}, "10.10.9.5"),
    ("docs", {"zh": "安全管理制度与记录", "en": "Security policies and records"}, ""),
    ("personnel", {"zh": "运维与安全管理人员", "en": "Operations and security staff"}, ""),
]
OA_ASSETS: list[tuple[str, Texts, str]] = [
    ("server", {"zh": "OA 应用服务器", "en": "OA application server"}, "10.20.1.10"),
    ("database", {"zh": "OA 数据库", "en": "OA database"}, "10.20.1.11"),
    ("application", {"zh": "OA 系统", "en": "OA application"}, "https://oa.example.gov"),
    ("docs", {"zh": "OA 管理文档", "en": "OA management documents"}, ""),
]

# Issues that make the demo worth looking at: (item, asset index, result, note, rating)
# rating: None (left for the user), or (risk, compensation, reason)
FORCED: list[tuple[str, int, str, Texts, tuple[str, Texts, Texts] | None]] = [
    (
        "CES-01-a",
        6,
        "partial",
        {
            "zh": "数据库服务器 root 账户使用弱口令，且多人共用。",
            "en": "The database server's root account has a weak password shared by several people.",
        },
        ("high", {"zh": "", "en": ""}, {"zh": "", "en": ""}),
    ),
    (
        "CES-04-e",
        5,
        "noncompliant",
        {
            "zh": "web-02 的 Tomcat 存在已公开的远程代码执行漏洞，未修补。",
            "en": "Tomcat on web-02 has a published remote-code-execution flaw, unpatched.",
        },
        ("high", {"zh": "", "en": ""}, {"zh": "", "en": ""}),
    ),
    (
        "ABS-03-a",
        3,
        "noncompliant",
        {
            "zh": "WAF 处于旁路观察模式，未拦截攻击。",
            "en": "The WAF runs in monitor-only mode and blocks nothing.",
        },
        None,
    ),
    (
        "CNS-01-e",
        1,
        "noncompliant",
        {
            "zh": "核心交换机单机运行，无冗余。",
            "en": "The core switch is a single device with no redundancy.",
        },
        (
            "medium",
            {
                "zh": "政务云提供双上联链路，故障时 15 分钟内切换至备用交换机。",
                "en": "The gov cloud provides dual uplinks; a standby switch takes over within 15 minutes.",
            },
            {"zh": "已核查切换演练记录。", "en": "Switch-over drill records were examined."},
        ),
    ),
    (
        "PES-05-a",
        0,
        "partial",
        {"zh": "灭火器已过检验期。", "en": "The fire extinguishers are past their inspection date."},
        ("low", {"zh": "", "en": ""}, {"zh": "", "en": ""}),
    ),
]
EVIDENCE_ITEM = ("ABS-02-a", 2)
EVIDENCE_NAME = "fw-01-policy.txt"
EVIDENCE_TEXT = """# FW-01 policy export (demo)
1  permit  any -> 10.10.2.0/24 tcp/443   portal
2  permit  10.10.2.0/24 -> 10.10.3.21 tcp/3306  app-db
3  deny    any -> any                     default
"""
NOTES: dict[str, Texts] = {
    "partial": {
        "zh": "部分落实，已向运维说明整改要求。",
        "en": "Partly in place; the operators were told what to fix.",
    },
    "noncompliant": {"zh": "未落实。", "en": "Not in place."},
}
NA_REASON: Texts = {"zh": "该资产不涉及此项要求。", "en": "This asset is not concerned by the requirement."}


@dataclass(frozen=True)
class Demo:
    store_dir: Path
    config_dir: Path
    inspection_id: str
    signer: Signer


def default_demo_dir(lang: str | None = None) -> Path:
    """The demo store of a language (``<data dir>/demo/zh`` or ``…/en``): the demo's names, notes and
    identities are written in the language it is built in, so each language keeps its own."""
    import platformdirs

    return Path(platformdirs.user_data_dir(paths.APP, appauthor=False)) / "demo" / (lang or get_lang())


def demo_config_dir() -> Path:
    return paths.config_dir() / "demo"


def demo_signer(lang: str | None = None) -> Signer:
    lang = lang or get_lang()
    return Signer.from_seed(
        DEMO_SEED, _pick(IDENTITY["name"], lang), "inspector", _pick(IDENTITY["org"], lang)
    )


def write_demo_key(signer: Signer, config_dir: Path, passphrase: str = DEMO_PASSPHRASE) -> None:
    """Save the demo key as ``gradesec key new`` would, through the explicit demo path of ``save_key``.

    The demo's passphrase ``demo`` is documented and would fail the passphrase policy; ``policy=False`` is the
    one place that bypasses it (the KDF parameters stay the default ones).
    """
    folder = keys_dir(config_dir)
    if (folder / f"{signer.key_id}.key").exists() or (folder / f"{signer.key_id}.pem").exists():
        return
    save_key(signer, passphrase, config_dir, created=DEMO_START[:19] + "Z", policy=False, make_default=True)


def _numbered() -> Callable[[str], str]:
    counters: dict[str, int] = {}

    def new_id(prefix: str) -> str:
        counters[prefix] = counters.get(prefix, 0) + 1
        return f"{prefix}-demo{counters[prefix]:02d}"

    return new_id


def _choice(item_id: str, asset_id: str) -> str:
    """A plausible result for a pair, decided by a hash: mostly compliant, some partial, a few not."""
    n = hashlib.sha256(f"{item_id}/{asset_id}".encode()).digest()[0] % 20
    if n < 14:
        return "compliant"
    if n < 17:
        return "partial"
    if n < 19:
        return "noncompliant"
    return "na"


def _bucket(item_id: str, asset_id: str) -> float:
    """A stable number in [0, 1) for a pair, to spread the demo's recorded results."""
    return int.from_bytes(hashlib.sha256(f"pick/{item_id}/{asset_id}".encode()).digest()[:4], "big") / 2**32


def plan_size(pairs: int) -> int:
    return pairs // 2 + len(FORCED) + 40


def build_demo(
    store_dir: Path,
    *,
    lang: str | None = None,
    clock: FrozenClock | None = None,
    progress: Callable[[int], None] | None = None,
) -> Demo:
    """Create the demo store in ``store_dir`` (which must not hold a store yet) and return what it holds."""
    from gradesec.usecases import inspections as uc
    from gradesec.usecases import integrity
    from gradesec.usecases.context import open_context

    lang = lang or get_lang()
    advance = progress or (lambda n: None)
    signer = demo_signer(lang)
    clock = clock or FrozenClock(DEMO_START, step=timedelta(seconds=9))
    config = demo_config_dir()
    with open_context(store_dir, signer=signer, create=True, clock=clock, new_id=_numbered()) as ctx:
        unit = uc.add_unit(
            ctx,
            _pick(UNIT["name"], lang),
            code="11440300MB2C00000X",
            region=_pick(UNIT["region"], lang),
            contact=_pick(UNIT["contact"], lang),
        )
        portal = uc.add_system(
            ctx,
            unit.id,
            _pick(PORTAL, lang),
            business="society:serious",
            service="society:serious",
            filing_no="44030099000-20001",
        )
        assets = [
            uc.add_asset(ctx, portal.id, kind, _pick(name, lang), address=address)
            for kind, name, address in PORTAL_ASSETS
        ]
        advance(len(assets) + 2)
        title = {"zh": "2026 年度等级测评", "en": "2026 annual assessment"}
        insp = uc.new_inspection(ctx, portal.id, "mlps-l3", title=_pick(title, lang), category_objects=True)
        # The listed assets first (FORCED names them by index), then the category objects the inspection made.
        listed = {a.id for a in assets}
        objects = assets + [
            a for a in uc.list_assets(ctx, portal.id) if a.id in insp.asset_ids and a.id not in listed
        ]
        _record_half(ctx, insp.id, objects, lang, advance)

        office = uc.add_system(
            ctx, unit.id, _pick(OA, lang), business="citizen:serious", service="society:general"
        )
        oa_assets = [
            uc.add_asset(ctx, office.id, kind, _pick(name, lang), address=address)
            for kind, name, address in OA_ASSETS
        ]
        oa_title = {"zh": "2026 年度自查", "en": "2026 self-inspection"}
        oa = uc.new_inspection(ctx, office.id, "mlps-l2", title=_pick(oa_title, lang), category_objects=True)
        for item in oa.items[:8]:
            for asset in oa_assets:
                if asset.kind in item.objects:
                    uc.record_finding(ctx, oa.id, item.id, asset.id, "compliant")
        # A finished build is a moment worth witnessing: the demo opens with a checkpoint, as a store does
        # after any closing, export or import.
        integrity.checkpoint_now(ctx)
        advance(20)
    return Demo(store_dir, config, insp.id, signer)


def _record_half(
    ctx: Any, inspection_id: str, assets: list[Any], lang: str, advance: Callable[[int], None]
) -> None:
    from gradesec.usecases import inspections as uc

    insp = uc.get_inspection(ctx, inspection_id)
    items = sorted(insp.items, key=lambda i: i.order)
    pairs = [(item.id, a.id) for item in items for a in assets if a.kind in item.objects]
    forced = {
        (item_id, assets[index].id): (result, note, rating) for item_id, index, result, note, rating in FORCED
    }
    # Only the forced issues hang on high-risk cases, so the demo shows a few high risks, not dozens.
    risky = {i for cases in ctx.catalog.high_risk.values() for case in cases.cases for i in case.items}
    # Half done the way inspections go: the technical categories first (in catalog order), then some results in
    # every management category, so each part of the report and the score panel has something to show.
    target = len(pairs) // 2
    first = int(target * 0.7)
    share = (target - first) / max(1, len(pairs) - first)
    rest = [p for p in pairs[first:] if _bucket(*p) < share]
    chosen = pairs[:first] + rest
    for n, (item_id, asset_id) in enumerate(chosen):
        if (item_id, asset_id) in forced:
            continue
        result = _choice(item_id, asset_id)
        if item_id in risky and result in ("partial", "noncompliant"):
            result = "compliant"
        note = _pick(NOTES[result], lang) if result in NOTES else ""
        reason = _pick(NA_REASON, lang) if result == "na" else ""
        uc.record_finding(
            ctx, inspection_id, item_id, asset_id, result, note=note, reason=reason, method="examine"
        )
        # Most issues are rated as the inspector goes; every seventh waits for the user.
        if result in ("partial", "noncompliant") and n % 7:
            uc.rate_issue(ctx, inspection_id, item_id, asset_id, "low" if result == "partial" else "medium")
        advance(1)
    applicable = set(pairs)
    for (item_id, asset_id), (result, forced_note, rating) in forced.items():
        if (item_id, asset_id) not in applicable:
            continue
        uc.record_finding(
            ctx, inspection_id, item_id, asset_id, result, note=_pick(forced_note, lang), method="test"
        )
        if rating is not None:
            risk, comp, why = rating
            uc.rate_issue(
                ctx,
                inspection_id,
                item_id,
                asset_id,
                risk,
                compensation=_pick(comp, lang),
                reason=_pick(why, lang),
            )
        advance(1)
    item_id, index = EVIDENCE_ITEM
    asset_id = assets[index].id
    if (item_id, asset_id) in applicable:
        with tempfile.TemporaryDirectory() as tmp:
            path = Path(tmp) / EVIDENCE_NAME
            path.write_text(EVIDENCE_TEXT, encoding="utf-8")
            evidence_note = {
                "zh": "访问控制策略最小化，默认拒绝。",
                "en": "Least-privilege rules with a default deny.",
            }
            uc.record_finding(
                ctx,
                inspection_id,
                item_id,
                asset_id,
                "compliant",
                note=_pick(evidence_note, lang),
                method="examine",
                evidence=[path],
            )


def is_demo_store(store_dir: Path) -> bool:
    """Whether ``store_dir`` holds a store owned by the demo key (safe to reopen or rebuild)."""
    from gradesec.journal.store import Store

    try:
        with Store.open(store_dir) as store:
            return store.owner == demo_signer("en").key_id
    except GradesecError:
        return False


def main_inspection(store_dir: Path) -> str | None:
    """The demo's level-3 inspection in an existing demo store."""
    from gradesec.usecases import inspections as uc
    from gradesec.usecases.context import open_context

    with open_context(store_dir) as ctx:
        for insp in uc.list_inspections(ctx):
            if insp.level == 3:
                return insp.id
    return None


__all__ = ["DEMO_PASSPHRASE", "Demo", "build_demo", "demo_signer", "is_demo_store", "t"]
