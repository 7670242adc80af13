"""Console sessions end server-side at logout; the cookie is scoped to the console.

Red team (issue 17): a console cookie saved before logout still opened the console and
changed a restriction afterwards (valid up to 8 hours).
"""

from __future__ import annotations

from flask import Flask

from plugin.extensions import db
from plugin.models import AdminSession, DataSubject, ProcessingRestriction
from tests.admin.helpers import csrf, sign_in


def test_a_cookie_saved_before_logout_opens_nothing_afterwards(app: Flask) -> None:
    subject = DataSubject()
    db.session.add(subject)
    db.session.commit()
    client = app.test_client()
    token = sign_in(app, client)
    saved = client.get_cookie("datavagt_admin", path="/admin")
    assert saved is not None
    assert client.post("/admin/logout", data={"csrf_token": token}).status_code == 302
    assert db.session.query(AdminSession).one().revoked_at is not None
    thief = app.test_client()
    thief.set_cookie("datavagt_admin", saved.value, path="/admin")
    response = thief.get("/admin/requests")
    assert response.status_code == 302 and response.headers["Location"].endswith("/admin/login")
    changed = thief.post(
        f"/admin/subjects/{subject.id}/restrict",
        data={"csrf_token": token, "kind": "restriction", "reason": "Sagen er lukket"},
    )
    assert changed.status_code == 302 and changed.headers["Location"].endswith("/admin/login")
    assert db.session.query(ProcessingRestriction).count() == 0


def test_the_cookie_is_sent_to_the_console_only(app: Flask) -> None:
    client = app.test_client()
    sign_in(app, client)
    cookie = client.get_cookie("datavagt_admin", path="/admin")
    assert cookie is not None and cookie.path == "/admin"
    assert client.get_cookie("datavagt_admin", path="/") is None


def test_a_session_id_brought_to_login_is_not_kept(app: Flask) -> None:
    client = app.test_client()
    sign_in(app, client)
    first = client.get_cookie("datavagt_admin", path="/admin").value
    sign_in(app, client)  # signing in again starts a new server-side session
    rows = db.session.query(AdminSession).order_by(AdminSession.created_at).all()
    assert len(rows) == 2 and rows[0].revoked_at is not None and rows[1].revoked_at is None
    replay = app.test_client()
    replay.set_cookie("datavagt_admin", first, path="/admin")
    assert replay.get("/admin/requests").status_code == 302
    assert csrf(client, "/admin/requests")
