"""The item texts the expert review found wrong (issue 13 part 5), held at every level they apply."""

from __future__ import annotations

from gradesec.catalog.loader import load_catalog


def _texts(item_id: str) -> dict[int, tuple[str, str]]:
    _, _, item = load_catalog().items[item_id]
    return {lv: (item.text_at(lv).zh, item.text_at(lv).en) for lv in item.levels}


def test_approval_covers_the_four_matters_at_every_level() -> None:
    for zh, _en in _texts("ORS-03-b").values():
        assert all(m in zh for m in ("系统变更", "重要操作", "物理访问", "系统接入")), zh


def test_incident_rule_sets_processes_per_kind_of_incident() -> None:
    texts = _texts("MMS-12-b")
    for level in (2, 3, 4):
        assert "不同安全事件" in texts[level][0] and "响应流程" in texts[level][0]
        assert "response process for each kind of incident" in texts[level][1]


def test_grading_document_does_not_ask_for_a_boundary() -> None:
    for zh, en in _texts("CMS-01-a").values():
        assert "边界" not in zh and "boundary" not in en


def test_machine_room_rule_has_its_own_level_one_wording() -> None:
    texts = _texts("MMS-01-b")
    assert texts[1] != texts[2] and "制度" not in texts[1][0]
    assert texts[2] == texts[3] == texts[4]
