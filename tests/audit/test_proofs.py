"""Merkle tree heads, inclusion and consistency proofs from the API, and the offline
verifier (public keys only) catching edit, delete, insert, reorder, truncate and forgery."""

from __future__ import annotations

import copy
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from flask import Flask
from flask.testing import FlaskClient

from plugin.audit.canonical import canonical_json
from plugin.audit.checkpoints import checkpoint_if_due
from plugin.audit.offline import OfflineError, event_hash_of, verify_document
from plugin.audit.verify import ChainError, verify_chain
from plugin.auth import issue_token
from plugin.cli.main import cli
from plugin.extensions import db
from plugin.keys import Keyring
from tests.audit.helpers import seed, sql


def _auth(app: Flask, role: str = "dpo") -> dict[str, str]:
    token = issue_token(app.extensions["datavagt.keyring"], agent=f"{role}-1", role=role)
    return {"Authorization": f"Bearer {token}"}


def _jwks(app: Flask) -> dict[str, Any]:
    return app.extensions["datavagt.keyring"].jwks()


def _log(sizes: tuple[int, ...] = (5, 13)) -> None:
    """Events with a signed tree head at each size."""
    done = 0
    for size in sizes:
        seed(size - done)
        checkpoint_if_due(force=True)
        db.session.commit()
        done = size


def _get(client: FlaskClient, app: Flask, url: str, status: int = 200) -> dict[str, Any]:
    response = client.get(url, headers=_auth(app))
    assert response.status_code == status, response.get_json()
    return response.get_json()


def test_every_event_proves_inclusion_offline(app: Flask, client: FlaskClient) -> None:
    _log()
    for seq in range(1, 14):
        proof = _get(client, app, f"/api/audit/proofs/inclusion?seq={seq}")
        assert proof["tree_size"] == (5 if seq <= 5 else 13)  # the smallest signed tree
        assert proof["leaf_index"] == seq - 1
        assert verify_document(proof, _jwks(app)).startswith(f"event seq {seq} is in")
    pinned = _get(client, app, "/api/audit/proofs/inclusion?seq=2&tree_size=13")
    assert pinned["tree_size"] == 13 and len(pinned["inclusion_path"]) == 4
    verify_document(pinned, _jwks(app))


def test_consistency_between_heads_offline(app: Flask, client: FlaskClient) -> None:
    _log((3, 5, 13))
    for first, second in ((3, 5), (5, 13), (3, 13), (13, 13)):
        proof = _get(client, app, f"/api/audit/proofs/consistency?first={first}&second={second}")
        assert "extends" in verify_document(proof, _jwks(app))


def test_proof_errors_are_clear(app: Flask, client: FlaskClient) -> None:
    _log((5,))
    seed(2)  # seq 6, 7: chained, not under a signed head yet
    assert _get(client, app, "/api/audit/proofs/inclusion?seq=99", 404)["error"]
    body = _get(client, app, "/api/audit/proofs/inclusion?seq=6", 409)
    assert "datavagt audit checkpoint" in body["error"]["message"]
    _get(client, app, "/api/audit/proofs/inclusion?seq=1&tree_size=4", 404)
    _get(client, app, "/api/audit/proofs/inclusion?seq=0", 422)
    _get(client, app, "/api/audit/proofs/inclusion?seq=1&extra=1", 422)
    _get(client, app, "/api/audit/proofs/consistency?first=5&second=3", 422)
    _get(client, app, "/api/audit/proofs/consistency?first=5", 422)
    assert client.get("/api/audit/proofs/inclusion?seq=1").status_code == 401
    agent = client.get("/api/audit/proofs/inclusion?seq=1", headers=_auth(app, "agent"))
    assert agent.status_code == 403


def test_forged_proofs_fail_offline(app: Flask, client: FlaskClient, tmp_path: Path) -> None:
    _log()
    proof = _get(client, app, "/api/audit/proofs/inclusion?seq=7")
    keys = _jwks(app)

    def fails(change: Callable[[dict[str, Any]], None], match: str) -> None:
        forged = copy.deepcopy(proof)
        change(forged)
        with pytest.raises(OfflineError, match=match):
            verify_document(forged, keys)

    def rewrite(doc: dict[str, Any]) -> None:  # edited, and its hash recomputed to match
        doc["event"]["field"] = "phone"
        doc["event"]["hash"] = event_hash_of(doc["event"])

    fails(lambda d: d["event"].update(field="phone"), "was edited")
    fails(rewrite, "does not lead to the signed root")
    fails(lambda d: d["inclusion_path"].reverse(), "does not lead to the signed root")
    fails(lambda d: d["inclusion_path"].pop(), "shorter")
    fails(lambda d: d.update(leaf_index=5), "leaf_index")
    fails(lambda d: d["tree_head"].update(root_hash="00" * 32), "root_hash differs")
    fails(lambda d: d["tree_head"].update(tree_size=12), "tree_size differs")
    fails(lambda d: d.update(tree_size=12), "tree_size differs")
    fails(lambda d: d["tree_head"].update(jws=d["tree_head"]["jws"][:-4] + "AAAA"), "verify")
    fails(lambda d: d.update(type="other"), "unknown file type")
    other = Keyring(tmp_path / "other.keys", None)  # the right format, somebody else's key
    with pytest.raises(OfflineError, match="unknown signing key"):
        verify_document(proof, other.jwks())


def test_database_verify_recomputes_roots(app: Flask) -> None:
    _log()
    keys = app.extensions["datavagt.keyring"]
    assert verify_chain(db.session, keys).checkpoints == 2
    sql("UPDATE audit_checkpoints SET root_hash = :r WHERE seq = 5", r="ab" * 32)
    with pytest.raises(ChainError, match="Merkle root hash differs"):
        verify_chain(db.session, keys)


@pytest.fixture
def bundle(app: Flask, database_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch):  # type: ignore[no-untyped-def]
    """The CLI's bundle of a 13-event log with heads at 5 and 13, plus the JWKS file."""
    monkeypatch.setenv("DATAVAGT_DATABASE_URL", database_url)
    monkeypatch.setenv("DATAVAGT_KEY_FILE", str(app.extensions["datavagt.keyring"].path))
    _log()
    out, jwks = tmp_path / "audit.json", tmp_path / "jwks.json"
    result = CliRunner().invoke(cli, ["audit", "bundle", "--out", str(out)])
    assert result.exit_code == 0, result.output
    assert result.output.strip().startswith("13 events, 2 signed tree heads written")
    jwks.write_text(json.dumps(_jwks(app)))
    return json.loads(out.read_text()), jwks, tmp_path


def _offline(document: dict[str, Any], jwks: Path, folder: Path) -> Any:
    path = folder / "check.json"
    path.write_text(json.dumps(document))
    # No database, no key file: only the file and the public keys.
    env = {"DATAVAGT_DATABASE_URL": "", "DATAVAGT_KEY_FILE": str(folder / "absent.keys")}
    return CliRunner().invoke(
        cli, ["audit", "verify", "--offline", str(path), "--jwks", str(jwks)], env=env
    )


def test_offline_bundle_ok(bundle) -> None:  # type: ignore[no-untyped-def]
    document, jwks, folder = bundle
    result = _offline(document, jwks, folder)
    assert result.exit_code == 0, result.output
    assert "13 events and 2 signed tree heads verified" in result.output
    assert not (folder / "absent.keys").exists()


def _resealed(document: dict[str, Any]) -> dict[str, Any]:
    """An attacker's fix-up: recompute every hash and link after a change (no key)."""
    prev = "0" * 64
    for seq, event in enumerate(document["events"], start=1):
        event["seq"], event["prev_hash"] = seq, prev
        event["hash"] = prev = event_hash_of(event)
    return document


@pytest.mark.parametrize(
    ("tamper", "match"),
    [
        (lambda d: d["events"][3].update(reason="x"), "was edited"),
        (lambda d: _resealed(d) if d["events"][3].update(reason="x") is None else d, "root"),
        (lambda d: d["events"].pop(7), "missing or reordered"),
        (lambda d: _resealed(d) if d["events"].pop(2) else d, "root differs"),
        (lambda d: d["events"].insert(4, copy.deepcopy(d["events"][4])), "missing or reordered"),
        (
            lambda d: _resealed(d) if d["events"].insert(1, dict(d["events"][0])) is None else d,
            "root differs",
        ),
        (lambda d: d["events"].reverse(), "missing or reordered"),
        (lambda d: _resealed(d) if d["events"].reverse() is None else d, "root differs"),
        (lambda d: d.update(events=d["events"][:10]), "events were cut off"),
        (lambda d: d["tree_heads"][0].update(root_hash="cd" * 32), "differs from what was signed"),
        (lambda d: d["tree_heads"][0].update(jws=d["tree_heads"][1]["jws"]), "differs"),
        (lambda d: d.update(version=2), "not a version 1"),
    ],
    ids=[
        "edit",
        "edit-resealed",
        "delete",
        "delete-resealed",
        "insert",
        "insert-resealed",
        "reorder",
        "reorder-resealed",
        "truncate",
        "forged-root",
        "swapped-head",
        "version",
    ],
)
def test_offline_bundle_tamper_detected(bundle, tamper, match: str) -> None:  # type: ignore[no-untyped-def]
    document, jwks, folder = bundle
    forged = copy.deepcopy(document)
    tamper(forged)
    result = _offline(forged, jwks, folder)
    assert result.exit_code == 1
    assert "NOT VALID" in result.stderr and match in result.stderr, result.stderr


def test_offline_bad_input_one_line(tmp_path: Path) -> None:
    junk = tmp_path / "junk.json"
    junk.write_text("{not json")
    jwks = tmp_path / "jwks.json"
    jwks.write_text(json.dumps({"keys": []}))
    runner = CliRunner()
    for args, message in (
        (["--offline", str(junk), "--jwks", str(jwks)], "is not a JSON file"),
        (["--offline", str(junk)], "needs --jwks"),
        (["--offline", str(tmp_path / "none.json"), "--jwks", str(jwks)], "cannot read"),
    ):
        result = runner.invoke(cli, ["audit", "verify", *args])
        assert result.exit_code == 1 and message in result.stderr
        assert len(result.stderr.strip().splitlines()) == 1
    assert canonical_json({"b": 1, "a": "å"}) == '{"a":"å","b":1}'.encode()
