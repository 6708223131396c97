"""rollout.memo: identical reads inside a shared_reads scope run once; outside one, every time."""

from __future__ import annotations

from sqlmodel import Session

from rollout.memo import shared_read, shared_reads

calls: list[tuple] = []


@shared_read
def _read(session: Session, *, plan_id: int, unit_ids: list[int]) -> list[int]:
    calls.append((plan_id, tuple(unit_ids)))
    return [plan_id, *unit_ids]


def test_identical_reads_run_once_inside_a_scope_and_every_time_outside() -> None:
    calls.clear()
    session = Session()
    _read(session, plan_id=1, unit_ids=[2, 3])
    _read(session, plan_id=1, unit_ids=[2, 3])
    assert len(calls) == 2  # no scope: nothing shared
    with shared_reads(session):
        first = _read(session, plan_id=1, unit_ids=[2, 3])
        with shared_reads(session):  # a nested scope joins the outer one
            again = _read(session, plan_id=1, unit_ids=[2, 3])
        other = _read(session, plan_id=1, unit_ids=[2])
        assert first == again == [1, 2, 3] and other == [1, 2]
        assert len(calls) == 4  # one for [2, 3], one for [2]
        first.append(99)  # a caller's list is its own copy
        assert _read(session, plan_id=1, unit_ids=[2, 3]) == [1, 2, 3]
    _read(session, plan_id=1, unit_ids=[2, 3])
    assert len(calls) == 5  # the scope ended: reads run again
    assert not any(k.startswith("golive") for k in session.info)
