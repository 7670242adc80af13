"""Where HubSpot keeps a person besides the record: property history, files attached to
e-mails and notes, conversations inbox threads, and archived activities."""

from __future__ import annotations

import threading
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Any

from flask import Flask, Response, request

from simulators.hubspot.sim_answers import error, json_response, now

# "Archives a thread" (DELETE /conversations/v3/conversations/threads/{threadId},
# developers.hubspot.com/docs/api-reference/conversations-conversations-v3/public-thread/
# delete-conversations-v3-conversations-threads-threadId): a soft delete, restorable. How
# long HubSpot keeps an archived thread is not stated there; 30 days is assumed.
THREAD_TRASH_DAYS = 30


class GdprMixin:
    """Files (with their GDPR delete), inbox threads, property history, archived activities."""

    lock: threading.RLock
    tickets: dict[str, dict[str, Any]]
    contacts: dict[str, dict[str, Any]]
    engagements: dict[str, dict[str, dict[str, Any]]]
    _new_id: Callable[[], str]

    def reset_gdpr(self) -> None:
        with self.lock:
            self.files: dict[str, dict[str, Any]] = {}
            self.threads: dict[str, dict[str, Any]] = {}

    # -- property history ---------------------------------------------------------------
    @staticmethod
    def remember(record: dict[str, Any], props: dict[str, Any], source: str = "API") -> None:
        """Every value a property held, newest first: what `propertiesWithHistory` returns
        (CRM objects API: "propertiesWithHistory: A comma separated list of the properties
        to be returned along with their history of previous values")."""
        history = record.setdefault("history", {})
        stamp = now()
        for name, value in props.items():
            if value is None:
                continue
            history.setdefault(name, []).insert(
                0, {"value": str(value), "timestamp": stamp, "sourceType": source}
            )

    @staticmethod
    def with_history(record: dict[str, Any], body: dict[str, Any]) -> dict[str, Any]:
        """Add the requested properties' history to an answer."""
        wanted = [p for p in request.args.get("propertiesWithHistory", "").split(",") if p]
        if wanted:
            history = record.get("history") or {}
            body["propertiesWithHistory"] = {p: list(history.get(p, [])) for p in wanted}
        body.pop("history", None)
        return body

    # -- files ----------------------------------------------------------------------------
    def add_file(self, name: str, content: bytes) -> str:
        """A file in the file manager (attach it with hs_attachment_ids); returns its id."""
        fid = self._new_id()
        with self.lock:
            self.files[fid] = {"id": fid, "name": name, "content": content.decode("latin-1")}
        return fid

    # -- conversations inbox ------------------------------------------------------------
    def add_thread(self, contact_id: str, *messages: str) -> str:
        """An inbox thread with the contact (associatedContactId) and its messages."""
        tid = self._new_id()
        with self.lock:
            self.threads[tid] = {
                "id": tid,
                "associatedContactId": contact_id,
                "status": "OPEN",
                "archived": False,
                "createdAt": now(),
                "messages": [
                    {"id": self._new_id(), "type": "MESSAGE", "text": m} for m in messages
                ],
            }
        return tid

    def purge_threads(self, when: datetime | None = None) -> list[str]:
        """HubSpot's own clean-up of archived threads after THREAD_TRASH_DAYS (assumed)."""
        cutoff = (when or datetime.now(UTC)) - timedelta(days=THREAD_TRASH_DAYS)
        with self.lock:
            gone = [
                t
                for t, row in self.threads.items()
                if row.get("archivedAt") and datetime.fromisoformat(row["archivedAt"]) <= cutoff
            ]
            for t in gone:
                del self.threads[t]
        return gone

    def register_gdpr_routes(self, app: Flask) -> None:
        app.add_url_rule(
            "/files/v3/files/<fileId>/gdpr-delete",
            view_func=self._gdpr_delete_file,
            methods=["DELETE"],
        )
        app.add_url_rule(
            "/conversations/v3/conversations/threads", view_func=self._threads, methods=["GET"]
        )
        app.add_url_rule(
            "/conversations/v3/conversations/threads/<threadId>",
            view_func=self._archive_thread,
            methods=["DELETE"],
        )

    def _gdpr_delete_file(self, fileId: str) -> Response:  # noqa: N803 - the spec's name
        """GDPR-delete file (developers.hubspot.com/docs/api-reference/files-files-v3/files/
        delete-files-v3-files-fileId-gdpr-delete): the file and its data are gone for good
        (unlike DELETE /files/v3/files/{fileId}, which leaves "related data" behind)."""
        with self.lock:
            if self.files.pop(fileId, None) is None:
                return error(404, "resource not found", "OBJECT_NOT_FOUND")
        return Response(status=204)

    def _threads(self) -> Response:
        """Threads by `associatedContactId` (archived ones only with `archived=true`)."""
        contact = request.args.get("associatedContactId")
        archived = request.args.get("archived") == "true"
        with self.lock:
            rows = [
                {k: v for k, v in t.items() if k != "messages"}
                for t in self.threads.values()
                if t["archived"] == archived
                and (contact is None or t["associatedContactId"] == contact)
            ]
        return json_response({"results": rows})

    def _archive_thread(self, threadId: str) -> Response:  # noqa: N803
        with self.lock:
            thread = self.threads.get(threadId)
            if thread is None or thread["archived"]:
                return error(404, "resource not found", "OBJECT_NOT_FOUND")
            thread["archived"] = True
            thread["archivedAt"] = now()
        return Response(status=204)
