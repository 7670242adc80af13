"""Realistic demo tickets (Danish and English) carrying personal data, for the simulators."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class DemoPerson:
    """A fictitious requester."""

    first: str
    last: str
    email: str
    phone: str
    address: str


@dataclass(frozen=True)
class DemoTicket:
    """A fictitious ticket in one language."""

    lang: str
    subject: str
    body: str
    person: DemoPerson
    tags: tuple[str, ...] = ()
    closed: bool = False


PEOPLE = (
    DemoPerson(
        "Mette",
        "Jørgensen",
        "mette.jorgensen@example.dk",
        "+45 21 34 56 78",
        "Nørrebrogade 12, 2. th, 2200 København N",
    ),
    DemoPerson(
        "Lars",
        "Nielsen",
        "lars.nielsen@example.dk",
        "+45 40 11 22 33",
        "Vestergade 5, 8000 Aarhus C",
    ),
    DemoPerson(
        "Emily",
        "Carter",
        "emily.carter@example.com",
        "+44 20 7946 0958",
        "221B Baker Street, London NW1 6XE",
    ),
    DemoPerson(
        "James",
        "O'Brien",
        "james.obrien@example.com",
        "+1 415 555 0134",
        "1 Market Street, San Francisco, CA 94105",
    ),
)

TICKETS = (
    DemoTicket(
        "da",
        "Refusion af dobbelt betaling",
        "<p>Hej, jeg er blevet trukket to gange. Mit CPR-nummer er 070761-4285 og min "
        "konto er IBAN DK50 0040 0440 1162 43. Ring gerne på +45 21 34 56 78.</p>",
        PEOPLE[0],
        ("betaling",),
    ),
    DemoTicket(
        "da",
        "Forsinket levering",
        "<p>Pakken er ikke kommet til Vestergade 5, 8000 Aarhus C. Jeg er diabetiker og "
        "venter på mit insulinudstyr. Skriv til lars.nielsen@example.dk.</p>",
        PEOPLE[1],
        ("levering", "haster"),
    ),
    DemoTicket(
        "en",
        "Warranty claim for headphones",
        "<p>My headphones broke after two months. I live at 221B Baker Street, London "
        "NW1 6XE, phone +44 20 7946 0958. Card ending 4242 was charged.</p>",
        PEOPLE[2],
        ("warranty",),
    ),
    DemoTicket(
        "en",
        "Please delete my account",
        "<p>I want all my data erased under GDPR. My email is james.obrien@example.com and "
        "I was treated for depression last year, so please stop the health newsletters.</p>",
        PEOPLE[3],
        ("gdpr",),
        True,
    ),
    DemoTicket(
        "da",
        "Klage over medarbejder",
        "<p>Jeg vil klage over behandlingen i butikken. Mit telefonnummer er 40 11 22 33 "
        "og jeg er født 12-03-1985.</p>",
        PEOPLE[1],
        ("klage",),
    ),
)
