"""The after-action report (演练总结报告) of a drill as PDF: summary, scores and times, timeline, strengths,
areas for improvement, and the improvement plan whose items the remediation board tracks.

The facts and sentences come from ``gradesec.drill.review``; this module only lays them out with reportlab
platypus in a font that sets Chinese (``gradesec.report.fonts``). The file is written beside the target and
renamed into place, so a failed build never leaves half a report.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from reportlab.lib import colors
from reportlab.lib.styles import ParagraphStyle

from gradesec.drill.clock import format_elapsed
from gradesec.drill.review import ReviewData, gaps, not_released, strengths, timeline
from gradesec.localtime import local_time
from gradesec.report.fonts import FontInfo, find_font
from gradesec.report.simpledoc import SimpleStory, write_simple_pdf

# Days to fix an improvement by risk, the same defaults the profiles give remediation items.
DUE_DAYS = {"high": 14, "medium": 30, "low": 90}


TEAM_BG = colors.HexColor("#eef2f6")


class _Story(SimpleStory):
    """The shared short-report story, with bulleted lists and narrow table cells."""

    # The after-action report's tables pack more columns, so their cells keep less padding than the default.
    table_style = (("LEFTPADDING", (0, 0), (-1, -1), 3), ("RIGHTPADDING", (0, 0), (-1, -1), 3))

    def __init__(self, font: FontInfo, lang: str) -> None:
        super().__init__(font, lang)
        self.bullet = ParagraphStyle("aar-bullet", parent=self.body, leftIndent=12, firstLineIndent=-8)

    def bullets(self, items: Sequence[str], empty_key: str) -> None:
        if not items:
            self.flow.append(self.para(self.label(empty_key)))
            return
        for text in items:
            self.flow.append(self.para(f"• {text}", self.bullet))


def _pct(value: float | None) -> str:
    return "-" if value is None else f"{value:.1f}%"


def _summary(s: _Story, data: ReviewData) -> None:
    rec, sc, lang = data.record, data.score, s.lang
    s.flow.append(s.para(s.label("drill.aar.title"), s.title))
    s.flow.append(s.para(f"{data.title.get(lang, '')} · {rec.id}", s.subtitle))
    passed = s.label("drill.passed." + str(sc.passed).lower())
    rows = [
        (
            s.label("drill.aar.scenario"),
            f"{data.scenario.id} v{data.scenario.version} · {data.scenario.title.get(lang)}",
        ),
        (s.label("drill.aar.started"), local_time(rec.started_at)),
        (
            s.label("drill.aar.closed"),
            local_time(rec.closed_at) if rec.closed_at else s.label("drill.aar.not_closed"),
        ),
        (
            s.label("drill.aar.duration"),
            format_elapsed(
                rec.closed_elapsed_ms if rec.closed_elapsed_ms is not None else rec.last_elapsed_ms()
            ),
        ),
        (s.label("drill.aar.lead"), rec.lead or data.people.get(rec.started_by, "-")),
        (
            s.label("drill.aar.overall"),
            f"{sc.overall.earned:g} / {sc.overall.possible:g} ({_pct(sc.overall.percent)})",
        ),
        (
            s.label("drill.aar.weighted"),
            f"{_pct(sc.weighted_percent)} · {s.label('drill.aar.pass_mark')} {sc.pass_mark:g}% · {passed}",
        ),
        (s.label("drill.aar.first_action"), format_elapsed(sc.overall.as_json()["mean_first_action_ms"])),
        (s.label("drill.aar.to_met"), format_elapsed(sc.overall.as_json()["mean_to_met_ms"])),
    ]
    s.table([s.label("drill.aar.item"), s.label("drill.aar.value")], rows, [0.3, 0.7])
    s.flow.append(s.para(data.scenario.summary.get(lang)))
    skipped = not_released(data)
    if skipped:
        s.flow.append(s.para(s.label("drill.aar.not_released", ids=", ".join(skipped))))


def _teams(s: _Story, data: ReviewData) -> None:
    s.heading("drill.aar.h.teams")
    sc, lang = data.score, s.lang
    rows = []
    for team in data.record.teams:
        tally = sc.teams[team.id]
        roles = ", ".join(data.scenario.role(r).name.get(lang) for r in team.roles)
        people = ", ".join(p.name for p in team.participants) or "-"
        j = tally.as_json()
        rows.append(
            [
                f"{team.name}\n{roles}",
                people,
                f"{tally.earned:g}/{tally.possible:g}",
                _pct(tally.percent),
                f"{tally.counts['met']}/{tally.counts['partial']}/{tally.counts['missed']}",
                format_elapsed(j["mean_first_action_ms"]),
                format_elapsed(j["mean_to_met_ms"]),
            ]
        )
    s.table(
        [
            s.label(k)
            for k in (
                "drill.head.team",
                "drill.aar.people",
                "drill.head.score",
                "drill.head.percent",
                "drill.head.met",
                "drill.head.first_action",
                "drill.head.to_met",
            )
        ],
        rows,
        [0.2, 0.2, 0.11, 0.1, 0.13, 0.13, 0.13],
    )
    rows = []
    for obj in data.scenario.objectives:
        tally = sc.objectives[obj.id]
        rows.append(
            [
                f"{obj.id} {obj.text.get(lang)}",
                s.label("drill.priority." + obj.priority),
                f"{tally.earned:g}/{tally.possible:g}",
                _pct(tally.percent),
                s.label("drill.passed." + str(sc.objective_achieved(obj.id)).lower()),
            ]
        )
    s.table(
        [
            s.label(k)
            for k in (
                "drill.head.objective",
                "drill.head.priority",
                "drill.head.score",
                "drill.head.percent",
                "drill.head.achieved",
            )
        ],
        rows,
        [0.5, 0.12, 0.13, 0.12, 0.13],
    )


def _expectations(s: _Story, data: ReviewData) -> None:
    """The expectations grouped by team: each team's name once, on a shaded row above its expectations."""
    s.heading("drill.aar.h.expectations")
    lang = s.lang
    order = {tm.id: n for n, tm in enumerate(data.record.teams)}
    names = {tm.id: tm.name for tm in data.record.teams}
    ranked = sorted(
        enumerate(data.score.expectations),
        key=lambda pair: (order.get(pair[1].team or "", len(order)), pair[0]),
    )
    rows: list[list[str]] = []
    team_rows: list[int] = []
    current: object = object()
    for _n, e in ranked:
        if e.team != current:
            current = e.team
            team_rows.append(len(rows))
            rows.append([names.get(e.team or "", "") or s.label("drill.aar.no_team"), "", "", "", ""])
        _inj, exp = data.scenario.expectation(e.id)
        status = s.label("drill.exp." + e.status) + (s.label("drill.aar.late") if e.late else "")
        rows.append(
            [
                e.id,
                f"{exp.action.get(lang)}" + (f"\n{e.note}" if e.note else ""),
                status,
                f"{e.earned:g}/{e.points}",
                format_elapsed(e.response_ms),
            ]
        )
    extra = []
    for r in team_rows:
        extra += [("SPAN", (0, r + 1), (-1, r + 1)), ("BACKGROUND", (0, r + 1), (-1, r + 1), TEAM_BG)]
    s.table(
        [
            s.label(k)
            for k in (
                "drill.head.id",
                "drill.aar.action",
                "drill.head.status",
                "drill.head.score",
                "drill.head.to_met",
            )
        ],
        rows,
        [0.1, 0.56, 0.14, 0.1, 0.1],
        extra,
    )


def _timeline(s: _Story, data: ReviewData) -> None:
    s.heading("drill.aar.h.timeline")
    rows = [
        [format_elapsed(r.elapsed_ms), s.label("drill.event." + r.kind), r.text]
        for r in timeline(data, s.lang)
    ]
    s.table(
        [s.label("drill.aar.time"), s.label("drill.aar.what"), s.label("drill.aar.detail")],
        rows,
        [0.1, 0.14, 0.76],
    )
    timings = [
        [
            i.inject,
            format_elapsed(i.released_ms),
            s.label("drill.aar.manual_word") if i.manual else "",
            format_elapsed(i.first_action_ms),
        ]
        for i in data.score.injects
    ]
    s.table(
        [s.label("drill.aar.inject"), s.label("drill.aar.released"), "", s.label("drill.head.first_action")],
        timings,
        [0.25, 0.25, 0.2, 0.3],
    )


def _plan(s: _Story, data: ReviewData) -> None:
    s.heading("drill.aar.h.plan")
    imps = data.record.improvements
    if not imps:
        s.flow.append(s.para(s.label("drill.aar.no_plan")))
        return
    s.flow.append(s.para(s.label("drill.aar.plan_intro")))
    rows = []
    for imp in imps:
        links = (
            ", ".join(
                f"{link} {data.links[link].get(s.lang, '')}".strip() if link in data.links else link
                for link in imp.links
            )
            or "-"
        )
        rows.append(
            [
                imp.id,
                imp.title.get(s.lang, imp.title.get("en", "")),
                s.label("drill.risk." + imp.risk),
                links,
                imp.owner or "-",
                s.label("drill.aar.due_days", n=DUE_DAYS[imp.risk]),
            ]
        )
    s.table(
        [
            s.label(k)
            for k in (
                "drill.head.id",
                "drill.aar.improvement",
                "drill.aar.risk",
                "drill.aar.links",
                "drill.aar.owner",
                "drill.aar.due",
            )
        ],
        rows,
        [0.14, 0.36, 0.08, 0.2, 0.11, 0.11],
    )


def _integrity(s: _Story, data: ReviewData) -> None:
    s.flow.append(
        s.para(
            s.label("drill.aar.integrity", store=data.store_id or "-", sha=data.record.scenario_sha256[:16])
        )
    )


def build_aar(
    data: ReviewData, out_path: Path, lang: str, *, invariant: bool = False, font: FontInfo | None = None
) -> int:
    """Write the after-action report to ``out_path`` in ``lang``; return the page count."""
    font = font or find_font()
    s = _Story(font, lang)
    _summary(s, data)
    _teams(s, data)
    s.heading("drill.aar.h.strengths")
    s.bullets(strengths(data, lang), "drill.aar.none")
    s.heading("drill.aar.h.gaps")
    s.bullets(gaps(data, lang), "drill.aar.none")
    _plan(s, data)
    _expectations(s, data)
    _timeline(s, data)
    _integrity(s, data)
    return write_simple_pdf(
        s,
        out_path,
        font,
        title=f"{s.label('drill.aar.title')} {data.record.id}",
        subject=data.title.get(lang, ""),
        invariant=invariant,
        footer=s.label("drill.aar.footer", id=data.record.id),
    )
