"""Which revision of a result is current: causality, not wall clocks.

Every revision of the result for one item and asset is a signed event. A revision *supersedes* the revisions
its writer saw:

- the ones it names (``supersedes`` of a ``finding.recorded``, ``resolves`` of a reviewer's ruling): the pair's
  current revisions in the writer's store when it was written;
- every earlier revision by the same author (an author's chain is ordered by its sequence numbers, so their
  own earlier results were always in view).

The *heads* are the revisions nobody superseded. One head is the current result. Several heads are
concurrent: people recorded without seeing each other's result. If they say different things the pair is
disputed until someone records or rules with all of them in view; until then scoring takes the most cautious
of them (non-compliant before partial before compliant before n/a), so a disagreement never makes a score look
better. Event times (``at``) only number the revisions for people, among revisions that causality leaves
unordered; they never decide which revision wins, so a wrong clock on a laptop changes nothing.
"""

from __future__ import annotations

import heapq
import itertools
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

# Lower is more cautious: a concurrent "non-compliant" outweighs a concurrent "compliant" while disputed.
_CAUTION = {"noncompliant": 0, "partial": 1, "compliant": 2, "na": 3}
# The result of a retraction (``finding.retracted``): its author takes their result back; it supersedes what it
# saw like any revision, but a retraction is no result: a pair whose heads are all retractions is untested.
RETRACTED = "untested"


@dataclass(frozen=True)
class Revision:
    """What ordering needs of one revision event."""

    hash: str
    author: str
    seq: int
    at: str
    result: str
    supersedes: tuple[str, ...] = ()


@dataclass(frozen=True)
class Ordering:
    numbers: dict[str, int]  # event hash -> revision number, from 1, causes before effects
    heads: tuple[Revision, ...]  # the revisions nobody superseded, by number
    current: Revision | None  # None when every head is a retraction: the pair is untested
    disputed: bool

    @property
    def dispute(self) -> dict[str, str]:
        """``{author: result}`` of the concurrent heads when they disagree, else empty."""
        return {h.author: h.result for h in self.heads if h.result != RETRACTED} if self.disputed else {}


def _predecessors(revisions: Sequence[Revision]) -> dict[str, set[str]]:
    """For each revision, the revisions of this pair it supersedes directly."""
    present = {r.hash for r in revisions}
    preds: dict[str, set[str]] = {r.hash: {h for h in r.supersedes if h in present} for r in revisions}
    by_author: dict[str, list[Revision]] = {}
    for r in revisions:
        by_author.setdefault(r.author, []).append(r)
    for chain in by_author.values():
        chain.sort(key=lambda r: r.seq)
        for earlier, later in itertools.pairwise(chain):
            preds[later.hash].add(earlier.hash)
    return preds


def order(revisions: Iterable[Revision]) -> Ordering:
    """Number the revisions of one pair, find its heads and its current result (needs at least one)."""
    revs = list(revisions)
    if not revs:
        raise ValueError("a pair without revisions has no order")
    by_hash = {r.hash: r for r in revs}
    preds = _predecessors(revs)
    superseded = set().union(*preds.values())
    followers: dict[str, list[str]] = {h: [] for h in by_hash}
    for later, earlier in preds.items():
        for e in earlier:
            followers[e].append(later)
    waiting = {h: len(p) for h, p in preds.items()}
    ready = [(r.at, r.hash) for r in revs if waiting[r.hash] == 0]
    heapq.heapify(ready)
    numbers: dict[str, int] = {}
    while ready:
        _at, h = heapq.heappop(ready)
        numbers[h] = len(numbers) + 1
        for f in followers[h]:
            waiting[f] -= 1
            if waiting[f] == 0:
                heapq.heappush(ready, (by_hash[f].at, f))
    # Signed hashes cannot form a cycle; a damaged store could. Number what is left anyway (verify reports it).
    for r in sorted((r for r in revs if r.hash not in numbers), key=lambda r: (r.at, r.hash)):
        numbers[r.hash] = len(numbers) + 1
    heads = tuple(sorted((r for r in revs if r.hash not in superseded), key=lambda r: numbers[r.hash]))
    if not heads:  # only in a damaged store (see above)
        heads = (max(revs, key=lambda r: numbers[r.hash]),)
    live = [h for h in heads if h.result != RETRACTED]
    current = min(live, key=lambda r: (_CAUTION.get(r.result, len(_CAUTION)), r.hash)) if live else None
    disputed = len({h.result for h in live}) > 1
    return Ordering(numbers, heads, current, disputed)
