"""Local times: one helper turns the journal's UTC moments into the machine's local time with its offset; the
command line and the PDFs use it (checked with TZ set for the process, through time.tzset)."""

from __future__ import annotations

import os
import subprocess
import time
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from gradesec.localtime import local_date, local_time, offset_label


@pytest.fixture
def shanghai() -> Iterator[None]:
    """The process's time zone set to Asia/Shanghai (TZ + tzset), restored afterwards."""
    old = os.environ.get("TZ")
    os.environ["TZ"] = "Asia/Shanghai"
    time.tzset()
    try:
        yield
    finally:
        if old is None:
            os.environ.pop("TZ", None)
        else:
            os.environ["TZ"] = old
        time.tzset()


def test_the_helper_with_an_injected_zone() -> None:
    assert local_time("2026-12-02T02:05:00.000Z", ZoneInfo("Asia/Shanghai")) == "2026-12-02 10:05 (UTC+08:00)"
    assert (
        local_time("2026-12-02T02:05:09Z", ZoneInfo("UTC"), seconds=True) == "2026-12-02 02:05:09 (UTC+00:00)"
    )
    assert local_time("2026-07-01T12:00:00Z", ZoneInfo("America/St_Johns")).endswith("(UTC-02:30)")
    # the local day can differ from the UTC day
    assert local_date("2026-12-01T20:00:00.000Z", ZoneInfo("Asia/Shanghai")) == "2026-12-02"
    # a date alone and an empty field are shown as they are (a date has no zone)
    assert local_time("2026-12-02") == "2026-12-02"
    assert local_time("") == ""
    assert local_time(datetime(2026, 12, 2, 2, 5, tzinfo=UTC), ZoneInfo("Asia/Shanghai")).startswith(
        "2026-12-02 10:05"
    )
    assert offset_label(None) == "UTC+00:00"


def test_the_machine_zone_is_used_when_none_is_given(shanghai: None) -> None:
    assert local_time("2026-12-02T02:05:00.000Z") == "2026-12-02 10:05 (UTC+08:00)"


def test_cli_and_pdf_show_local_times(shanghai: None, cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    """The remediation log on the command line and the after-action report's start time, in Shanghai time."""
    from gradesec.catalog.loader import load_catalog
    from gradesec.journal import FrozenClock
    from gradesec.report.aar import build_aar
    from gradesec.usecases import drills, remediation
    from gradesec.usecases.context import open_context
    from tests.remedy.conftest import inspect, make_signer

    catalog = load_catalog()
    signer = make_signer("Inspector Ivan", "inspector")
    store = tmp_path / "store"
    with open_context(
        store, signer=signer, create=True, catalog=catalog, clock=FrozenClock("2026-11-24T09:00:00.000Z")
    ) as ctx:
        field = inspect(ctx, catalog, tmp_path)
        item = remediation.list_items(ctx, remediation.Filters(inspection=field.inspection))[0]
    code, out, err = cli("--store", store, "remedy", "show", item.id)
    assert code == 0, err
    assert "2026-11-24 17:00 (UTC+08:00)" in out  # planned at 09:00 UTC
    assert "T09:00" not in out

    lead = make_signer("Lead Lin", "lead")
    with open_context(
        tmp_path / "drill",
        signer=lead,
        create=True,
        catalog=catalog,
        clock=FrozenClock("2026-11-24T01:30:00.000Z"),
    ) as ctx:
        scenario = drills.scenarios(ctx.catalog)[0].id
        drill_id = drills.start_drill(ctx, scenario)
        data = drills.report_data(ctx.store, ctx.catalog, drill_id)
        pdf = tmp_path / "aar.pdf"
        build_aar(data, pdf, "en", invariant=True)
    text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    assert "2026-11-24 09:30 (UTC+08:00)" in " ".join(text.split())
