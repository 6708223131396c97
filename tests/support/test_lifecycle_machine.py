"""A hypothesis state machine over the ticket lifecycle against a simple model (status, assignee, version), on SQLite."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path

import pytest
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, invariant, rule, run_state_machine_as_test
from sqlalchemy import func, select

from rollout.errors import GoliveError
from support import lifecycle
from support.lifecycle import ALLOWED, StaleWrite
from support.models import OPEN_STATUSES, Ticket, TicketEvent, TicketWait
from tests.conftest import EXAMPLE
from tests.support.lifecycle_desk import SUPPORT, at, new_ticket

TICKETS = 3
AGENTS = ("ola", "per", "kari")


@dataclass
class Model:
    status: str = "new"
    assignee: str | None = None
    version: int = 1
    priority: str = "P3"  # impact and urgency medium
    override: bool = False
    resolved_at: datetime | None = None
    merged_into: int | None = None


@pytest.fixture(scope="module")
def template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The example rollout and a support section applied once; each test case starts from a copy."""
    folder = tmp_path_factory.mktemp("lifecycle")
    path, support = folder / "template.sqlite", folder / "support.yaml"
    support.write_text(SUPPORT, encoding="utf-8")
    env = {**os.environ, "GOLIVE_DB": str(path), "GOLIVE_USER": "tester", "HOME": str(folder)}
    env.pop("GOLIVE_NOW", None)
    for file in (EXAMPLE, support):
        subprocess.run([sys.executable, "-m", "rollout", "apply", str(file)], env=env, check=True, capture_output=True)
    return path


class Lifecycle(RuleBasedStateMachine):
    template: Path

    def __init__(self) -> None:
        from rollout.database import Database
        from rollout.settings import load_settings

        super().__init__()
        self.folder = tempfile.mkdtemp(prefix="golive-lifecycle-")
        path = Path(self.folder) / "golive.sqlite"
        shutil.copyfile(self.template, path)
        self.db = Database(load_settings(str(path)))
        self.now = at(0)
        with self.db.session(write=True) as s:
            self.ids = [new_ticket(s, created=self.now) for _ in range(TICKETS)]
        self.model = {tid: Model() for tid in self.ids}

    def teardown(self) -> None:
        self.db.dispose()
        shutil.rmtree(self.folder, ignore_errors=True)

    # -- driving ------------------------------------------------------------------

    def attempt(self, move: str, tid: int, expect_ok: bool, **kw: object) -> bool:
        """Run the move; it succeeds exactly when the model says it may, and a refusal changes nothing."""
        before = self.model[tid].version
        try:
            with self.db.session(write=True) as s:
                getattr(lifecycle, move)(s, tid, actor="agent", at=self.now, **kw)
        except GoliveError as exc:
            assert not expect_ok, f"{move} on {self.model[tid]} refused: {exc}"
            assert self.row(tid).version == before
            return False
        assert expect_ok, f"{move} {kw} on {self.model[tid]} was allowed"
        return True

    def pick(self, data: st.DataObject, allowed: Callable[[Model], bool]) -> int:
        """Mostly a ticket the move suits, so runs get deep; now and then one it does not, so refusals are tried too."""
        suited = [tid for tid in self.ids if allowed(self.model[tid])]
        unsuited = [tid for tid in self.ids if tid not in suited]
        if suited and (not unsuited or data.draw(st.integers(0, 3)) > 0):
            return data.draw(st.sampled_from(suited))
        return data.draw(st.sampled_from(unsuited))

    def row(self, tid: int) -> Ticket:
        with self.db.session() as s:
            return s.get(Ticket, tid)

    @rule(minutes=st.integers(1, 60 * 24 * 5))
    def tick(self, minutes: int) -> None:
        self.now += timedelta(minutes=minutes)

    @rule(data=st.data(), priority=st.sampled_from(("P1", "P2", "P3", "P4")))
    def triage(self, data: st.DataObject, priority: str) -> None:
        tid = self.pick(data, lambda m: m.status in OPEN_STATUSES)
        m = self.model[tid]
        if self.attempt("triage", tid, m.status in OPEN_STATUSES, priority=priority):
            changed = m.status == "new" or priority != m.priority or not m.override
            m.status = "triaged" if m.status == "new" else m.status
            m.priority, m.override, m.version = priority, True, m.version + changed

    @rule(data=st.data(), agent=st.sampled_from(AGENTS))
    def claim(self, data: st.DataObject, agent: str) -> None:
        """What support.queue's claim does to a ticket, by hand, guarded by the same table."""
        tid = self.pick(data, lambda m: m.status in ("new", "triaged"))
        m = self.model[tid]
        if m.status in ("new", "triaged") and "in_progress" in ALLOWED[m.status]:
            with self.db.session(write=True) as s:
                s.execute(Ticket.__table__.update().where(Ticket.__table__.c.id == tid).values(
                    status="in_progress", assignee=agent, version=Ticket.__table__.c.version + 1,
                    responded_at=func.coalesce(Ticket.__table__.c.responded_at, self.now),
                    next_due=Ticket.__table__.c.resolution_due))
            m.status, m.assignee, m.version = "in_progress", agent, m.version + 1

    @rule(data=st.data(), agent=st.sampled_from(AGENTS))
    def assign(self, data: st.DataObject, agent: str) -> None:
        tid = self.pick(data, lambda m: m.status in OPEN_STATUSES)
        m = self.model[tid]
        if self.attempt("assign", tid, m.status in OPEN_STATUSES, assignee=agent):
            m.version += agent != m.assignee
            m.assignee = agent

    @rule(data=st.data())
    def comment(self, data: st.DataObject) -> None:
        tid = self.pick(data, lambda m: m.status != "merged")
        m = self.model[tid]
        if self.attempt("comment", tid, m.status != "merged", text="Ringte, 010100 12356 svarer ikke"):
            m.version += 1

    @rule(data=st.data(), on=st.sampled_from(("reporter", "partner", "change")))
    def wait(self, data: st.DataObject, on: str) -> None:
        tid = self.pick(data, lambda m: m.status == "in_progress")
        m = self.model[tid]
        if self.attempt("wait", tid, m.status == "in_progress", reason="Venter", on=on):
            m.status, m.version = "waiting", m.version + 1

    @rule(data=st.data())
    def resume(self, data: st.DataObject) -> None:
        tid = self.pick(data, lambda m: m.status == "waiting")
        m = self.model[tid]
        if self.attempt("resume", tid, m.status == "waiting"):
            m.status, m.version = "in_progress", m.version + 1

    @rule(data=st.data())
    def resolve(self, data: st.DataObject) -> None:
        tid = self.pick(data, lambda m: m.status == "in_progress")
        m = self.model[tid]
        if self.attempt("resolve", tid, m.status == "in_progress", note="Fikset"):
            m.status, m.version, m.resolved_at = "resolved", m.version + 1, self.now

    @rule(data=st.data())
    def reopen(self, data: st.DataObject) -> None:
        tid = self.pick(data, lambda m: m.status == "resolved")
        m = self.model[tid]
        ok = m.status == "resolved" and m.resolved_at is not None and self.now - m.resolved_at <= timedelta(days=7)
        if self.attempt("reopen", tid, ok, reason="Ikke fikset"):
            m.status, m.version, m.resolved_at = "in_progress", m.version + 1, None

    @rule(data=st.data())
    def close(self, data: st.DataObject) -> None:
        tid = self.pick(data, lambda m: m.status == "resolved")
        m = self.model[tid]
        if self.attempt("close", tid, m.status == "resolved"):
            m.status, m.version = "closed", m.version + 1

    @rule(data=st.data())
    def merge(self, data: st.DataObject) -> None:
        tid = self.pick(data, lambda m: m.status in OPEN_STATUSES)
        into = self.pick(data, lambda m: m.status not in ("merged", "closed"))
        m, target = self.model[tid], self.model[into]
        has_children = any(o.merged_into == tid for o in self.model.values())
        ok = (tid != into and m.status in OPEN_STATUSES and target.status not in ("merged", "closed")
              and not has_children)
        if self.attempt("merge", tid, ok, into=into):
            m.status, m.version, m.merged_into = "merged", m.version + 1, into
            target.version += 1

    @rule(data=st.data())
    def stale_write(self, data: st.DataObject) -> None:
        tid = self.pick(data, lambda m: m.version > 1)
        m = self.model[tid]
        if m.version > 1:
            try:
                with self.db.session(write=True) as s:
                    lifecycle.assign(s, tid, assignee="late", actor="late", expected_version=m.version - 1, at=self.now)
            except StaleWrite as exc:
                assert f"ticket {tid} was changed by" in str(exc)
            else:
                raise AssertionError("a write against an old version went through")

    # -- checking -----------------------------------------------------------------

    @invariant()
    def the_database_matches_the_model(self) -> None:
        with self.db.session() as s:
            rows = {t.id: t for t in s.execute(select(Ticket)).scalars()}
            open_waits = dict(s.execute(select(TicketWait.ticket_id, TicketWait.on)
                                        .where(TicketWait.ended_at.is_(None))).all())  # type: ignore[union-attr]
            texts = s.execute(select(TicketEvent.new).where(TicketEvent.field == "comment")).scalars().all()
        assert all("12356" not in text and "[fnr fjernet]" in text for text in texts)
        for tid, m in self.model.items():
            t = rows[tid]
            assert (t.status, t.assignee, t.version, t.merged_into_id) == (m.status, m.assignee, m.version, m.merged_into)
            assert (tid in open_waits) == (t.status == "waiting") and t.waiting_on == open_waits.get(tid)
            if t.status not in ("new", "merged"):
                assert t.responded_at is not None
            if t.responded_at is not None and t.status in OPEN_STATUSES:
                assert t.next_due == t.resolution_due


def test_the_lifecycle_against_a_model(template: Path) -> None:
    Lifecycle.template = template
    run_state_machine_as_test(Lifecycle, settings=settings(
        max_examples=40, stateful_step_count=50, deadline=None,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much]))
