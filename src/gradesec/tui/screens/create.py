"""The forms that create units, systems (with the level-determination helper), assets and inspections (with
the extension sets), and the forms that correct units and systems."""

from __future__ import annotations

from typing import TYPE_CHECKING

from gradesec.catalog.grading import DEGREES, OBJECTS, grade
from gradesec.catalog.models import CLOUD_SIDES, EXTENSIONS
from gradesec.i18n import get_lang, t
from gradesec.tui.screens.form import Field, FormModal

if TYPE_CHECKING:
    from gradesec.assess.model import System, Unit
    from gradesec.catalog.loader import Catalog


def unit_form() -> FormModal:
    return FormModal(
        "tui.create.unit",
        [
            Field("name", "tui.unit.name", required=True),
            Field("code", "tui.unit.code"),
            Field("region", "tui.unit.region"),
            Field("contact", "tui.unit.contact"),
        ],
        submit="tui.button.create",
    )


def _harms() -> list[tuple[str, str]]:
    return [
        (f"{t(f'grade.object.{o}')} · {t(f'grade.degree.{d}')}", f"{o}:{d}") for o in OBJECTS for d in DEGREES
    ]


def _yes_no() -> list[tuple[str, str]]:
    return [(t("system.tui.no"), "no"), (t("system.tui.yes"), "yes")]


def _levels() -> list[tuple[str, str]]:
    return [(t(f"grade.level.{n}"), str(n)) for n in (1, 2, 3, 4)]


class SystemForm(FormModal):
    """A system: name and level, the level given directly or worked out from the two harms (GB/T 22240)."""

    def __init__(self, unit_name: str) -> None:
        super().__init__(
            "tui.create.system",
            [
                Field("name", "tui.system.name", required=True),
                Field("business", "tui.system.business", "select", options=_harms),
                Field("service", "tui.system.service", "select", options=_harms),
                Field("level", "tui.system.level", "select", options=_levels),
                Field("filing_no", "tui.system.filing_no"),
                Field(
                    "business_continuity",
                    "system.tui.business_continuity",
                    "select",
                    options=_yes_no,
                    value="no",
                ),
                Field(
                    "critical_industry", "system.tui.critical_industry", "select", options=_yes_no, value="no"
                ),
            ],
            submit="tui.button.create",
            unit=unit_name,
        )

    def changed(self, values: dict[str, str]) -> None:
        if values["business"] and values["service"]:
            graded = grade(values["business"], values["service"])
            self.set_hint("\n".join(graded.explain(get_lang())))
        else:
            self.set_hint(t("tui.system.grading_hint"))

    def check(self, values: dict[str, str]) -> str | None:
        problem = super().check(values)
        if problem is not None:
            return problem
        graded = values["business"] and values["service"]
        if not graded and not values["level"]:
            return "tui.system.need_level"
        if (
            graded
            and values["level"]
            and int(values["level"]) != grade(values["business"], values["service"]).level
        ):
            return "tui.system.level_differs"
        return None


def asset_form(catalog: Catalog, system_name: str) -> FormModal:
    def kinds() -> list[tuple[str, str]]:
        return [(k.name.get(get_lang()), k.id) for k in catalog.object_kinds.values()]

    return FormModal(
        "tui.create.asset",
        [
            Field("kind", "tui.asset.kind", "select", options=kinds, required=True),
            Field("name", "tui.asset.name", required=True),
            Field("address", "tui.asset.address"),
            Field("role", "tui.asset.role"),
        ],
        submit="tui.button.create",
        system=system_name,
    )


class InspectionForm(FormModal):
    """An inspection: the profile, the extension sets shipped at the system's level (cloud with its side,
    mobile, IoT, ICS, big data), the scoring policy and a title. The profile chosen is the composed one
    (``mlps-l3+cloud-customer+iot``), named in the hint as it is chosen; see ``composed_profile``."""

    def __init__(self, catalog: Catalog, system: System) -> None:
        self.catalog = catalog
        matching = [p for p in catalog.profiles.values() if p.level == system.level]
        candidates = matching or list(catalog.profiles.values())
        first = candidates[0] if candidates else None

        def profiles() -> list[tuple[str, str]]:
            return [(f"{p.title.get(get_lang())} ({p.id})", p.id) for p in candidates]

        def policies() -> list[tuple[str, str]]:
            return [(f"{p.title.get(get_lang())} ({p.id})", p.id) for p in catalog.policies.values()]

        fields = [
            Field(
                "profile",
                "tui.inspection.profile",
                "select",
                options=profiles,
                required=True,
                value=first.id if first else "",
            ),
        ]
        for ext in EXTENSIONS:
            if catalog.extension_checklists(ext, system.level):
                options = _cloud_choices if ext == "cloud" else _yes_no_ext
                fields.append(Field(f"ext_{ext}", f"catalog.ext.name.{ext}", "select", options=options))
        fields += [
            Field(
                "policy",
                "tui.inspection.policy",
                "select",
                options=policies,
                value=first.policy if first else "",
            ),
            Field("title", "tui.inspection.title_field"),
        ]
        super().__init__("tui.create.inspection", fields, submit="tui.button.create", system=system.name)

    def changed(self, values: dict[str, str]) -> None:
        profile = self.catalog.find_profile(composed_profile(values)) if values["profile"] else None
        if profile is None:
            self.set_hint(t("tui.inspection.ext_unavailable") if values["profile"] else "")
        else:
            self.set_hint(t("tui.inspection.composed", title=profile.title.get(get_lang()), id=profile.id))

    def check(self, values: dict[str, str]) -> str | None:
        problem = super().check(values)
        if problem is None and self.catalog.find_profile(composed_profile(values)) is None:
            return "tui.inspection.ext_unavailable"
        return problem


def _cloud_choices() -> list[tuple[str, str]]:
    both = [(t("system.tui.no"), ""), (t("tui.inspection.cloud_both"), "cloud")]
    return both + [(t(f"catalog.ext.side.{side}"), f"cloud-{side}") for side in CLOUD_SIDES]


def _yes_no_ext() -> list[tuple[str, str]]:
    return [(t("system.tui.no"), ""), (t("system.tui.yes"), "yes")]


def composed_profile(values: dict[str, str]) -> str:
    """The profile id the inspection form's values choose: the base profile plus the extension sets."""
    tokens = []
    for ext in EXTENSIONS:
        chosen = values.get(f"ext_{ext}", "")
        if chosen:
            tokens.append(chosen if ext == "cloud" else ext)
    return "+".join([values["profile"], *tokens])


def unit_edit_form(unit: Unit) -> FormModal:
    """Correct a unit (stored as a signed ``unit.updated``)."""
    return FormModal(
        "tui.edit.unit",
        [
            Field("name", "tui.unit.name", value=unit.name, required=True),
            Field("code", "tui.unit.code", value=unit.code),
            Field("region", "tui.unit.region", value=unit.region),
            Field("contact", "tui.unit.contact", value=unit.contact),
        ],
        subject=unit.id,
    )


def system_edit_form(system: System) -> FormModal:
    """Correct a system's name, filing number and description (a signed ``system.updated``)."""
    return FormModal(
        "tui.edit.system",
        [
            Field("name", "tui.system.name", value=system.name, required=True),
            Field("filing_no", "tui.system.filing_no", value=system.filing_no),
            Field("description", "tui.edit.description", "area", value=system.description),
        ],
        subject=f"{system.id} · {t('tui.level', level=system.level)}",
    )
