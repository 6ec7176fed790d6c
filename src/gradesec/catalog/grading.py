"""Level determination (定级) after GB/T 22240-2020.

Two aspects are graded separately, business information security (业务信息安全) and system service security
(系统服务安全): each from the object harmed (受侵害客体) and the degree of harm (侵害程度). The object's level is
the higher of the two.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal, get_args

from gradesec.errors import UsageError
from gradesec.i18n import t

HarmObject = Literal["citizen", "society", "nation"]
Degree = Literal["general", "serious", "grave"]

OBJECTS: tuple[HarmObject, ...] = get_args(HarmObject)
DEGREES: tuple[Degree, ...] = get_args(Degree)

# Rows: object harmed; columns: general, serious, especially serious harm.
MATRIX: dict[HarmObject, tuple[int, int, int]] = {
    "citizen": (1, 2, 3),
    "society": (2, 3, 4),
    "nation": (3, 4, 5),
}


@dataclass(frozen=True)
class Harm:
    object: HarmObject
    degree: Degree

    @property
    def level(self) -> int:
        return MATRIX[self.object][DEGREES.index(self.degree)]

    @classmethod
    def parse(cls, text: str) -> Harm:
        """``society:serious`` → Harm('society', 'serious')."""
        obj, _, degree = text.strip().lower().partition(":")
        if obj not in OBJECTS or degree not in DEGREES:
            raise UsageError(t("grade.bad_input", value=text), t("grade.bad_input.hint"))
        return cls(obj, degree)  # type: ignore[arg-type]


@dataclass(frozen=True)
class Grading:
    business: Harm
    service: Harm

    @property
    def level(self) -> int:
        return max(self.business.level, self.service.level)

    def explain(self, lang: str | None = None) -> list[str]:
        """The reasoning in the chosen language, one sentence per line."""

        def aspect(key: str, harm: Harm) -> str:
            return t(
                key,
                lang=lang,
                object=t(f"grade.object.{harm.object}", lang=lang),
                degree=t(f"grade.degree.{harm.degree}", lang=lang),
                level=t(f"grade.level.{harm.level}", lang=lang),
            )

        lines = [
            aspect("grade.aspect.business", self.business),
            aspect("grade.aspect.service", self.service),
            t("grade.result", lang=lang, level=t(f"grade.level.{self.level}", lang=lang)),
        ]
        if self.level >= 2:
            lines.append(t("grade.review", lang=lang))
        return lines


def grade(business: Harm | str, service: Harm | str) -> Grading:
    b = business if isinstance(business, Harm) else Harm.parse(business)
    s = service if isinstance(service, Harm) else Harm.parse(service)
    return Grading(b, s)
