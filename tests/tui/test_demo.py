"""``gradesec demo``: what it builds, that it reopens its own store, and that it leaves other stores alone."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

from gradesec.demo import demo_config_dir, demo_signer
from gradesec.journal.keys import load_signer
from gradesec.usecases import inspections as uc
from gradesec.usecases.context import open_context

Cli = Callable[..., tuple[int, str, str]]


def test_demo_builds_a_half_done_level_3_inspection_and_a_level_2_system(cli: Cli, tmp_path: Path) -> None:
    store = tmp_path / "demo"
    code, out, err = cli("--json", "demo", "--store", store, "--no-tui")
    assert code == 0, err
    info = json.loads(out)
    assert info["built"] is True
    with open_context(store) as ctx:
        systems = sorted(uc.list_systems(ctx), key=lambda s: s.level)
        assert [s.level for s in systems] == [2, 3]
        assert len(uc.list_assets(ctx, systems[1].id)) >= 12
        result = uc.score(ctx, info["inspection"])
    assert result.progress is not None and 0.45 <= result.progress.ratio <= 0.55
    assert result.issues["high"] in range(1, 6)
    # The demo key is saved with the documented passphrase, so the CLI can sign as the demo inspector.
    assert load_signer("demo", config_dir=demo_config_dir()).key_id == demo_signer("en").key_id


def test_demo_reopens_its_store_and_refuses_a_foreign_one(cli: Cli, tmp_path: Path) -> None:
    store = tmp_path / "demo"
    assert cli("demo", "--store", store, "--no-tui")[0] == 0
    code, out, _err = cli("--json", "demo", "--store", store, "--no-tui")
    assert code == 0 and json.loads(out)["built"] is False
    from gradesec.journal.keys import Signer

    other = tmp_path / "mine"
    with open_context(other, signer=Signer.from_seed(b"\x05" * 32, "Someone"), create=True):
        pass
    code, _out, err = cli("demo", "--store", other, "--no-tui")
    assert code == 1 and "not the demo" in err
