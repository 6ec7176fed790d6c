"""Two people's stores that exchange their work by real signed bundles, as on site.

Disagreements only arise between people who recorded without seeing each other's result, so tests that need
one build it the way it happens: two stores, results recorded in each, a bundle carried across.
"""

from __future__ import annotations

import itertools
from pathlib import Path

from gradesec.journal import Signer
from gradesec.usecases import bundles
from gradesec.usecases.context import Context, open_context

_names = itertools.count(1)


def hand_over(src: Context, dst: Context, folder: Path) -> None:
    """Carry everything ``src``'s store holds to ``dst``'s in a bundle; ``dst`` trusts the authors in it."""
    path = folder / f"handover-{next(_names)}.gsb"
    bundles.export(src, path)
    known = {k.key_id for k in dst.store.trusted_keys()}
    authors = {k.key_id for k in src.store.trusted_keys() if src.store.head(k.key_id)[0] > 0}
    bundles.import_(dst, path, trust=sorted(authors - known))


def second_store(src: Context, root: Path, signer: Signer, folder: Path) -> Context:
    """A colleague's store, created on their machine and filled with everything ``src`` holds."""
    other = open_context(root, signer=signer, create=True, catalog=src.catalog)
    hand_over(src, other, folder)
    return other
