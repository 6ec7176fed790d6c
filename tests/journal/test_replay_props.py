"""Property tests: whatever events are appended, a replay of the journal reaches exactly the live state, and
the latest-wins projections reach the same state whatever order chains are merged in."""

from __future__ import annotations

import sqlite3
import tempfile
from pathlib import Path
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from gradesec.journal import FrozenClock, Store
from gradesec.state.base import state_schema
from tests.journal.conftest import make_signer

SIGNERS = [
    make_signer(n, r)
    for n, r in (("Owner Olga", "officer"), ("Inspector Ivan", "inspector"), ("Rita", "reviewer"))
]

texts = st.text(alphabet=st.characters(codec="utf-8", exclude_categories=["Cs"]), max_size=12)
op = st.one_of(
    st.tuples(
        st.just("test.note.set"), st.fixed_dictionaries({"id": st.sampled_from("abcde"), "text": texts})
    ),
    st.tuples(st.just("test.note.cleared"), st.fixed_dictionaries({"id": st.sampled_from("abcde")})),
    st.tuples(st.just("test.count"), st.fixed_dictionaries({"n": st.integers(-(2**40), 2**40)})),
)
step = st.tuples(st.integers(0, len(SIGNERS) - 1), st.lists(op, min_size=1, max_size=3))


def _dump(db: sqlite3.Connection) -> dict[str, list[tuple[object, ...]]]:
    return {
        name: sorted(db.execute(f'SELECT * FROM "{name}"').fetchall(), key=repr)
        for name in state_schema().tables
    }


def _new_store(root: Path) -> Store:
    owner = SIGNERS[0]
    store = Store.create(root, owner, clock=FrozenClock())
    for other in SIGNERS[1:]:
        store.trust(owner, other.public_bytes, other.identity)
    return store


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(step, max_size=25))
def test_random_sequences_replay_to_identical_state(
    steps: list[tuple[int, list[tuple[str, dict[str, Any]]]]],
) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        store = _new_store(Path(tmp) / "s")
        for who, ops in steps:
            store.append_many(SIGNERS[who], ops)
        report = store.verify(workers=1)
        assert report.ok, [p.line() for p in report.problems]
        live = _dump(store.connection)
        store.rebuild_state()
        assert _dump(store.connection) == live
        store.close()


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(step, min_size=1, max_size=15), st.randoms(use_true_random=False))
def test_merge_order_does_not_matter(steps: list[tuple[int, list[tuple[str, dict[str, Any]]]]], rnd) -> None:  # type: ignore[no-untyped-def]
    """Two people's chains imported into a third store in either order give the same notes and counters."""
    with tempfile.TemporaryDirectory() as tmp:
        base = Path(tmp)
        clock = FrozenClock()
        sources = [Store.create(base / f"src{i}", SIGNERS[i + 1], clock=clock) for i in range(2)]
        for who, ops in steps:
            sources[who % 2].append_many(SIGNERS[who % 2 + 1], ops)
        chains = [[e.stored() for e in s.events()] for s in sources]
        dumps = []
        for order in ([0, 1], [1, 0]):
            target = _new_store(base / f"t{order[0]}")
            for i in order:
                target.import_events(chains[i])
            assert target.verify(workers=1).ok
            dumps.append({k: v for k, v in _dump(target.connection).items() if k.startswith("test_")})
            target.close()
        for s in sources:
            s.close()
        assert dumps[0] == dumps[1]
