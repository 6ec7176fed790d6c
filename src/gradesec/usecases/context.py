"""What every use case runs against: a store, the catalog, the signer writing events, and a clock."""

from __future__ import annotations

import functools
import secrets
from collections.abc import Callable
from pathlib import Path
from types import TracebackType
from typing import TYPE_CHECKING, Concatenate, ParamSpec, TypeVar

from gradesec.errors import KeyError_
from gradesec.i18n import t

if TYPE_CHECKING:
    from gradesec.catalog.loader import Catalog
    from gradesec.journal.clock import Clock
    from gradesec.journal.keys import Signer
    from gradesec.journal.store import Store


P = ParamSpec("P")
R = TypeVar("R")


def one_transaction(action: Callable[Concatenate[Context, P], R]) -> Callable[Concatenate[Context, P], R]:
    """Run a use case as one store transaction (``Store.transaction()``): its checks read what it sees, and
    every event it writes — with the evidence it copies — is committed together or not at all. Called inside
    another one it joins it."""

    @functools.wraps(action)
    def run(ctx: Context, /, *args: P.args, **kwargs: P.kwargs) -> R:
        with ctx.store.transaction():
            return action(ctx, *args, **kwargs)

    return run


def random_id(prefix: str) -> str:
    """A short id that stays unique when several people's stores merge (32 random bits per prefix)."""
    return f"{prefix}-{secrets.token_hex(4)}"


class Context:
    """A store opened for use cases.

    ``catalog`` is loaded on first use when none was given (reads such as ``unit list`` never need it).
    ``signer`` is required for writes: reading it without one raises a clear ``KeyError_``. ``new_id`` makes
    ids for new units, systems, assets and inspections (tests pass a deterministic one).
    """

    def __init__(
        self,
        store: Store,
        catalog: Catalog | None,
        signer: Signer | None,
        clock: Clock | None = None,
        *,
        new_id: Callable[[str], str] = random_id,
        catalog_loader: Callable[[], Catalog] | None = None,
    ) -> None:
        self.store = store
        self._catalog = catalog
        self._signer = signer
        self.clock: Clock = clock or store.clock
        self.new_id = new_id
        self._catalog_loader = catalog_loader

    @property
    def catalog(self) -> Catalog:
        if self._catalog is None:
            if self._catalog_loader is not None:
                self._catalog = self._catalog_loader()
            else:
                from gradesec.catalog.loader import load_catalog

                self._catalog = load_catalog()
        return self._catalog

    @property
    def signer(self) -> Signer:
        if self._signer is None:
            raise KeyError_(t("assess.error.no_signer"), t("assess.error.no_signer.hint"))
        return self._signer

    @property
    def has_signer(self) -> bool:
        return self._signer is not None

    def with_signer(self, signer: Signer) -> Context:
        """The same store and catalog, writing as ``signer``."""
        return Context(
            self.store,
            self._catalog,
            signer,
            self.clock,
            new_id=self.new_id,
            catalog_loader=self._catalog_loader,
        )

    def close(self) -> None:
        self.store.close()

    def __enter__(self) -> Context:
        return self

    def __exit__(
        self, et: type[BaseException] | None, ev: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.close()


def open_context(
    store_dir: Path | str,
    *,
    signer: Signer | None = None,
    create: bool = False,
    catalog: Catalog | None = None,
    clock: Clock | None = None,
    new_id: Callable[[str], str] = random_id,
    catalog_loader: Callable[[], Catalog] | None = None,
) -> Context:
    """Open the store at ``store_dir``; with ``create``, make it first if it does not exist (owned by ``signer``)."""
    from gradesec.journal.store import DB_NAME, Store

    root = Path(store_dir)
    if create and not (root / DB_NAME).exists():
        if signer is None:
            raise KeyError_(t("assess.error.no_signer"), t("assess.error.no_signer.hint"))
        store = Store.create(root, signer, clock=clock)
    else:
        store = Store.open(root, clock=clock)
    return Context(store, catalog, signer, clock, new_id=new_id, catalog_loader=catalog_loader)
