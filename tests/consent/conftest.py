"""Consent test helpers: subjects, tokens, seeded texts."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from flask import Flask

from plugin.auth import issue_token
from plugin.consent.seed import seed_now
from plugin.extensions import db
from plugin.models import DataSubject


@pytest.fixture
def seeded(app: Flask) -> Flask:
    """The app with the manifest's consent texts published."""
    seed_now(app)
    return app


@pytest.fixture
def subject_id(app: Flask) -> str:
    """A fresh data subject."""
    subject = DataSubject()
    db.session.add(subject)
    db.session.commit()
    return subject.id


@pytest.fixture
def bearer(app: Flask) -> Callable[..., dict[str, str]]:
    """Authorization headers for a role."""

    def headers(role: str, agent: str = "agent-7") -> dict[str, str]:
        token = issue_token(app.extensions["datavagt.keyring"], agent=agent, role=role)
        return {"Authorization": f"Bearer {token}"}

    return headers
