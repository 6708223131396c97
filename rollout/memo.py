"""Shared reads: inside one read-only evaluation, an identical library read runs once.

A plan's gates are all measured as of the same instant, and the cutover
report measures them and then reads the same readiness figures again: the
same training status, the same superuser ratios, the same open P1 tickets.
`shared_reads(session)` opens such a scope (nested scopes join the outer one);
functions decorated with `@shared_read` return the first result of an
identical call (same function, same keyword arguments) while it is open, and
run as usual outside one. Nothing that writes may run inside a scope.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any, TypeVar

_KEY = "golive_shared_reads"
F = TypeVar("F", bound=Callable[..., Any])


@contextmanager
def shared_reads(session: Any) -> Iterator[None]:
    """Reads through `@shared_read` functions are shared until the block ends (the outermost block, when nested)."""
    if _KEY in session.info:
        yield
        return
    session.info[_KEY] = {}
    try:
        yield
    finally:
        session.info.pop(_KEY, None)


def _frozen(value: Any) -> Any:
    if isinstance(value, (list, tuple)):
        return tuple(_frozen(v) for v in value)
    if isinstance(value, (set, frozenset)):
        return frozenset(_frozen(v) for v in value)
    if isinstance(value, dict):
        return tuple(sorted((str(k), _frozen(v)) for k, v in value.items()))
    if hasattr(value, "__table__"):  # a row (a Plan, a Gate): the same row within one read-only scope
        return (type(value).__name__, getattr(value, "id", None))
    return value


def shared_read(fn: F) -> F:
    """Share the result of `fn(session, **keywords)` within a `shared_reads` scope (a list result is copied)."""

    @functools.wraps(fn)
    def wrapper(session: Any, *args: Any, **kwargs: Any) -> Any:
        memo = session.info.get(_KEY)
        if memo is None:
            return fn(session, *args, **kwargs)
        key = (fn.__module__, fn.__qualname__, _frozen(args), _frozen(kwargs))
        try:
            hash(key)
        except TypeError:  # an argument that cannot be compared: read as usual
            return fn(session, *args, **kwargs)
        if key not in memo:
            memo[key] = fn(session, *args, **kwargs)
        result = memo[key]
        return list(result) if isinstance(result, list) else result

    return wrapper  # type: ignore[return-value]
