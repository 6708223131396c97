"""`golive apply`: bring the database in line with a rollout file, all or nothing.

Rows are matched by natural key and only changed fields are written, so a
second run of the same file changes nothing. Rows the file no longer names
are kept (and listed) unless pruning is asked for. A plan with recorded gate
decisions is never pruned: decisions are evidence and the database keeps them.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from sqlmodel import Session, SQLModel, select

from rollout import audit
from rollout.applydiff import file_terms, gate_warnings
from rollout.errors import GoliveError, InputError
from rollout.models import Contact, Gate, GateDecision, Organisation, Phase, Plan, Unit, Wave, WaveUnit
from rollout.rolloutfile import PlanSpec, RolloutFile
from rollout.yamlfile import suggest


@dataclass
class Change:
    action: str  # create | update | delete
    entity: str  # organisation | unit | plan | phase | wave | gate
    key: str  # natural key, e.g. "trondheim/legevakt" or "trondheim-2022/T-7d"
    fields: dict[str, Any] = field(default_factory=dict)  # in the file's terms; create: new values; update: [old, new]

    def as_json(self) -> dict[str, Any]:
        return {"action": self.action, "entity": self.entity, "key": self.key, "fields": self.fields}


@dataclass
class ApplyResult:
    changes: list[Change] = field(default_factory=list)
    kept: list[str] = field(default_factory=list)  # "gate trondheim-2022/T-3d": not in the file, not pruned
    warnings: list[str] = field(default_factory=list)  # what gates measure and this apply takes away

    @property
    def changed(self) -> bool:
        return bool(self.changes)

    def count(self, action: str) -> int:
        return sum(1 for c in self.changes if c.action == action)

    def as_json(self, *, file: str, dry_run: bool) -> dict[str, Any]:
        return {
            "file": file,
            "dry_run": dry_run,
            "changed": self.changed,
            "created": self.count("create"),
            "updated": self.count("update"),
            "deleted": self.count("delete"),
            "changes": [c.as_json() for c in self.changes],
            "kept": self.kept,
            "warnings": self.warnings,
        }


class _Applier:
    def __init__(self, session: Session, spec: RolloutFile, *, actor: str, prune: bool) -> None:
        self.session = session
        self.spec = spec
        self.actor = actor
        self.prune = prune
        self.result = ApplyResult()
        self._entries: dict[tuple[str, str], Change] = {}

    def fail(self, message: str, line: int) -> InputError:
        return InputError(message, path=self.spec.path, line=line)

    # -- generic upsert -------------------------------------------------
    def upsert(
        self,
        model: type[SQLModel],
        row: SQLModel | None,
        *,
        entity: str,
        key: str,
        values: dict[str, Any],
        shown: dict[str, Any] | None = None,
    ) -> SQLModel:
        """Create or update one row; `shown` replaces ids by keys in what is printed and audited."""
        shown = {**values, **(shown or {})}
        if row is None:
            row = model(**values)
            self.session.add(row)
            self.session.flush()
            self._log("create", entity, key, {k: v for k, v in shown.items() if v is not None and k != "position"})
            return row
        diff = {}
        for name, value in values.items():
            old = getattr(row, name)
            if old != value:
                diff[name] = [self._shown_old(row, name, old), shown[name]]
                setattr(row, name, value)
        if diff:
            self.session.add(row)
            self.session.flush()
            self._log("update", entity, key, diff)
        return row

    def _shown_old(self, row: SQLModel, name: str, old: Any) -> Any:
        if name == "organisation_id":
            org = self.session.get(Organisation, old)
            return org.key if org else old
        if name == "wave_id" and old is not None:
            wave = self.session.get(Wave, old)
            return wave.name if wave else old
        return old

    def refuse_decided(self, plan_ids: list[int], *, because: str) -> None:
        """Decisions are evidence the database keeps for good, so their plan cannot go."""
        if not plan_ids:
            return
        decided = self.session.exec(
            select(Plan.key).where(Plan.id.in_(plan_ids))  # type: ignore[union-attr]
            .where(select(GateDecision.id).where(GateDecision.plan_id == Plan.id).exists())
            .order_by(Plan.key)
        ).all()
        if decided:
            raise GoliveError(
                f"{because}, but plan {decided[0]!r} has recorded gate decisions, which are kept for good; "
                "keep the plan in the file or apply without --prune"
            )

    def delete_or_keep(self, row: SQLModel, *, entity: str, key: str) -> None:
        if self.prune:
            if isinstance(row, Plan):
                self.refuse_decided([row.id], because=f"--prune would delete plan {row.key!r}")  # type: ignore[list-item]
            self.session.delete(row)
            self.session.flush()
            self._log("delete", entity, key, {})
        else:
            self.result.kept.append(f"{entity} {key}")

    def log_cascade(self, org: Organisation) -> None:
        """Name the plans and units the database deletes with an organisation, so --prune hides nothing."""
        plan_ids = list(self.session.exec(select(Plan.id).where(Plan.organisation_id == org.id)))
        self.refuse_decided(plan_ids, because=f"--prune would delete organisation {org.key!r} with its plans")  # type: ignore[arg-type]
        for plan_key in self.session.exec(select(Plan.key).where(Plan.organisation_id == org.id)):
            self._log("delete", "plan", plan_key, {})
        for unit_key in self.session.exec(select(Unit.key).where(Unit.organisation_id == org.id).order_by(Unit.key)):
            self._log("delete", "unit", f"{org.key}/{unit_key}", {})

    def _log(self, action: str, entity: str, key: str, fields: dict[str, Any]) -> None:
        change = Change(action, entity, key, audit.jsonable(file_terms(fields)))
        self.result.changes.append(change)
        self._entries[(entity, key)] = change

    def write_audit(self) -> None:
        """One audit row per change, written once it is final (audit rows are append-only)."""
        for c in self.result.changes:
            audit.record(self.session, actor=self.actor, action=c.action, entity=c.entity, entity_key=c.key, changes=c.fields)
        self.session.flush()

    # -- the parts --------------------------------------------------------
    def run(self) -> ApplyResult:
        orgs = {o.key: o for o in self.session.exec(select(Organisation))}
        # A plan in the file names its organisation too: pruning it would cascade the plan away.
        named_orgs = {o.key for o in self.spec.organisations} | {p.organisation for p in self.spec.plans}
        for org_spec in self.spec.organisations:
            org = self.upsert(
                Organisation,
                orgs.get(org_spec.key),
                entity="organisation",
                key=org_spec.key,
                values={"key": org_spec.key, "name": org_spec.name, "kind": org_spec.kind, "org_number": org_spec.org_number},
            )
            orgs[org_spec.key] = org  # type: ignore[assignment]
            units = {u.key: u for u in self.session.exec(select(Unit).where(Unit.organisation_id == org.id))}  # type: ignore[attr-defined]
            for u in org_spec.units:
                self.upsert(
                    Unit,
                    units.pop(u.key, None),
                    entity="unit",
                    key=f"{org_spec.key}/{u.key}",
                    values={
                        "organisation_id": org.id,  # type: ignore[attr-defined]
                        "key": u.key,
                        "name": u.name,
                        "service": u.service,
                        "hours": u.hours,
                        "staff": u.staff,
                    },
                    shown={"organisation_id": org_spec.key},
                )
            for leftover in units.values():
                self.delete_or_keep(leftover, entity="unit", key=f"{org_spec.key}/{leftover.key}")

        plans = {p.key: p for p in self.session.exec(select(Plan))}
        for plan_spec in self.spec.plans:
            self.plan(plan_spec, orgs, plans.pop(plan_spec.key, None))
        # A file that declares no plans (or no organisations) says nothing about them.
        if self.spec.plans:
            for leftover in plans.values():
                self.delete_or_keep(leftover, entity="plan", key=leftover.key)
        if self.spec.organisations:
            for key, org in orgs.items():
                if key not in named_orgs:
                    if self.prune:
                        self.log_cascade(org)
                    self.delete_or_keep(org, entity="organisation", key=key)
        self.contacts()
        self.session.flush()
        self.result.warnings = gate_warnings(self.session, self.result.changes)
        self.write_audit()
        self.sections()
        return self.result

    def sections(self) -> None:
        """Sections other packages own (`support:`): each applies itself, found by textual path, and audits what it writes."""
        from rollout.registry import file_sections
        from rollout.seams import load_path

        owners = file_sections()
        for key, section_spec in self.spec.sections.items():
            self.result.changes += load_path(owners[key].apply)(self.session, section_spec, actor=self.actor)
        self.session.flush()

    def contacts(self) -> None:
        """Contacts are (key, address) pairs: added when new, kept or pruned when the file drops them."""
        existing = {(c.key, c.email.lower()): c for c in self.session.exec(select(Contact))}
        wanted = {(key, email.lower()): email for key, emails in self.spec.contacts.items() for email in emails}
        for (key, lowered), email in wanted.items():
            if (key, lowered) not in existing:
                self.upsert(Contact, None, entity="contact", key=f"{key}/{email}", values={"key": key, "email": email})
        if self.spec.contacts:  # a file that declares no contacts says nothing about them
            for pair, row in existing.items():
                if pair not in wanted:
                    self.delete_or_keep(row, entity="contact", key=f"{row.key}/{row.email}")

    def plan(self, spec: PlanSpec, orgs: dict[str, Organisation], row: Plan | None) -> None:
        org = orgs.get(spec.organisation)
        if org is None:
            raise self.fail(
                f"plan {spec.key!r}: organisation {spec.organisation!r} is not declared in this file "
                f"or the database{suggest(spec.organisation, list(orgs))}",
                spec.organisation_line,
            )
        plan = self.upsert(
            Plan,
            row,
            entity="plan",
            key=spec.key,
            values={
                "key": spec.key,
                "organisation_id": org.id,
                "name": spec.name,
                "timezone": spec.timezone,
                "cutover_start": spec.cutover_start,
                "go_live": spec.go_live,
                "hypercare_until": spec.hypercare_until,
                "playbook": spec.playbook,
                "language": spec.language,
                "readiness_window_days": spec.readiness_window_days,
                "training_requirements": spec.training_requirements,
                "superuser_course": spec.superuser_course,
                "shifts": spec.shifts,
            },
            shown={"organisation_id": org.key},
        )
        plan_id = plan.id  # type: ignore[attr-defined]

        phases = {p.name: p for p in self.session.exec(select(Phase).where(Phase.plan_id == plan_id))}
        for pos, ph in enumerate(spec.phases):
            self.upsert(
                Phase,
                phases.pop(ph.name, None),
                entity="phase",
                key=f"{spec.key}/{ph.name}",
                values={"plan_id": plan_id, "position": pos, "name": ph.name, "start": ph.start, "end": ph.end},
                shown={"plan_id": spec.key},
            )
        for leftover in phases.values():
            self.delete_or_keep(leftover, entity="phase", key=f"{spec.key}/{leftover.name}")

        units = {u.key: u for u in self.session.exec(select(Unit).where(Unit.organisation_id == org.id))}
        waves = {w.name: w for w in self.session.exec(select(Wave).where(Wave.plan_id == plan_id))}
        wave_ids: dict[str, int] = {}
        for pos, wv in enumerate(spec.waves):
            unit_ids = []
            for unit_key in wv.units:
                bare = unit_key.split("/", 1)[1] if unit_key.startswith(f"{org.key}/") else unit_key
                if bare not in units:
                    raise self.fail(
                        f"wave {wv.name!r} names unit {unit_key!r}, which organisation {org.key!r} "
                        f"does not have{suggest(bare, list(units))}",
                        wv.line,
                    )
                unit_ids.append(units[bare].id)
            wave = self.upsert(
                Wave,
                waves.pop(wv.name, None),
                entity="wave",
                key=f"{spec.key}/{wv.name}",
                values={"plan_id": plan_id, "position": pos, "name": wv.name, "go_live": wv.go_live},
                shown={"plan_id": spec.key},
            )
            wave_id = wave.id  # type: ignore[attr-defined]
            wave_ids[wv.name] = wave_id
            self.wave_units(spec.key, wv.name, wave_id, unit_ids, units)
        for leftover in waves.values():
            self.delete_or_keep(leftover, entity="wave", key=f"{spec.key}/{leftover.name}")

        gates = {g.key: g for g in self.session.exec(select(Gate).where(Gate.plan_id == plan_id))}
        wave_go_live = {w.name: w.go_live for w in spec.waves}
        for pos, gt in enumerate(spec.gates):
            anchor = wave_go_live[gt.wave] if gt.wave else spec.go_live
            self.upsert(
                Gate,
                gates.pop(gt.key, None),
                entity="gate",
                key=f"{spec.key}/{gt.key}",
                values={
                    "plan_id": plan_id,
                    "position": pos,
                    "key": gt.key,
                    "at": gt.at,
                    "wave_id": wave_ids[gt.wave] if gt.wave else None,
                    "due_at": gt.due_at(anchor, spec.timezone),
                    "criteria": gt.criteria,
                    "readiness_window_days": gt.readiness_window_days,
                },
                shown={"plan_id": spec.key, "wave_id": gt.wave},
            )
        for leftover in gates.values():
            self.delete_or_keep(leftover, entity="gate", key=f"{spec.key}/{leftover.key}")

    def wave_units(self, plan_key: str, wave_name: str, wave_id: int, unit_ids: list[int], units: dict[str, Unit]) -> None:
        """A wave's unit list is one attribute: replaced as a whole, audited as old → new."""
        current = set(self.session.exec(select(WaveUnit.unit_id).where(WaveUnit.wave_id == wave_id)))
        wanted = set(unit_ids)
        if current == wanted:
            return
        by_id = {u.id: u.key for u in units.values()}
        for unit_id in current - wanted:
            self.session.delete(self.session.get(WaveUnit, (wave_id, unit_id)))
        for unit_id in wanted - current:
            self.session.add(WaveUnit(wave_id=wave_id, unit_id=unit_id))
        self.session.flush()
        old = sorted(by_id.get(i, str(i)) for i in current)
        new = sorted(by_id[i] for i in wanted)
        key = f"{plan_key}/{wave_name}"
        logged = self._entries.get(("wave", key))
        if logged and logged.action == "create":
            # A wave created in this run: its units belong to the creation, not a second change.
            logged.fields = {**logged.fields, "units": new}
        elif logged:
            logged.fields = {**logged.fields, "units": [old, new]}
        else:
            self._log("update", "wave", key, {"units": [old, new]})


def apply_rollout(session: Session, spec: RolloutFile, *, actor: str, prune: bool = False) -> ApplyResult:
    """Upsert the file's organisations, units and plans in the caller's transaction."""
    return _Applier(session, spec, actor=actor, prune=prune).run()
