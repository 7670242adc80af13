"""The agent view's hot path: one query for the ticket with its findings, vault rows and
decryption only for the values the role may see, and an audit insert without a lock."""

from __future__ import annotations

from collections.abc import Callable, Iterator

import pytest
import sqlalchemy as sa
from flask import Flask

from plugin.access.levels import CLEAR, PARTIAL
from plugin.extensions import db
from plugin.vault import get_vault
from tests.agents.helpers import bearer
from tests.agents.seeding import seed_ticket

URL = "/api/tickets/freshdesk/1001"


@pytest.fixture
def app(make_app: Callable[..., Flask]) -> Iterator[Flask]:
    """Commits only queue (no sequencer pass): the statements are the request's own."""
    application = make_app(audit_sequencer="off")
    with application.app_context():
        yield application


@pytest.fixture
def statements(app: Flask) -> Iterator[list[str]]:
    """Every SQL statement the app sends while the test runs."""
    seen: list[str] = []

    def listen(_conn, _cursor, statement, *_args) -> None:  # type: ignore[no-untyped-def]
        seen.append(" ".join(statement.lower().split()))

    sa.event.listen(db.engine, "before_cursor_execute", listen)
    yield seen
    sa.event.remove(db.engine, "before_cursor_execute", listen)


def _decrypts(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    calls: list[str] = []
    vault = get_vault()
    real = vault.decrypt

    def counting(item):  # type: ignore[no-untyped-def]
        calls.append(item.id)
        return real(item)

    monkeypatch.setattr(type(vault), "decrypt", lambda self, item: counting(item))
    return calls


@pytest.mark.parametrize("role", ["agent", "team_lead", "dpo"])
def test_one_query_and_decrypt_only_what_is_shown(
    app: Flask, statements: list[str], monkeypatch: pytest.MonkeyPatch, role: str
) -> None:
    seed_ticket(extra=4)
    db.session.commit()
    client = app.test_client()
    assert client.get(URL, headers=bearer(app, role)).status_code == 200  # policy audited
    calls = _decrypts(monkeypatch)
    statements.clear()
    response = client.get(URL, headers=bearer(app, role))
    assert response.status_code == 200
    findings = [f for field in response.get_json()["fields"] for f in field["findings"]]
    shown = [f for f in findings if f["level"] in (PARTIAL, CLEAR)]
    assert len(calls) == len(shown)  # nothing decrypted that the role does not see
    reads_findings = [s for s in statements if s.startswith("select") and "from tickets" in s]
    assert len(reads_findings) == 1 and "join findings" in reads_findings[0]
    assert not [s for s in statements if "from findings" in s and "from tickets" not in s]
    vault_reads = [s for s in statements if "from vault_items" in s]
    assert len(vault_reads) == (1 if shown else 0)
    # Restriction (merges followed) and consent in one more: three reads in all at most.
    assert len([s for s in statements if s.startswith(("select", "with"))]) == 2 + len(vault_reads)
    # The audit write is one insert into the queue; no chain lock on the request path.
    assert [s for s in statements if s.startswith("insert")] == [
        s for s in statements if s.startswith("insert into audit_queue")
    ]
    assert len([s for s in statements if s.startswith("insert")]) == 1
    assert not [s for s in statements if "advisory" in s or "audit_events" in s]
