"""A scripted drill: the teams and a list of timed actions, run without the TUI (rehearsals, tests, demos).

```yaml
scenario: portal-defacement
speed: 1                 # optional, recorded with the drill
auto_release: true       # release injects on schedule as the script's time passes (default true)
teams:
  - {id: command, name: 指挥组, roles: [lead], participants: [{name: 王伟, org: 办公室}]}
actions:
  - {at: "00:00", do: release, inject: I1}
  - {at: "04:30", do: observe, kind: action, team: command, inject: I1, text: 启动预案}
  - {at: 6, do: mark, expectation: I1-E1, status: met, note: 及时}
  - {at: 20, do: pause}
  - {at: 20, do: resume}
  - {at: 95, do: improve, title: {zh: …, en: …}, risk: high, links: [MMS-13]}
  - {at: 120, do: close}
```
``at`` is drill time: minutes as a number, or ``mm:ss`` / ``h:mm:ss``. Actions run in the order written and
their times may not go back.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any, Literal

from pydantic import Field, ValidationError, field_validator, model_validator

from gradesec.catalog.models import Id, Strict, Text
from gradesec.drill.clock import parse_elapsed
from gradesec.drill.model import MarkStatus, ObservationKind, Risk
from gradesec.errors import UsageError
from gradesec.i18n import t


class ScriptParticipant(Strict):
    name: Annotated[str, Field(min_length=1, max_length=200)]
    org: str = ""
    role: str = ""


class ScriptTeam(Strict):
    id: Id
    name: Annotated[str, Field(min_length=1, max_length=200)]
    roles: Annotated[list[Id], Field(min_length=1)]
    participants: list[ScriptParticipant] = Field(default_factory=list)


class Action(Strict):
    at: str | float
    do: Literal["release", "mark", "observe", "pause", "resume", "speed", "improve", "close"]
    inject: Id | None = None
    expectation: Id | None = None
    status: MarkStatus | None = None
    note: str = ""
    kind: ObservationKind | None = None
    team: Id | None = None
    text: str | None = None
    speed: Annotated[float, Field(gt=0, le=100)] | None = None
    title: Text | None = None
    risk: Risk | None = None
    links: list[Id] = Field(default_factory=list)
    owner: str | None = None

    @field_validator("at")
    @classmethod
    def _time(cls, value: str | float) -> str | float:
        parse_elapsed(value)
        return value

    @property
    def elapsed_ms(self) -> int:
        return parse_elapsed(self.at)

    @model_validator(mode="after")
    def _fields_for_action(self) -> Action:
        need: dict[str, tuple[str, ...]] = {
            "release": ("inject",),
            "mark": ("expectation", "status"),
            "observe": ("kind", "text"),
            "speed": ("speed",),
            "improve": ("title", "risk"),
        }
        missing = [f for f in need.get(self.do, ()) if getattr(self, f) is None]
        if missing:
            raise ValueError(f"'{self.do}' needs {', '.join(missing)}")
        return self


class Script(Strict):
    scenario: Id
    drill: Id | None = None
    title: str | None = None
    speed: Annotated[float, Field(gt=0, le=100)] = 1.0
    auto_release: bool = True
    close: bool = True
    teams: list[ScriptTeam] = Field(default_factory=list)
    actions: list[Action] = Field(default_factory=list)

    @model_validator(mode="after")
    def _ordered(self) -> Script:
        last = 0
        for i, action in enumerate(self.actions):
            if action.elapsed_ms < last:
                raise ValueError(f"actions[{i}]: time {action.at} goes back")
            last = action.elapsed_ms
        return self


def parse_script(data: Any, origin: str) -> Script:
    """Validate script data (from YAML or JSON); errors name the place in the script."""
    try:
        return Script.model_validate(data)
    except ValidationError as exc:
        lines = []
        for err in exc.errors():
            where = ".".join(str(p) for p in err["loc"]) or "/"
            lines.append(f"{origin}: {where}: {str(err['msg']).removeprefix('Value error, ')}")
        raise UsageError(
            t("drill.script.invalid", file=origin, detail="; ".join(lines)), t("drill.script.invalid.hint")
        ) from None


def load_script(path: Path) -> Script:
    """Read a script file (YAML or JSON, JSON being YAML) with ``safe_load``."""
    import yaml

    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise UsageError(
            t("drill.script.unreadable", file=str(path), detail=exc.strerror or str(exc)),
            t("drill.script.invalid.hint"),
        ) from None
    except (yaml.YAMLError, UnicodeDecodeError) as exc:
        raise UsageError(
            t("drill.script.invalid", file=str(path), detail=str(exc).splitlines()[0]),
            t("drill.script.invalid.hint"),
        ) from None
    return parse_script(data, str(path))
