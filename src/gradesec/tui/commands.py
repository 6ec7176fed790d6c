"""The command palette: every action of the current screen and the app, in the current language.

Actions come from the bindings (so the palette, the footer and the help screen never disagree) plus the
feature screens of ``registry.SCREENS``. A hit shows the key that also runs it.
"""

from __future__ import annotations

from collections.abc import Iterator
from functools import partial

from textual.binding import Binding
from textual.command import DiscoveryHit, Hit, Hits, Provider
from textual.dom import DOMNode

from gradesec.i18n import t


def bindings_of(screen: DOMNode) -> Iterator[tuple[DOMNode, Binding]]:
    """Each binding with an id defined on ``screen``, its widgets and the app, once per id."""
    seen: set[str] = set()
    nodes: list[DOMNode] = [screen, *screen.walk_children(with_self=False), screen.app]
    for node in nodes:
        for _key, binding in node._bindings:
            if binding.id is None or binding.id in seen:
                continue
            seen.add(binding.id)
            yield node, binding


def runnable(node: DOMNode, binding: Binding) -> bool:
    action = binding.action.split("(", 1)[0]
    checked = node.check_action(action, ())
    return checked is True


class ActionsProvider(Provider):
    def _commands(self) -> list[tuple[str, str, DOMNode, str]]:
        screen = self.screen
        target = getattr(screen, "palette_target", None)
        if callable(target):
            screen = target()
        out: list[tuple[str, str, DOMNode, str]] = []
        for node, binding in bindings_of(screen):
            if binding.action in ("command_palette", "app.command_palette"):
                continue
            if not runnable(node, binding):
                continue
            title = t(binding.description) if binding.description else binding.action
            out.append((title, self.app.get_key_display(binding), node, binding.action))
        return out

    async def discover(self) -> Hits:
        for title, key, node, action in self._commands():
            yield DiscoveryHit(title, partial(self._run, node, action), help=key)

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        for title, key, node, action in self._commands():
            score = matcher.match(f"{title} {action}")
            if score > 0:
                yield Hit(score, matcher.highlight(title), partial(self._run, node, action), help=key)

    async def _run(self, node: DOMNode, action: str) -> None:
        await self.app.run_action(action, node)
