"""Build record workbooks in the field's layout (domain/record-workbook.md) from the shipped catalog.

Own fixtures, no client data: one sheet per category object and per asset, a title line on some sheets, the
header on row 1 or 2, 符合情况 or 符合程度, 安全控制点 / 测评指标 on some sheets, the unlabelled weight and platform-id
columns, merged 扩展标准 and 控制点 cells, trailing spaces in sheet names, cloud extension rows and comments.
Item texts carry the letter; half of them use a wording gradesec does not know (as the standard's own would).
"""

from __future__ import annotations

from pathlib import Path

from openpyxl import Workbook
from openpyxl.comments import Comment

from gradesec.catalog.loader import Catalog

WORDS = ("符合", "部分符合", "不符合", "不适用")
SHEETS = {
    "PES": "中心机房",
    "CNS": "安全通信网络",
    "ABS": "系统边界",
    "SMC": "安全管理中心",
    "PSS": "安全管理制度",
    "ORS": "安全管理机构",
    "HRS": "安全管理人员",
    "CMS": "安全建设管理",
    "MMS": "安全运维管理",
}
OBJECTS = ("Web服务器01 ", "核心数据库", "防火墙01", "业务终端1 ")


def build(catalog: Catalog, level: int, path: Path, *, copies: int = 1) -> list[tuple[str, str, str]]:
    """Write the workbook; return the expected (sheet name stripped, item id, result) of every general row."""
    items = catalog.items_for(f"mlps-l{level}")
    wb = Workbook()
    wb.remove(wb.active)  # type: ignore[arg-type]
    expected: list[tuple[str, str, str]] = []
    sheets: list[tuple[str, str]] = [(name, code) for code, name in SHEETS.items()]
    sheets += [
        (f"{name}{'' if n == 0 else n}" if copies > 1 else name, "CES")
        for n in range(copies)
        for name in OBJECTS
    ]
    pid = 6000
    for s, (name, code) in enumerate(sheets):
        ws = wb.create_sheet(name)
        title = s % 2 == 0
        if title:
            ws.append([f"IP：10.0.0.{s} 版本：V{s}.0"])
            ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=5)
        header = [
            "扩展标准",
            "安全控制点" if s % 3 == 0 else "控制点",
            "测评指标" if s % 3 == 0 else "测评项",
            "结果记录",
            "符合程度" if s % 4 == 1 else "符合情况",
            None,
            None,
        ]
        ws.append(header)
        first = ws.max_row + 1
        last_control = None
        start_control = first
        rows = [i for i in items if i.category.code == code]
        for n, item in enumerate(rows):
            result = WORDS[(n + s) % 4]
            own = n % 2 == 0
            text = item.text.zh if own else f"应当满足标准第{item.control.name.zh}条的要求（原文示意）"
            text = f"{item.letter}）{text.rstrip('。')}；"
            record = "经核查，已配置。" if result != "不适用" else "该系统不涉及此项。"
            control = item.control.name.zh
            pid += 1
            ws.append(
                [
                    "安全通用要求" if ws.max_row + 1 == first else None,
                    control if control != last_control else None,
                    text,
                    record,
                    result,
                    f"{item.weight:.2f}",
                    str(pid),
                ]
            )
            if control != last_control:
                if last_control is not None and ws.max_row - 1 > start_control:
                    ws.merge_cells(
                        start_row=start_control, start_column=2, end_row=ws.max_row - 1, end_column=2
                    )
                start_control = ws.max_row
                last_control = control
            expected.append(
                (
                    name.strip(),
                    item.id,
                    {"符合": "compliant", "部分符合": "partial", "不符合": "noncompliant", "不适用": "na"}[
                        result
                    ],
                )
            )
        general_end = ws.max_row
        if code == "CES":
            for k in range(3):  # cloud extension rows, no weight
                ws.append(
                    [
                        "云计算安全扩展要求",
                        "镜像和快照保护",
                        f"{'abc'[k]}）云上镜像的要求（示意）；",
                        "已核查",
                        "符合",
                        None,
                        str(90000 + k),
                    ]
                )
            ws.cell(first, 4).comment = Comment("复核：请补充截图。", "审核人")
        if general_end > first:
            ws.merge_cells(start_row=first, start_column=1, end_row=general_end, end_column=1)
    wb.save(path)
    return expected
