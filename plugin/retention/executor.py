"""Make one job's vendor call; deleting what is already gone counts as done."""

from __future__ import annotations

from dataclasses import dataclass

from plugin.retention.outbox import ClaimedJob
from plugin.vendors.contract import Adapter
from plugin.vendors.errors import AdapterError, CredentialsError, NotFound

ANONYMISED = "[anonymised by Datavagt]"
# Contact fields per vendor that name or reach the person; overwritten on anonymisation.
ANONYMOUS_CONTACT: dict[str, dict[str, str | None]] = {
    "freshdesk": {"name": "Anonymised", "phone": None, "mobile": None, "address": None},
    "hubspot": {
        "firstname": "Anonymised",
        "lastname": "",
        "phone": "",
        "address": "",
        "city": "",
        "zip": "",
    },
    # The Dynamics adapter blanks every personal column its contact metadata lists.
    "dynamics": {},
}


class JobFailed(Exception):
    """The vendor call failed; ``retryable`` says whether another attempt may succeed."""

    def __init__(self, message: str, retryable: bool) -> None:
        super().__init__(message)
        self.retryable = retryable


@dataclass(frozen=True)
class Outcome:
    """What the vendor call achieved: ``done`` (2xx) or ``already_absent`` (404)."""

    result: str
    object_ref: str
    stores: tuple[dict[str, str], ...] = ()  # per vendor store: {store, state, reason, until}


def execute(job: ClaimedJob, adapters: dict[str, Adapter]) -> Outcome:
    """Run the job against its vendor; raise JobFailed with a message free of personal data."""
    adapter = adapters.get(job.vendor)
    if adapter is None:
        raise JobFailed(f"vendor {job.vendor} is not configured", retryable=True)
    stores: list[dict[str, str]] | None = None
    try:
        target = job.target or _contact_of(adapter, job)
        if job.kind == "delete_ticket":
            stores = adapter.delete_ticket(target)
        elif job.kind == "anonymise_ticket":
            fields = sorted(adapter.writable_fields)
            adapter.write_fields(target, dict.fromkeys(fields, ANONYMISED))
            _anonymise_conversations(adapter, target)
        elif job.kind in ("erase_contact", "delete_contact"):
            stores = adapter.erase_contact(target)
        elif job.kind == "anonymise_contact":
            values = ANONYMOUS_CONTACT.get(job.vendor, {"name": "Anonymised"})
            adapter.anonymise_contact(target, values)  # type: ignore[arg-type]
        else:
            raise JobFailed(f"unknown job kind {job.kind}", retryable=False)
    except NotFound as exc:
        return Outcome("already_absent", job.target or "", tuple(exc.stores))
    except CredentialsError as exc:
        raise JobFailed(str(exc), retryable=False) from exc
    except AdapterError as exc:
        # str(AdapterError) names vendor, method, path template and status: no record content.
        raise JobFailed(str(exc), retryable=exc.retryable or exc.status is None) from exc
    return Outcome("done", target, tuple(stores or ()))


def _anonymise_conversations(adapter: Adapter, ticket_id: str) -> None:
    """Overwrite the conversations the vendor lets us edit (e.g. notes holding tokens)."""
    if not adapter.edits_conversations:
        return
    for conversation in adapter.get_ticket(ticket_id).conversations:
        # A retried job finds the notes it already overwrote: no second write.
        if conversation.writable and ANONYMISED not in conversation.body.text:
            adapter.write_conversation(ticket_id, conversation.external_id, ANONYMISED)


def _contact_of(adapter: Adapter, job: ClaimedJob) -> str:
    """The requester of the job's ticket, when the contact id was not known at enqueue time."""
    ticket_ref = job.params.get("ticket_external_id")
    if not ticket_ref:
        raise JobFailed("job has no target and no ticket to find the contact by", False)
    ticket = adapter.get_ticket(str(ticket_ref))
    if ticket.requester is None or not ticket.requester.external_id:
        raise NotFound(job.vendor, "ticket has no requester", status=404)
    return str(ticket.requester.external_id)
