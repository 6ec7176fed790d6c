"""Suite-wide fixtures: English messages and private config/store dirs, so no test touches the user's."""

from __future__ import annotations

import traceback
from collections.abc import Iterator
from pathlib import Path

import pytest

from gradesec.journal import clock as clocks
from gradesec.journal.clock import FrozenClock

# After the demo's events (it starts at 2026-11-24T01:30Z), so the demo's own author writes on in order.
TEST_START = "2026-11-25T02:00:00.000Z"


@pytest.fixture
def clock() -> FrozenClock:
    """The test's clock (a folder's conftest may start it elsewhere by defining its own ``clock``)."""
    return FrozenClock(TEST_START)


@pytest.fixture(autouse=True)
def _one_clock(clock: FrozenClock) -> Iterator[None]:
    """The one clock of a test: every store, context and app given no clock of its own reads ``clock``.

    The machine's clock is never read while it is installed; a test that does (a real-time read somewhere in
    the code under test, or ``system_clock`` passed in by hand) fails with the place it was read from, since a
    result signed with today's date next to a frozen 2026-11-25 is a test that breaks on a later day.
    """
    reads: list[str] = []

    def observe() -> None:
        reads.append("".join(traceback.format_stack(limit=8)[:-2]))

    clocks.install_default(clock)
    clocks.watch_real_time(observe)
    try:
        yield
    finally:
        clocks.watch_real_time(None)
        clocks.install_default(None)
    if reads:
        pytest.fail(
            f"the real clock was read {len(reads)} time(s) while the test's frozen clock was in use; "
            f"pass the test's clock instead. First read:\n{reads[0]}"
        )


@pytest.fixture(autouse=True)
def _isolated_user_dirs(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> None:
    from gradesec import i18n

    home = tmp_path_factory.mktemp("home")
    monkeypatch.setenv("GRADESEC_CONFIG", str(home / "config"))
    monkeypatch.setenv("GRADESEC_STORE", str(home / "store"))
    monkeypatch.setenv("GRADESEC_CACHE", str(home / "cache"))
    monkeypatch.setenv("GRADESEC_LANG", "en")
    monkeypatch.delenv("GRADESEC_CATALOG", raising=False)
    monkeypatch.delenv("GRADESEC_PASSPHRASE", raising=False)  # a test that wants one sets it
    i18n.set_lang("en")


@pytest.fixture(autouse=True)
def _fast_key_derivation() -> Iterator[None]:
    """Key files in tests use small Argon2id parameters, through the explicit hook (the default stays)."""
    from gradesec.journal import keyfile

    with keyfile.use_test_kdf():
        yield


@pytest.fixture
def cli(capsys: pytest.CaptureFixture[str]):  # type: ignore[no-untyped-def]
    """Run the command line in-process: ``cli(*args) -> (exit_code, stdout, stderr)``."""
    from gradesec.cli import run

    def invoke(*args: str | Path) -> tuple[int, str, str]:
        capsys.readouterr()
        code = run([str(a) for a in args])
        out, err = capsys.readouterr()
        return code, out, err

    return invoke
