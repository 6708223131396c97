"""The demo's support queue: two weeks of Trondheim tickets with a believable shape, consistent SLA marks and history."""

from __future__ import annotations

import hashlib
import sqlite3
from collections import Counter
from datetime import datetime, timedelta
from pathlib import Path

import pytest

from rollout.clock import parse_instant

GO_LIVE = parse_instant("2022-05-07T06:00", "Europe/Oslo")
END = GO_LIVE + timedelta(days=14)


def _build(directory: Path) -> Path:
    from rollout.cli.output import local
    from rollout.demo import build_demo

    return build_demo(directory, when=local).database


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return _build(tmp_path_factory.mktemp("demo"))


def _rows(db: Path, sql: str) -> list[sqlite3.Row]:
    conn = sqlite3.connect(db)
    conn.row_factory = sqlite3.Row
    try:
        return conn.execute(sql).fetchall()
    finally:
        conn.close()


def _utc(text: str | None) -> datetime | None:
    from datetime import timezone

    return datetime.fromisoformat(text).replace(tzinfo=timezone.utc) if text else None


def test_volume_peaks_on_the_first_days_and_access_and_printing_lead_them(demo: Path) -> None:
    tickets = _rows(demo, "SELECT created_at, category FROM ticket")
    assert 2800 <= len(tickets) <= 3200
    day = Counter()
    kinds: dict[int, Counter[str]] = {}
    for t in tickets:
        created = _utc(t["created_at"])
        assert GO_LIVE <= created < END  # type: ignore[operator]
        d = int((created - GO_LIVE).total_seconds() // 86400)  # type: ignore[operator]
        day[d] += 1
        kinds.setdefault(d, Counter())[t["category"]] += 1
    assert min(day[d] for d in range(3)) > max(day[d] for d in range(3, 14))
    assert day[3] > day[7] > day[13]
    first = sum((kinds[d] for d in range(3)), Counter())
    last = sum((kinds[d] for d in range(10, 14)), Counter())
    assert (first["access"] + first["printing"]) / sum(first.values()) > 0.5
    assert (last["access"] + last["printing"]) / sum(last.values()) < 0.3


def test_known_issues_collect_tickets_and_a_fix_resolves_its_open_ones(demo: Path) -> None:
    issues = _rows(demo, "SELECT k.id, k.status, k.resolved_at, count(t.id) AS n FROM known_issue k "
                         "LEFT JOIN ticket t ON t.known_issue_id = k.id GROUP BY k.id")
    assert len(issues) >= 3 and sum(1 for k in issues if k["n"] >= 50) >= 3
    fixed = [k for k in issues if k["status"] == "resolved"]
    assert fixed
    for k in fixed:
        late = _rows(demo, f"SELECT count(*) AS n FROM ticket WHERE known_issue_id = {k['id']} AND created_at < '{k['resolved_at']}' "
                           f"AND (resolved_at IS NULL OR resolved_at > '{k['resolved_at']}')")
        assert late[0]["n"] == 0


def test_sla_marks_agree_with_the_due_times(demo: Path) -> None:
    rows = _rows(demo, "SELECT * FROM ticket")
    breached = 0
    for t in rows:
        response_due, resolution_due = _utc(t["response_due"]), _utc(t["resolution_due"])
        responded, resolved = _utc(t["responded_at"]), _utc(t["resolved_at"])
        late = response_due <= END and (responded is None or responded > response_due)  # type: ignore[operator]
        assert bool(t["response_breached"]) == late, dict(t)
        if t["waiting_on"] != "reporter":
            late = resolution_due <= END and (resolved is None or resolved > resolution_due)  # type: ignore[operator]
            assert bool(t["resolution_breached"]) == late, dict(t)
        assert t["next_due"] == (t["response_due"] if responded is None else t["resolution_due"])
        if t["escalated"]:
            assert t["priority"] in ("P1", "P2") and t["resolver_group"] == "supportsenter"
        assert (t["status"] in ("resolved", "closed")) == (resolved is not None)
        assert (t["status"] == "closed") == (t["closed_at"] is not None)
        breached += bool(t["response_breached"] or t["resolution_breached"])
    assert 0.05 * len(rows) < breached < 0.4 * len(rows)
    assert Counter(t["status"] for t in rows).most_common(1)[0][0] == "closed"  # most are done by the end


def test_history_tells_each_tickets_story(demo: Path) -> None:
    created = _rows(demo, "SELECT count(DISTINCT ticket_id) AS n FROM ticket_event WHERE field = 'status' AND old IS NULL AND new = 'new'")
    total = _rows(demo, "SELECT count(*) AS n FROM ticket")[0]["n"]
    assert created[0]["n"] == total
    last = _rows(demo, """
        SELECT t.status, (SELECT e.new FROM ticket_event e WHERE e.ticket_id = t.id AND e.field = 'status'
                          ORDER BY e.at DESC, e.id DESC LIMIT 1) AS last FROM ticket t""")
    assert all(r["status"] == r["last"] for r in last)
    waits = _rows(demo, "SELECT t.status, t.waiting_on, w.\"on\" FROM ticket_wait w JOIN ticket t ON t.id = w.ticket_id "
                        "WHERE w.ended_at IS NULL")
    assert all(r["status"] == "waiting" and r["waiting_on"] == r["on"] for r in waits)
    assert _rows(demo, "SELECT count(*) AS n FROM ticket WHERE status = 'waiting'")[0]["n"] == len(waits)


def test_no_identity_numbers_in_the_generated_text(demo: Path) -> None:
    from support.pii import mask_identity_numbers

    for r in _rows(demo, "SELECT title, description, reporter FROM ticket"):
        assert mask_identity_numbers(" | ".join(filter(None, (r["title"], r["description"], r["reporter"]))))[1] == 0


def test_the_demo_is_the_same_every_time(demo: Path, tmp_path: Path) -> None:
    def digest(db: Path) -> str:
        return hashlib.sha256(repr([tuple(r) for r in _rows(db, "SELECT * FROM ticket ORDER BY id")]
                                   + [tuple(r) for r in _rows(db, "SELECT * FROM ticket_event ORDER BY id")]).encode()).hexdigest()

    assert digest(_build(tmp_path / "again")) == digest(demo)


def test_the_summary_and_its_next_commands(demo: Path, golive, monkeypatch) -> None:  # noqa: ANN001

    result = golive("demo", "--out", demo.parent)
    assert result.exit_code == 0, result.stderr
    line = next(x for x in result.stdout.splitlines() if x.startswith("Support as of 2022-05-09 07:00: "))
    assert "tickets reported since go-live" in line and "open (P1 " in line and "past their SLA" in line
    assert sum(1 for x in result.stdout.splitlines() if x.startswith("  known issue: ")) == 3
    commands = [x.strip() for x in result.stdout.splitlines() if x.strip().startswith("golive ticket ")]
    assert commands == ["golive ticket list --breached --at 2022-05-09T07:00", "golive ticket watch --once --at 2022-05-09T07:00"]
    monkeypatch.setenv("GOLIVE_DB", str(demo))
    for command in commands:
        run = golive(*command.split()[1:])
        assert run.exit_code == 0 and run.stdout.strip(), (command, run.stderr)
    board = golive("ticket", "watch", "--json", "--at", "2022-05-09T07:00").json()
    assert f"{board['open']} open (P1 {board['open_by_priority']['P1']}, " in line.replace("\u00a0", " ")
