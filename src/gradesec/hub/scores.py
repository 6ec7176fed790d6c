"""An inspection's score and conclusion at the hub, with the same ``gradesec.assess`` scoring a store uses.

Inputs: the item and policy snapshot pinned in the ``inspection.opened`` event (read back from the stored
event), the hub's current results (``findings``) and ratings (``problems``), and the high-risk cases pinned
with it for the suggested risk of an unrated issue.
"""

from __future__ import annotations

import json
from typing import Any

from gradesec.assess.model import ISSUE_RESULTS, PolicySnapshot, SnapshotItem
from gradesec.assess.risk import CaseRule, index_cases, suggest
from gradesec.assess.scoring import IssueRisk, score_results


def inspection_score(conn: Any, s: str, inspection_id: str) -> tuple[float | None, str]:
    row = conn.execute(
        f"SELECT e.raw, i.level, i.policy FROM {s}inspections i JOIN events e ON e.hash = i.opened_hash"
        " WHERE i.id = %s",
        (inspection_id,),
    ).fetchone()
    if row is None:
        return None, "undetermined"
    body = json.loads(bytes(row[0]))["body"]
    level, policy_id = int(row[1]), str(row[2])
    items = [
        SnapshotItem(
            i["id"],
            i["category"],
            i["class"],
            i["control"],
            float(i["weight"]),
            tuple(i["objects"]),
            int(i.get("order", n)),
        )
        for n, i in enumerate(body.get("items", []))
    ]
    policies = {p["id"]: p for p in body.get("policies", [])}
    p = policies.get(policy_id)
    if p is None:
        return None, "undetermined"
    policy = PolicySnapshot(
        p["id"], p["method"], dict(p.get("params", {})), p.get("sha256", ""), p.get("title", {})
    )
    cases = index_cases(CaseRule.from_json(c) for c in body.get("cases", []) or [])
    results = [
        (str(a), str(b), str(c))
        for a, b, c in conn.execute(
            f"SELECT item_id, asset_id, result FROM {s}findings WHERE inspection_id = %s ORDER BY item_id, asset_id",
            (inspection_id,),
        ).fetchall()
    ]
    ratings = {
        (str(a), str(b)): (str(r), bool(m))
        for a, b, r, m in conn.execute(
            f"SELECT item_id, asset_id, risk, major FROM {s}problems WHERE inspection_id = %s",
            (inspection_id,),
        ).fetchall()
    }
    issues = []
    for item, asset, result in results:
        if result not in ISSUE_RESULTS:
            continue
        rated = ratings.get((item, asset))
        risk = rated[0] if rated else suggest(cases, level, item, result).risk
        issues.append(IssueRisk(risk, rated[1] if rated else False))
    got = score_results(items, results, policy, issues)
    return got.score, got.conclusion.code
