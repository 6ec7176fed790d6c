"""Fixtures for the report tests: a small catalog with the shipped report templates, a real signed store
with a closed level-3 inspection, and helpers that read PDFs back with poppler's tools."""

from __future__ import annotations

import hashlib
import itertools
import subprocess
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from gradesec import paths
from gradesec.catalog.loader import Catalog, load_catalog
from gradesec.journal import FrozenClock, Signer
from gradesec.usecases import inspections as uc
from gradesec.usecases.context import Context, open_context

FIXTURE = Path(__file__).parent / "fixtures" / "cat"
EVIDENCE_TEXT = b"PermitRootLogin yes\nPasswordAuthentication yes\n"
EVIDENCE_SHA = hashlib.sha256(EVIDENCE_TEXT).hexdigest()


def make_signer(name: str, role: str = "inspector") -> Signer:
    return Signer.from_seed(hashlib.sha256(name.encode()).digest(), name, role, "某测评中心")


def counting_ids() -> Callable[[str], str]:
    counters: dict[str, itertools.count[int]] = {}

    def new_id(prefix: str) -> str:
        return f"{prefix}-{next(counters.setdefault(prefix, itertools.count(1))):04d}"

    return new_id


def pdf_text(path: Path) -> str:
    return subprocess.run(
        ["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True, check=True
    ).stdout


def pdf_pages(path: Path) -> int:
    out = subprocess.run(["pdfinfo", str(path)], capture_output=True, text=True, check=True).stdout
    return int(next(line.split()[-1] for line in out.splitlines() if line.startswith("Pages:")))


def pdf_fonts(path: Path) -> str:
    return subprocess.run(["pdffonts", str(path)], capture_output=True, text=True, check=True).stdout


@pytest.fixture(scope="session")
def catalog() -> Catalog:
    # The shipped object-kind vocabulary and report templates, plus a small checklist of our own.
    shipped_kinds = paths.shipped_data_dir("checklists") / "object-kinds.yaml"
    return load_catalog(layers=[[FIXTURE, shipped_kinds, paths.shipped_data_dir("reports")]])


@dataclass
class Sample:
    ctx: Context
    inspection: str
    system: str
    assets: dict[str, str]  # short name -> asset id
    store_dir: Path


def open_ctx(store_dir: Path, catalog: Catalog, signer: Signer, *, create: bool = False) -> Context:
    return open_context(
        store_dir,
        signer=signer,
        create=create,
        catalog=catalog,
        clock=FrozenClock("2026-11-24T01:30:00.000Z"),
        new_id=counting_ids(),
    )


def build_sample(
    store_dir: Path, catalog: Catalog, *, close: bool = True, signer: Signer | None = None
) -> Sample:
    """A closed level-3 inspection: three assets, results of every kind, one evidence file, a rated issue."""
    ctx = open_ctx(store_dir, catalog, signer or make_signer("张测评"), create=True)
    unit = uc.add_unit(ctx, "某市大数据中心")
    system = uc.add_system(
        ctx,
        unit.id,
        "政务服务平台",
        level=3,
        filing_no="11010099999-20001",
        description="面向市民提供在线办事服务的平台，部署于市政务云，包括门户网站、统一身份认证和数据交换。",
    )
    web = uc.add_asset(ctx, system.id, "server", "Web服务器01", address="10.1.1.10", role="门户网站")
    switch = uc.add_asset(ctx, system.id, "network_device", "核心交换机", address="10.1.0.1", role="核心交换")
    docs = uc.add_asset(ctx, system.id, "docs", "安全管理制度文件", role="制度")
    insp = uc.new_inspection(ctx, system.id, "r-l3", title="2026年度等级测评")
    evidence = store_dir.parent / "sshd_config.txt"
    evidence.write_bytes(EVIDENCE_TEXT)
    record = uc.record_finding
    record(
        ctx,
        insp.id,
        "TCE-01-a",
        web.id,
        "noncompliant",
        note="存在弱口令账户 admin，口令为 admin123。",
        evidence=[evidence],
    )
    record(ctx, insp.id, "TCE-01-a", switch.id, "compliant", note="已配置口令复杂度策略，90天更换。")
    record(ctx, insp.id, "TCE-01-b", web.id, "partial", note="仅管理后台启用了短信验证码。")
    record(ctx, insp.id, "TCE-02-a", web.id, "compliant", note="已启用 auditd 并外发至日志服务器。")
    record(ctx, insp.id, "TCE-02-a", switch.id, "partial", note="仅记录登录事件，未记录配置变更。")
    record(ctx, insp.id, "TMG-01-a", docs.id, "compliant", note="《网络安全总体方针》2025版。")
    record(
        ctx, insp.id, "TMG-01-b", docs.id, "na", reason="制度已并入总体方针。", note="制度已并入总体方针。"
    )
    uc.rate_issue(ctx, insp.id, "TCE-02-a", switch.id, "medium")
    if close:
        uc.close_inspection(ctx, insp.id)
    assets = {"web": web.id, "switch": switch.id, "docs": docs.id}
    return Sample(ctx, insp.id, system.id, assets, store_dir)


@pytest.fixture(scope="session")
def sample_dir(tmp_path_factory: pytest.TempPathFactory, catalog: Catalog) -> Path:
    """A store with the sample inspection, built once; tests open it read-only or copy it."""
    root = tmp_path_factory.mktemp("sample")
    build_sample(root / "store", catalog).ctx.close()
    return root / "store"


@pytest.fixture
def sample(sample_dir: Path, catalog: Catalog) -> Iterator[Sample]:
    """The shared sample store, opened for reading (tests that write use ``fresh`` instead)."""
    ctx = open_ctx(sample_dir, catalog, make_signer("张测评"))
    insp = uc.list_inspections(ctx)[0]
    assets = {a.name: a.id for a in uc.list_assets(ctx)}
    yield Sample(ctx, insp.id, insp.system_id, assets, sample_dir)
    ctx.close()


@pytest.fixture
def fresh(tmp_path: Path, catalog: Catalog) -> Iterator[Sample]:
    """A private copy of the sample with the inspection still open, for tests that write."""
    s = build_sample(tmp_path / "store", catalog, close=False)
    yield s
    s.ctx.close()
