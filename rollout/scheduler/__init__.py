"""The small scheduler: job definitions in our own table, DST-correct triggers, APScheduler 3 as the wake-up engine.

- definitions: add, remove, pause, resume, list (checked at add, audited);
- triggers: cron and every, fire times computed here (DST rules in its docstring);
- runs / runner: what is due, claiming, running one job in one transaction, history;
- lock: one scheduler per database; engine: `scheduler run`;
- contract: what a job is given and returns (standard library only).
"""
