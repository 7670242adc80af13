"""A stateful Freshdesk API v2 simulator with webhooks, limits and faults."""

from __future__ import annotations

import json
import secrets
from datetime import UTC, datetime, timedelta
from typing import Any
from urllib.parse import urlencode

from flask import Flask, Response, jsonify, request

from adapters.basic_auth import basic_auth_header
from simulators.common.base import VendorSimulator
from simulators.common.webhooks import DeliveryPolicy
from simulators.common.window import WindowState

# Writable contact fields of PUT /api/v2/contacts/{id} (Freshdesk API v2 reference).
CONTACT_FIELDS = frozenset(
    "name email phone mobile twitter_id unique_external_id other_emails company_id address"
    " view_all_tickets other_companies avatar custom_fields description job_title language"
    " tags time_zone".split()
)


# Conversation "source" values (Freshdesk API v2): 0 a reply or e-mail, 2 a note.
REPLY_SOURCE = 0
NOTE_SOURCE = 2


# Deleted tickets go to Trash; Freshdesk removes them for good after 30 days there, and the
# API has no call that empties the trash for one ticket:
# https://partnersupport.freshworks.com/en/support/solutions/articles/228016-how-do-i-view-deleted-tickets-
TRASH_DAYS = 30

# Freshdesk archives closed tickets with no activity for 120 days; archived tickets answer
# 404 on the ticket endpoints and live on under /api/v2/tickets/archived/{id} (read-only, GET
# and DELETE, which deletes for good):
# https://partnersupport.freshworks.com/en/support/solutions/articles/212901-ticket-archiving
# and developers.freshdesk.com/api/#archive_tickets (View / Delete an archived ticket).
ARCHIVE_AFTER_DAYS = 120

# API credits per call: "Each include will consume an additional 2 credits. For example if
# you embed the stats information you will be charged a total of 3 API credits for the
# call" (List All Tickets, developers.freshdesk.com/api/#list_all_tickets); the View a
# Ticket embeds "consume additional API credits" (taken as the same 2 each). The charge is
# reported in X-RateLimit-Used-CurrentRequest.
INCLUDE_CREDITS = 2


def _now() -> str:
    return datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def _public(item: dict[str, Any]) -> dict[str, Any]:
    """A record as the API shows it: attachments without the bytes the simulator keeps."""
    if "attachments" not in item:
        return item
    files = [{k: v for k, v in a.items() if k != "content"} for a in item["attachments"]]
    return {**item, "attachments": files}


def _error(status: int, field: str, message: str, code: str) -> tuple[Response, int]:
    body = {
        "description": "Validation failed",
        "errors": [{"field": field, "message": message, "code": code}],
    }
    return jsonify(body), status


class FreshdeskSimulator(VendorSimulator):
    """Tickets, conversations and contacts behind Freshdesk's URLs and answers."""

    vendor = "freshdesk"
    # Per-minute credits per account, by plan: trial 50, Growth 200, Pro 400, Enterprise 700
    # (the default) (support.freshdesk.com/support/solutions/articles/225439); answers carry
    # X-RateLimit-Total/-Remaining/-Used-CurrentRequest and a 429 Retry-After in seconds
    # (developers.freshdesk.com/api/#ratelimit). Per-endpoint sub-limits (e.g. Tickets List
    # 200/min on Enterprise) are not modelled.
    sliding_window = False  # per-minute window (boundary behaviour unconfirmed)
    delivery_policy = DeliveryPolicy(max_attempts=1)

    def __init__(
        self,
        *,
        api_key: str = "sim-freshdesk-key",
        webhook_user: str = "datavagt",
        webhook_password: str = "sim-webhook-password",  # noqa: S107 - simulator default
        webhook_shape: str = "wrapper",
        rate_limit: int = 700,
        rate_window: float = 60.0,
        **kwargs: Any,
    ) -> None:
        self.api_key = api_key
        self.webhook_user = webhook_user
        self.webhook_password = webhook_password
        self.webhook_shape = webhook_shape
        super().__init__(rate_limit=rate_limit, rate_window=rate_window, **kwargs)

    def sidecar_settings(self) -> dict[str, str]:
        """The DATAVAGT_FRESHDESK_* values that point the sidecar at this simulator."""
        return {
            "base_url": self.url,
            "api_key": self.api_key,
            "webhook_user": self.webhook_user,
            "webhook_password": self.webhook_password,
        }

    # -- data -------------------------------------------------------------------------
    def reset_data(self) -> None:
        """Empty the account."""
        with self.lock:
            self.tickets: dict[int, dict[str, Any]] = {}
            self.contacts: dict[int, dict[str, Any]] = {}
            self.conversations: dict[int, list[dict[str, Any]]] = {}
            self.agents: dict[int, dict[str, Any]] = {}
            # Every agent has a personal API key (Profile settings); it acts as that agent.
            self.agent_keys: dict[str, int] = {}
            # Archived tickets, by id: gone from /tickets/{id}, kept under /tickets/archived.
            self.archived: dict[int, dict[str, Any]] = {}
            # The unconfirmed case where only notes can be deleted through the API.
            self.notes_only_deletable = False
            self._next_id = 1

    def _id(self) -> int:
        with self.lock:
            self._next_id += 1
            return self._next_id

    def add_agent(
        self,
        name: str,
        email: str,
        group_ids: list[int] | None = None,
        agent_id: int | None = None,
        active: bool = True,
    ) -> int:
        """An agent (the View Agent answer: developers.freshdesk.com/api/#view_agent, with
        ``group_ids`` and the agent's ``contact``); returns its id."""
        aid = agent_id or self._id()
        with self.lock:
            self.agents[aid] = {
                "id": aid,
                "available": True,
                "occasional": False,
                "ticket_scope": 1,
                "group_ids": list(group_ids or []),
                "role_ids": [],
                "contact": {"name": name, "email": email, "active": active},
                "created_at": _now(),
                "updated_at": _now(),
            }
            self.agent_keys[f"agent-key-{aid}-{secrets.token_hex(8)}"] = aid
        return aid

    def agent_api_key(self, agent_id: int) -> str:
        """The personal API key of an agent (what they copy from their profile settings)."""
        with self.lock:
            return next(key for key, aid in self.agent_keys.items() if aid == agent_id)

    def add_contact(self, name: str, email: str, phone: str | None = None, **extra: Any) -> int:
        """Create a contact; returns its id."""
        cid = self._id()
        with self.lock:
            self.contacts[cid] = {
                "id": cid,
                "name": name,
                "email": email,
                "phone": phone,
                "mobile": None,
                "deleted": False,
                "created_at": _now(),
                "updated_at": _now(),
                **extra,
            }
        return cid

    def add_ticket(
        self,
        subject: str,
        description: str,
        requester_id: int,
        *,
        status: int = 2,
        tags: list[str] | None = None,
        custom_fields: dict[str, Any] | None = None,
        updated_at: str | None = None,
        notify: bool = True,
        cc_emails: list[str] | None = None,
        fwd_emails: list[str] | None = None,
        reply_cc_emails: list[str] | None = None,
    ) -> int:
        """Create a ticket (and send a `created` webhook when configured).

        ``cc_emails``, ``fwd_emails`` and ``reply_cc_emails`` are the ticket object's address
        lists (developers.freshdesk.com/api/#tickets): someone CC'd on another person's
        ticket is held there, not as its requester. Create a ticket accepts cc_emails;
        Update a ticket accepts none of them (see ``_ticket``)."""
        tid = self._id()
        stamp = updated_at or _now()
        with self.lock:
            self.tickets[tid] = {
                "id": tid,
                "subject": subject,
                "description": description,
                "description_text": description,
                "status": status,
                "priority": 1,
                "requester_id": requester_id,
                "custom_fields": custom_fields or {},
                "tags": tags or [],
                "type": None,
                "created_at": stamp,
                "updated_at": stamp,
                "deleted": False,
                "cc_emails": list(cc_emails or []),
                "fwd_emails": list(fwd_emails or []),
                "reply_cc_emails": list(reply_cc_emails or []),
                "to_emails": None,
                "attachments": [],
                "stats": {
                    "closed_at": stamp if status == 5 else None,
                    "resolved_at": stamp if status >= 4 else None,
                },
            }
            self.conversations[tid] = []
        if notify:
            self._webhook(tid, "created")
        return tid

    def add_conversation(
        self,
        ticket_id: int,
        body: str,
        *,
        incoming: bool = True,
        private: bool = False,
        note: bool = False,
    ) -> int:
        """Add a reply or e-mail to a ticket, or a note (private ones are always notes)."""
        cid = self._id()
        with self.lock:
            self.conversations[ticket_id].append(
                {
                    "id": cid,
                    "body": body,
                    "body_text": body,
                    "incoming": incoming,
                    "private": private,
                    "source": NOTE_SOURCE if note or private else REPLY_SOURCE,
                    "user_id": self.tickets[ticket_id]["requester_id"],
                    "ticket_id": ticket_id,
                    "created_at": _now(),
                    "updated_at": _now(),
                    "attachments": [],
                }
            )
        return cid

    def add_attachment(
        self,
        ticket_id: int,
        name: str,
        content: bytes,
        *,
        conversation_id: int | None = None,
        content_type: str = "application/pdf",
    ) -> int:
        """Attach a file to a ticket or to one of its conversations (the attachment object
        of developers.freshdesk.com/api/#tickets: id, name, content_type, size,
        attachment_url); the bytes are kept so a look at the account finds them."""
        aid = self._id()
        with self.lock:
            record = {
                "id": aid,
                "name": name,
                "content_type": content_type,
                "size": len(content),
                "attachment_url": f"{self.url}/_sim/attachments/{aid}",
                "content": content.decode("latin-1"),
                "created_at": _now(),
                "updated_at": _now(),
            }
            if conversation_id is None:
                self.tickets[ticket_id]["attachments"].append(record)
            else:
                found = [c for c in self.conversations[ticket_id] if c["id"] == conversation_id]
                found[0]["attachments"].append(record)
        return aid

    def archive_ticket(self, ticket_id: int) -> None:
        """Archive one ticket now, as Freshdesk does to closed ones idle for 120 days."""
        with self.lock:
            ticket = self.tickets.pop(ticket_id)
            ticket["archived"] = True
            self.archived[ticket_id] = ticket

    def archive_idle(self, now: datetime | None = None) -> list[int]:
        """Archive every closed ticket untouched for ARCHIVE_AFTER_DAYS (Freshdesk's job)."""
        cutoff = (now or datetime.now(UTC)) - timedelta(days=ARCHIVE_AFTER_DAYS)
        with self.lock:
            idle = [
                tid
                for tid, t in self.tickets.items()
                if t["status"] == 5
                and not t["deleted"]
                and datetime.fromisoformat(t["updated_at"].replace("Z", "+00:00")) <= cutoff
            ]
            for tid in idle:
                self.archive_ticket(tid)
        return idle

    def snapshot(self) -> dict[str, Any]:
        """Every record, for inspection."""
        return {
            "tickets": list(self.tickets.values()),
            "archived": list(self.archived.values()),
            "contacts": list(self.contacts.values()),
            "conversations": self.conversations,
        }

    def purge_trash(self, now: datetime | None = None) -> list[int]:
        """Drop the tickets that sat in Trash for TRASH_DAYS (Freshdesk's own clean-up)."""
        cutoff = (now or datetime.now(UTC)) - timedelta(days=TRASH_DAYS)
        with self.lock:
            gone = [
                tid
                for tid, t in self.tickets.items()
                if t.get("deleted_at") and datetime.fromisoformat(t["deleted_at"]) <= cutoff
            ]
            for tid in gone:
                del self.tickets[tid]
                self.conversations.pop(tid, None)
        return gone

    def seed_demo(self) -> dict[str, Any]:
        """Load the demo tickets."""
        from simulators.freshdesk.seed import seed

        return seed(self)

    # -- vendor behaviour -------------------------------------------------------------
    def authenticate(self) -> Response | None:
        """API key as Basic user, any password. An agent's personal key is accepted for
        View Me (``GET /api/v2/agents/me``, "the currently authenticated agent"); the
        simulator gives agent keys no other access, Datavagt never uses them for more."""
        auth = request.authorization
        if auth is not None and request.path == "/api/v2/agents/me":
            with self.lock:
                if auth.username in self.agent_keys:
                    return None
        if auth is None or auth.username != self.api_key:
            body = {
                "code": "invalid_credentials",
                "message": "You have to be logged in to perform this action.",
            }
            return Response(json.dumps(body), 401, mimetype="application/json")
        return None

    def rate_headers(self, state: WindowState) -> dict[str, str]:
        """X-RateLimit-Total/Remaining/Used-CurrentRequest."""
        return {
            "X-RateLimit-Total": str(state.limit),
            "X-RateLimit-Remaining": str(state.remaining),
            "X-RateLimit-Used-CurrentRequest": str(getattr(request, "_sim_cost", 1)),
        }

    def request_cost(self) -> int:
        """1 credit, plus INCLUDE_CREDITS for each embed a ticket GET asks for."""
        if request.method != "GET" or not request.path.startswith("/api/v2/tickets"):
            return 1
        include = [i for i in request.args.get("include", "").split(",") if i.strip()]
        return 1 + INCLUDE_CREDITS * len(include)

    def rate_limited(self, state: WindowState) -> Response:
        """429 with Retry-After in seconds (body text unconfirmed)."""
        body = {"message": "You have exceeded the limit of requests per minute"}
        return Response(
            json.dumps(body),
            429,
            mimetype="application/json",
            headers={"Retry-After": str(max(1, round(state.retry_after + 0.49)))},
        )

    def server_error(self, status: int) -> Response:
        """5xx with a generic body."""
        body = {"code": "internal_error", "message": "We're sorry, something went wrong."}
        return Response(json.dumps(body), status, mimetype="application/json")

    def _webhook(self, ticket_id: int, action: str) -> None:
        """Send what an automation rule with 'Trigger webhook' would."""
        stamp = self.tickets.get(ticket_id, {}).get("updated_at", _now())
        if self.webhook_shape == "minimal":
            payload: dict[str, Any] = {"ticket_id": str(ticket_id)}
        else:
            payload = {
                "freshdesk_webhook": {
                    "ticket_id": str(ticket_id),
                    "triggered_event": f"{{ticket_action:{action}}}",
                    "ticket_updated_at": stamp,
                }
            }
        body = json.dumps(payload).encode()
        auth = basic_auth_header(self.webhook_user, self.webhook_password)

        def build(attempt: int) -> tuple[str, dict[str, str], bytes]:
            headers = {"Content-Type": "application/json", "Authorization": auth}
            return str(self.config["webhook_url"]), headers, body

        self.notify(build)

    # -- routes -----------------------------------------------------------------------
    def register_routes(self, app: Flask) -> None:
        """Freshdesk API v2 endpoints the adapter uses."""
        app.add_url_rule("/api/v2/tickets", view_func=self._list_tickets, methods=["GET"])
        app.add_url_rule("/api/v2/tickets", view_func=self._create_ticket, methods=["POST"])
        app.add_url_rule(
            "/api/v2/tickets/<int:id>", view_func=self._ticket, methods=["GET", "PUT", "DELETE"]
        )
        app.add_url_rule(
            "/api/v2/tickets/<int:id>/conversations", view_func=self._conversations, methods=["GET"]
        )
        app.add_url_rule(
            "/api/v2/conversations/<int:id>", view_func=self._conversation, methods=["PUT"]
        )
        app.add_url_rule("/api/v2/contacts", view_func=self._list_contacts, methods=["GET"])
        app.add_url_rule(
            "/api/v2/contacts/<int:id>", view_func=self._contact, methods=["GET", "PUT", "DELETE"]
        )
        app.add_url_rule(
            "/api/v2/contacts/<int:id>/hard_delete", view_func=self._hard_delete, methods=["DELETE"]
        )
        app.add_url_rule("/api/v2/agents/me", view_func=self._agent_me, methods=["GET"])
        app.add_url_rule("/api/v2/agents/<int:id>", view_func=self._agent, methods=["GET"])
        app.add_url_rule(
            "/api/v2/tickets/archived/<int:id>",
            view_func=self._archived,
            methods=["GET", "DELETE"],
        )
        app.add_url_rule(
            "/api/v2/tickets/archived/<int:id>/conversations",
            view_func=self._archived_conversations,
            methods=["GET"],
        )
        app.add_url_rule(
            "/api/v2/conversations/<int:id>",
            view_func=self._delete_conversation,
            methods=["DELETE"],
            endpoint="delete_conversation",
        )
        app.add_url_rule(
            "/api/v2/attachments/<int:id>", view_func=self._delete_attachment, methods=["DELETE"]
        )

    def _agent_me(self) -> Any:
        """View Me: the agent the API key belongs to (the account's admin key is no agent
        in the simulator, so it answers 404 here)."""
        auth = request.authorization
        with self.lock:
            aid = self.agent_keys.get(auth.username if auth else "")
            agent = self.agents.get(aid) if aid is not None else None
            return Response(status=404) if agent is None else jsonify(agent)

    def _agent(self, id: int) -> Any:  # noqa: A002
        with self.lock:
            agent = self.agents.get(id)
            return Response(status=404) if agent is None else jsonify(agent)

    def _page(self, items: list[dict[str, Any]], limit_pages: bool) -> Any:
        try:
            page = int(request.args.get("page", "1"))
            per_page = int(request.args.get("per_page", "30"))
        except ValueError:
            return _error(400, "page", "It should be a Positive Number", "datatype_mismatch")
        if per_page < 1 or per_page > 100:
            return _error(400, "per_page", "Has to be between 1 and 100", "invalid_value")
        if limit_pages and page > 300:
            return _error(
                400,
                "page",
                "You cannot access tickets beyond the 300th page. "
                "Please provide a smaller page number.",
                "invalid_value",
            )
        chunk = items[(page - 1) * per_page : page * per_page]
        response = jsonify(chunk)
        if page * per_page < len(items):
            args = {**request.args.to_dict(), "page": str(page + 1)}
            response.headers["Link"] = f'<{request.base_url}?{urlencode(args)}>; rel="next"'
        return response

    def _list_tickets(self) -> Any:
        since = request.args.get("updated_since")
        with self.lock:
            items = [t for t in self.tickets.values() if not t["deleted"]]
            if since:
                items = [t for t in items if t["updated_at"] >= since.replace("Z", "")]
            key = request.args.get("order_by", "created_at")
            reverse = request.args.get("order_type", "desc") == "desc"
            items = sorted(items, key=lambda t: (t.get(key) or "", t["id"]), reverse=reverse)
            items = [self._render_ticket(t) for t in items]
        return self._page(items, limit_pages=True)

    def _render_ticket(self, ticket: dict[str, Any]) -> dict[str, Any]:
        include = set(filter(None, request.args.get("include", "").split(",")))
        body = {k: v for k, v in _public(ticket).items() if k not in ("stats",)}
        if "stats" in include:
            body["stats"] = ticket["stats"]
        if "requester" in include:
            contact = self.contacts.get(ticket["requester_id"])
            if contact:
                body["requester"] = {
                    k: contact[k] for k in ("id", "name", "email", "phone", "mobile")
                }
        return body

    def _ticket(self, id: int) -> Any:  # noqa: A002 - Freshdesk's own name
        with self.lock:
            ticket = self.tickets.get(id)
            if ticket is None or (ticket["deleted"] and request.method != "GET"):
                return Response(status=404)
            if request.method == "GET":
                return jsonify(self._render_ticket(ticket))
            if request.method == "DELETE":
                ticket["deleted"] = True  # to Trash: kept, restorable, until TRASH_DAYS pass
                ticket["updated_at"] = ticket["deleted_at"] = _now()
            else:
                body = request.get_json(silent=True)
                if not isinstance(body, dict):
                    return _error(400, "body", "Invalid JSON", "invalid_json")
                # The fields of Update a ticket the simulator models; cc_emails, fwd_emails
                # and reply_cc_emails are not among Update a ticket's parameters
                # (developers.freshdesk.com/api/#update_ticket), so they answer 400
                # invalid_field like any field the endpoint does not take.
                allowed = {
                    "subject",
                    "description",
                    "status",
                    "priority",
                    "tags",
                    "custom_fields",
                    "type",
                }
                bad = sorted(set(body) - allowed)
                if bad:
                    return _error(
                        400, bad[0], "Unexpected/invalid field in request", "invalid_field"
                    )
                custom = body.pop("custom_fields", None) or {}
                ticket.update(body)
                ticket["custom_fields"].update(custom)
                if "description" in body:
                    ticket["description_text"] = body["description"]
                ticket["updated_at"] = _now()
        self._webhook(id, "deleted" if request.method == "DELETE" else "updated")
        if request.method == "DELETE":
            return Response(status=204)
        return jsonify(self._render_ticket(ticket))

    def _create_ticket(self) -> Any:
        """Create a ticket; the requester is found or created by e-mail (or given by id)."""
        body = request.get_json(silent=True)
        if not isinstance(body, dict):
            return _error(400, "body", "Invalid JSON", "invalid_json")
        allowed = {"subject", "description", "status", "priority", "email", "name", "phone"}
        allowed |= {"requester_id", "tags", "custom_fields", "type", "cc_emails"}
        bad = sorted(set(body) - allowed)
        if bad:
            return _error(400, bad[0], "Unexpected/invalid field in request", "invalid_field")
        if not any(body.get(k) for k in ("requester_id", "email", "phone")):
            message = "Please fill at least 1 of requester_id, email"
            return _error(400, "requester_id", message, "missing_field")
        requester = body.get("requester_id")
        if requester is None and body.get("email"):
            found = [
                c["id"]
                for c in self.contacts.values()
                if not c["deleted"] and (c["email"] or "").lower() == body["email"].lower()
            ]
            requester = found[0] if found else None
        if requester is None:
            requester = self.add_contact(
                body.get("name") or body.get("email") or "", body.get("email"), body.get("phone")
            )
        elif requester not in self.contacts:
            return _error(400, "requester_id", "There is no contact matching", "invalid_value")
        tid = self.add_ticket(
            str(body.get("subject") or ""),
            str(body.get("description") or ""),
            int(requester),
            status=int(body.get("status") or 2),
            tags=list(body.get("tags") or []),
            custom_fields=dict(body.get("custom_fields") or {}),
            cc_emails=[str(a) for a in body.get("cc_emails") or []],
        )
        with self.lock:
            rendered = self._render_ticket(self.tickets[tid])
        return jsonify(rendered), 201

    def _conversations(self, id: int) -> Any:  # noqa: A002
        with self.lock:
            if id not in self.tickets:
                return Response(status=404)
            items = [_public(c) for c in self.conversations.get(id, [])]
        return self._page(items, limit_pages=False)

    def _conversation(self, id: int) -> Any:  # noqa: A002
        """Update a note's body; replies and e-mails can't be edited through the API."""
        body = request.get_json(silent=True)
        if not isinstance(body, dict):
            return _error(400, "body", "Invalid JSON", "invalid_json")
        bad = sorted(set(body) - {"body", "attachments"})
        if bad:
            return _error(400, bad[0], "Unexpected/invalid field in request", "invalid_field")
        if not isinstance(body.get("body"), str) or not body["body"]:
            return _error(400, "body", "It should be a/an String", "datatype_mismatch")
        with self.lock:
            found = [
                (tid, item)
                for tid, items in self.conversations.items()
                for item in items
                if item["id"] == id and tid in self.tickets and not self.tickets[tid]["deleted"]
            ]
            if not found:
                return Response(status=404)
            _tid, item = found[0]
            if item["source"] != NOTE_SOURCE:
                return _error(400, "id", "Only notes can be updated", "inconsistent_state")
            item["body"] = item["body_text"] = body["body"]
            item["updated_at"] = _now()
            return jsonify(_public(item))

    def _list_contacts(self) -> Any:
        email = request.args.get("email")
        with self.lock:
            items = [c for c in self.contacts.values() if not c["deleted"]]
            if email:
                items = [c for c in items if (c["email"] or "").lower() == email.lower()]
        return self._page(items, limit_pages=False)

    def _contact(self, id: int) -> Any:  # noqa: A002
        with self.lock:
            contact = self.contacts.get(id)
            if contact is not None and contact["deleted"] and request.method == "GET":
                # A soft-deleted contact is still there, "deleted": true (the contact's
                # `deleted` attribute, developers.freshdesk.com/api/#contacts), until the
                # hard delete.
                return jsonify(contact)
            if contact is None or contact["deleted"]:
                return Response(status=404)
            if request.method == "GET":
                return jsonify(contact)
            if request.method == "DELETE":
                contact["deleted"] = True
                return Response(status=204)
            body = request.get_json(silent=True)
            if not isinstance(body, dict):
                return _error(400, "body", "Invalid JSON", "invalid_json")
            problem = self._contact_problem(id, body)
            if problem is not None:
                return problem
            contact.update(body)
            contact["updated_at"] = _now()
            return jsonify(contact)

    def _contact_problem(self, cid: int, body: dict[str, Any]) -> tuple[Response, int] | None:
        """Freshdesk's answers to a contact update: unknown field 400, e-mail in use 409."""
        bad = sorted(set(body) - CONTACT_FIELDS)
        if bad:
            return _error(400, bad[0], "Unexpected/invalid field in request", "invalid_field")
        email = str(body.get("email") or "").lower()
        taken = email and any(
            c["id"] != cid and (c["email"] or "").lower() == email for c in self.contacts.values()
        )
        if taken:
            return _error(409, "email", "It should be a unique value", "duplicate_value")
        return None

    def _hard_delete(self, id: int) -> Any:  # noqa: A002
        with self.lock:
            contact = self.contacts.get(id)
            if contact is None:
                return Response(status=404)
            if not contact["deleted"] and request.args.get("force") != "true":
                return _error(
                    400,
                    "contact_id",
                    "The contact should be soft deleted first",
                    "inconsistent_state",
                )
            del self.contacts[id]
            # "Hard deletion permanently deletes the Contact ... along with their tickets,
            # calls, forum topics and comments, satisfaction ratings, todos, and notes"
            # (support.freshdesk.com/en/support/solutions/articles/227558): trashed and
            # archived tickets included (unconfirmed for archived ones).
            for store in (self.tickets, self.archived):
                for tid in [t for t, v in store.items() if v["requester_id"] == id]:
                    del store[tid]
                    self.conversations.pop(tid, None)
        return Response(status=204)

    def _archived(self, id: int) -> Any:  # noqa: A002
        """View / Delete an archived ticket (developers.freshdesk.com/api/#archive_tickets);
        the delete is permanent: no Trash for archived tickets ("Delete forever")."""
        with self.lock:
            ticket = self.archived.get(id)
            if ticket is None:
                return Response(status=404)
            if request.method == "GET":
                return jsonify({k: v for k, v in _public(ticket).items() if k != "stats"})
            del self.archived[id]
            self.conversations.pop(id, None)
        return Response(status=204)

    def _archived_conversations(self, id: int) -> Any:  # noqa: A002
        with self.lock:
            if id not in self.archived:
                return Response(status=404)
            items = [_public(c) for c in self.conversations.get(id, [])]
        return self._page(items, limit_pages=False)

    def _delete_conversation(self, id: int) -> Any:  # noqa: A002
        """Delete a conversation (DELETE /api/v2/conversations/{id}, Freshdesk's endpoint
        list): permanent. Whether replies and incoming e-mails can be deleted, not only
        notes, is not confirmed; the simulator lets all be deleted on a live ticket."""
        with self.lock:
            for tid, items in self.conversations.items():
                ticket = self.tickets.get(tid)
                if ticket is None or ticket["deleted"]:
                    continue
                for item in items:
                    if item["id"] == id:
                        if self.notes_only_deletable and item["source"] != NOTE_SOURCE:
                            message = "Only notes can be deleted"
                            return _error(400, "id", message, "inconsistent_state")
                        items.remove(item)
                        return Response(status=204)
        return Response(status=404)

    def _delete_attachment(self, id: int) -> Any:  # noqa: A002
        """Delete an attachment (DELETE /api/v2/attachments/{id}) of a live ticket or of one
        of its conversations: permanent."""
        with self.lock:
            for tid, ticket in self.tickets.items():
                if ticket["deleted"]:
                    continue
                holders = [ticket, *self.conversations.get(tid, [])]
                for holder in holders:
                    for item in holder.get("attachments", []):
                        if item["id"] == id:
                            holder["attachments"].remove(item)
                            return Response(status=204)
        return Response(status=404)
