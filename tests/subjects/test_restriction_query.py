"""is_restricted in one statement: merges followed up to the survivor and down to every
subject merged into it, exactly like group_ids(root_id(...))."""

from __future__ import annotations

import sqlalchemy as sa
from flask import Flask

from plugin.extensions import db
from plugin.models import DataSubject, ProcessingRestriction
from plugin.subjects.groups import group_ids, root_id
from plugin.subjects.restrictions import is_restricted


def _subjects(n: int) -> list[DataSubject]:
    made = [DataSubject() for _ in range(n)]
    db.session.add_all(made)
    db.session.flush()
    return made


def _restrict(subject: DataSubject, purpose: str | None) -> ProcessingRestriction:
    flag = ProcessingRestriction(
        subject_id=subject.id, purpose=purpose, kind="restriction", reason="test", created_by="t"
    )
    db.session.add(flag)
    db.session.flush()
    return flag


def test_merge_tree_in_one_statement(app: Flask) -> None:
    # survivor <- middle <- leaf, survivor <- sibling; an outsider apart.
    survivor, middle, leaf, sibling, outsider = _subjects(5)
    middle.merged_into_id = survivor.id
    leaf.merged_into_id = middle.id
    sibling.merged_into_id = survivor.id
    db.session.flush()
    group = [survivor, middle, leaf, sibling]
    assert not any(is_restricted(s.id) for s in [*group, outsider])
    flag = _restrict(leaf, "support")  # on the deepest merged subject, one purpose
    statements: list[str] = []

    def listen(_conn, _cursor, statement, *_args) -> None:  # type: ignore[no-untyped-def]
        statements.append(statement)

    sa.event.listen(db.engine, "before_cursor_execute", listen)
    try:
        assert all(is_restricted(s.id, "support") for s in group)
    finally:
        sa.event.remove(db.engine, "before_cursor_execute", listen)
    assert len(statements) == len(group)  # one round trip per check, however deep the merges
    assert all(is_restricted(s.id) for s in group)  # "any purpose" sees it too
    assert not any(is_restricted(s.id, "warranty") for s in group)
    assert not is_restricted(outsider.id, "support")
    for s in [*group, outsider]:  # the same people as the Python walk
        assert set(group_ids(root_id(s.id))) == (
            {g.id for g in group} if s is not outsider else {outsider.id}
        )
    flag.lifted_at = flag.created_at
    _restrict(survivor, None)  # all purposes, on the survivor: reaches the leaf
    assert is_restricted(leaf.id, "warranty")
    db.session.execute(sa.update(ProcessingRestriction).values(lifted_at=flag.created_at))
    assert not any(is_restricted(s.id, "support") for s in group)


def test_unknown_subject_counts_as_its_own_group(app: Flask) -> None:
    assert is_restricted("00000000-0000-0000-0000-000000000000") is False
    assert is_restricted(None) is False
