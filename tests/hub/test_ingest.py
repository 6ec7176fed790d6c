"""Init and migrations, ingest, trust per unit and per inspection body, bad bundles, re-ingest, hub verify."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import psycopg
import pytest

from gradesec.hub.schema import LATEST, MIGRATIONS
from tests.hub.city import City

Cli = Callable[..., tuple[int, str, str]]


@pytest.fixture
def hub(hub_url: str, cli: Cli) -> Iterator[Any]:
    code, _out, err = cli("hub", "init", "--db", hub_url)
    assert code == 0, err
    with psycopg.connect(hub_url, autocommit=True) as conn:
        yield conn


def _snapshot(conn: Any) -> dict[str, list[str]]:
    tables = [
        r[0]
        for r in conn.execute(
            "SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' ORDER BY 1"
        )
    ]
    return {t: sorted(map(repr, conn.execute(f"SELECT * FROM {t}").fetchall())) for t in tables}


def _trust_all(cli: Cli, url: str, city: City) -> None:
    for args in (
        ("ivan", "--body", "Lab A"),
        ("ina", "--body", "Lab B"),
        ("olga", "--unit", city.unit_a),
    ):
        code, _out, err = cli("hub", "trust", city.keys[args[0]], args[1], args[2], "--db", url)
        assert code == 0, err


def test_init_creates_the_schema_once_and_migrates_idempotently(hub_url: str, cli: Cli) -> None:
    code, out, _ = cli("hub", "init", "--db", hub_url)
    assert code == 0 and f"from version 0 to {LATEST}" in out
    code, out, _ = cli("hub", "init", "--db", hub_url)
    assert code == 0 and f"from version {LATEST} to {LATEST}" in out
    with psycopg.connect(hub_url) as conn:
        assert conn.execute("SELECT version FROM schema_version ORDER BY 1").fetchall() == [
            (n,) for n in range(1, len(MIGRATIONS) + 1)
        ]


def test_commands_need_an_initialised_hub_and_a_url(hub_url: str, cli: Cli, city: City) -> None:
    code, _out, err = cli("hub", "ingest", city.ivan_a, "--db", hub_url)
    assert code == 1 and "hub init" in err
    code, _out, err = cli("hub", "verify")
    assert code == 2 and "GRADESEC_HUB" in err


def test_good_bundles_from_several_parties_are_ingested_and_verify(
    hub: Any, hub_url: str, cli: Cli, city: City
) -> None:
    _trust_all(cli, hub_url, city)
    code, out, err = cli("hub", "ingest", city.ivan_a, city.ina_b, city.olga_a, "--db", hub_url)
    assert code == 0, out + err
    units = hub.execute("SELECT id FROM units ORDER BY id").fetchall()
    assert units == sorted([(city.unit_a,), (city.unit_b,)])
    inspections = hub.execute("SELECT unit_id, status, level FROM inspections ORDER BY unit_id").fetchall()
    assert inspections == sorted([(city.unit_a, "closed", 2), (city.unit_b, "closed", 2)])
    rows = hub.execute("SELECT unit_id, risk, status FROM remediation ORDER BY unit_id, risk").fetchall()
    assert rows == sorted(
        [(city.unit_a, r, "fixed" if r == "high" else "open") for r in ("high", "medium", "low")]
        + [(city.unit_b, r, "open") for r in ("high", "medium", "low")]
    )
    assert hub.execute("SELECT count(*) FROM problems WHERE risk = 'high'").fetchone() == (2,)
    code, out, err = cli("hub", "verify", "--db", hub_url)
    assert code == 0 and "projections equal the replay" in out, out + err


def test_re_ingest_is_a_no_op(hub: Any, hub_url: str, cli: Cli, city: City) -> None:
    _trust_all(cli, hub_url, city)
    assert cli("hub", "ingest", city.ivan_a, city.olga_a, "--db", hub_url)[0] == 0
    before = _snapshot(hub)
    code, out, _ = cli("hub", "ingest", city.olga_a, city.ivan_a, "--db", hub_url)
    assert code == 0 and out.count("nothing new") == 2
    assert _snapshot(hub) == before


def _refused(hub: Any, cli: Cli, url: str, bundle: Path, reason: str) -> None:
    before = _snapshot(hub)
    code, out, _err = cli("hub", "ingest", bundle, "--db", url)
    assert code == 1 and "refused, nothing written" in out and reason in out, out
    assert _snapshot(hub) == before


def test_an_unregistered_author_is_refused(hub: Any, hub_url: str, cli: Cli, city: City) -> None:
    _refused(hub, cli, hub_url, city.ivan_a, "not trusted")


def test_a_tampered_bundle_changes_nothing(
    hub: Any, hub_url: str, cli: Cli, city: City, tmp_path: Path
) -> None:
    _trust_all(cli, hub_url, city)
    data = bytearray(city.ivan_a.read_bytes())
    data[len(data) // 2] ^= 0x01
    bad = tmp_path / "tampered.gsb"
    bad.write_bytes(bytes(data))
    _refused(hub, cli, hub_url, bad, "")


def test_a_unit_key_reports_only_on_its_unit(hub: Any, hub_url: str, cli: Cli, city: City) -> None:
    _trust_all(cli, hub_url, city)
    # The office registers Olga for unit B by mistake: her work on unit A is refused, whole.
    assert cli("hub", "trust", city.keys["olga"], "--unit", city.unit_b, "--db", hub_url)[0] == 0
    assert cli("hub", "ingest", city.ivan_a, "--db", hub_url)[0] == 0
    _refused(hub, cli, hub_url, city.olga_a, f"registered for unit {city.unit_b} only")
    assert cli("hub", "trust", city.keys["olga"], "--unit", city.unit_a, "--db", hub_url)[0] == 0
    assert cli("hub", "ingest", city.olga_a, "--db", hub_url)[0] == 0


def test_an_inspection_body_reports_only_on_what_it_inspected(
    hub: Any, hub_url: str, cli: Cli, city: City
) -> None:
    _trust_all(cli, hub_url, city)
    # Ina's whole store also carries a unit her body never inspected: the bundle is refused, and nothing of
    # it (not even unit B, which she did inspect) is written.
    _refused(hub, cli, hub_url, city.ina_c, "has opened no inspection")
    assert cli("hub", "ingest", city.ina_b, "--db", hub_url)[0] == 0


def test_hub_verify_catches_a_changed_projection_row_and_a_changed_event(
    hub: Any, hub_url: str, cli: Cli, city: City
) -> None:
    _trust_all(cli, hub_url, city)
    assert cli("hub", "ingest", city.ivan_a, city.olga_a, "--db", hub_url)[0] == 0
    hub.execute("UPDATE systems SET level = 4 WHERE name = 'Office system'")
    code, out, _ = cli("hub", "verify", "--db", hub_url)
    assert code == 1 and "projection systems has a row the replay does not" in out
    hub.execute("UPDATE systems SET level = 2 WHERE name = 'Office system'")
    assert cli("hub", "verify", "--db", hub_url)[0] == 0
    hub.execute(
        "UPDATE events SET raw = convert_to(replace(convert_from(raw, 'UTF8'), 'Test Unit', 'Test Unix'), 'UTF8')"
        " WHERE kind = 'unit.created'"
    )
    code, out, _ = cli("hub", "verify", "--db", hub_url)
    assert code == 1 and "its bytes do not match its hash" in out


def test_a_bundle_sealed_to_the_hub_is_opened_with_the_hubs_key_and_verified(
    hub: Any, hub_url: str, cli: Cli, city: City, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The office's key opens a bundle sealed to it; without it, or sealed to someone else, nothing is written."""
    from tests.remedy.conftest import make_signer

    monkeypatch.setenv("GRADESEC_PASSPHRASE", "correct horse battery staple for the city office")
    code, out, err = cli("key", "new", "--name", "City Office", "--role", "lead", "--org", "City")
    assert code == 0, err
    _trust_all(cli, hub_url, city)
    office_key = tmp_path / "office.key.json"
    assert cli("key", "export", "--output", office_key)[0] == 0, "key export"
    sealed = _seal(city, tmp_path, office_key, "sealed-to-hub.gsb")
    assert sealed.read_bytes().startswith(b"age-encryption.org/v1")
    other = tmp_path / "other.key.json"
    from tests.hub.city import write_key

    write_key(make_signer("Someone Else", "lead"), other)
    foreign = _seal(city, tmp_path, other, "sealed-to-other.gsb")
    _refused(hub, cli, hub_url, foreign, "")
    code, out, err = cli("hub", "ingest", sealed, "--db", hub_url)
    assert code == 0, out + err
    assert hub.execute("SELECT count(*) FROM inspections").fetchone() == (1,)


def _seal(city: City, tmp_path: Path, key: Path, name: str) -> Path:
    from gradesec.exchange.sealed import seal_file
    from gradesec.journal.keys import read_public

    out = tmp_path / name
    seal_file(city.ivan_a, out, [read_public(key.read_bytes(), str(key)).public_bytes])
    return out


def test_projections_score_inspections_as_the_store_does_and_track_filings(
    hub: Any, hub_url: str, cli: Cli, city: City
) -> None:
    _trust_all(cli, hub_url, city)
    assert cli("hub", "ingest", city.ivan_a, city.olga_a, "--db", hub_url)[0] == 0
    row = hub.execute("SELECT score, conclusion, first_closed_at FROM inspections").fetchone()
    assert city.score_a is not None
    assert row[0] == pytest.approx(city.score_a) and row[1] == city.conclusion_a and row[2] is not None
    filings = hub.execute(
        "SELECT name, level, filing_no, filing_expires::text FROM systems ORDER BY name"
    ).fetchall()
    # Recorded 2026-11-24: the 备案证明 runs three years; the office system was never filed.
    assert filings == [("Office system", 2, "", None), ("Portal", 3, "11010099001-00001", "2029-11-24")]
    assert hub.execute("SELECT count(*) FROM problems WHERE major").fetchone() == (0,)


def test_init_upgrades_a_hub_left_at_an_older_schema(hub_url: str, cli: Cli) -> None:
    with psycopg.connect(hub_url, autocommit=True) as conn:
        conn.execute("CREATE TABLE schema_version (version integer PRIMARY KEY)")
        conn.execute(MIGRATIONS[0])
        conn.execute("INSERT INTO schema_version VALUES (1)")
    code, _out, err = cli("hub", "verify", "--db", hub_url)
    assert code == 1 and f"schema version 1; this gradesec needs {LATEST}" in err
    code, out, _ = cli("hub", "init", "--db", hub_url)
    assert code == 0 and f"from version 1 to {LATEST}" in out
    with psycopg.connect(hub_url) as conn:
        columns = {
            r[0]
            for r in conn.execute(
                "SELECT column_name FROM information_schema.columns WHERE table_name = 'systems'"
            )
        }
    assert {"filing_expires", "extensions"} <= columns
    assert cli("hub", "verify", "--db", hub_url)[0] == 0


def test_projections_do_not_depend_on_the_batch_size(
    hub: Any, hub_url: str, cli: Cli, city: City, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Ingest in batches of 3 events (inspections close, are re-tested and score across batch boundaries);
    hub verify replays everything in batches of 5,000 and finds the same tables."""
    import gradesec.hub.ingest

    monkeypatch.setattr(gradesec.hub.ingest, "BATCH", 3)
    for args in (("lena", "--unit", city.unit_a),):
        assert cli("hub", "trust", city.keys[args[0]], args[1], args[2], "--db", hub_url)[0] == 0
    _trust_all(cli, hub_url, city)
    code, out, err = cli("hub", "ingest", city.ivan_a, city.olga_a, city.ina_b, city.lena_a, "--db", hub_url)
    assert code == 0, out + err
    assert hub.execute("SELECT count(*) FROM inspections WHERE score IS NOT NULL").fetchone() == (2,)
    assert hub.execute("SELECT count(*) FROM drills WHERE score IS NOT NULL").fetchone() == (1,)
    code, out, err = cli("hub", "verify", "--db", hub_url)
    assert code == 0 and "projections equal the replay" in out, out + err
