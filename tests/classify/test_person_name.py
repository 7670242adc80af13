"""Person-name detector table: lexicon pairs, greeting and signature context, false friends."""

from __future__ import annotations

import pytest

from tests.classify.helpers import spans

CASES = [
    ("Hej Mette,\n\ntak for svaret", ["Mette"]),
    ("Dear John,\nthanks", ["John"]),
    ("Med venlig hilsen\nJens Hansen", ["Jens Hansen"]),
    ("Best regards, Sarah Miller", ["Sarah Miller"]),
    ("Mvh. Peter", ["Peter"]),
    ("Mit navn er Kirsten Sørensen og jeg", ["Kirsten Sørensen"]),
    ("My name is Oliver Bennett, date", ["Oliver Bennett"]),
    ("Jeg hedder Zacharias Ølgaard", ["Zacharias Ølgaard"]),  # unknown, but introduced
    ("Min kollega Søren Vestergaard hjalp mig", ["Søren Vestergaard"]),
    ("I spoke to Emily Clarke yesterday", ["Emily Clarke"]),
    ("Anne-Marie Kjær ringede", ["Anne-Marie Kjær"]),
    ("Agent Camilla: Hej!", ["Camilla"]),
    ("Tak for hjælpen!\nMvh\nAnne-Marie Kjærsgaard", ["Anne-Marie Kjærsgaard"]),
    # Capitalised common words and names used as words.
    ("Hope you are well. Bill me later and Mark the parcel.", []),
    ("Hans ordre er forsinket. Per stk. 49 kr.", []),
    ("Thanks. Looking forward to it", []),
    ("Hi Team, any news?", []),
    ("Kind regards\nCustomer Service", []),
    ("Mark Street branch, 4th floor", []),
    ("Grace Period ends soon", []),
    ("Til København i morgen", []),
    # Surname first, all caps, lower case after an introduction or in a sign-off.
    ("Navn: Jensen, Mette\nTlf.", ["Jensen, Mette"]),
    ("Thanks\n\nWood, Lewis", ["Wood, Lewis"]),
    ("Hi,\n\nJANET SALAZAR\n12 High Street", ["JANET SALAZAR"]),
    ("hi there, my name is peter and i can't log in", ["peter"]),
    ("mvh mette", ["mette"]),
    # Ambiguous names judged by context, not blocked: a greeting, a surname, a sign-off.
    ("Hilsen fra Per. Prisen er 45 kr. per stk.", ["Per"]),
    ("Hej Bo\n\nTak for snakken", ["Bo"]),
    ("Hans Jensen ringede i går", ["Hans Jensen"]),
    ("Best regards,\nMark", ["Mark"]),
    ("Kristen eller ej, alle er velkomne.", []),
    ("Kristen Bell skrev til os", ["Kristen Bell"]),
    # Names in running text (news), foreign names from the large list.
    ("Efter kampen sagde Morten, at holdet var trætte.", ["Morten"]),
    ("Sixten Andersson ringede", ["Sixten Andersson"]),
    ("Bodil har bestilt på min konto", ["Bodil"]),
    # Streets, firms and places named after people are not people.
    ("My address: 749 Baker Circles, the courier", []),
    ("I work at Bach & Søn ApS now", []),
    ("Vi bor i Paris nu", []),
    ("Reg.nr. 1234", []),
    # A lone family name mid-sentence; Danish capitals mid-sentence mark a name.
    ("Kontrasten til billederne af Rasmussen og Gonsalves var stor", ["Rasmussen", "Gonsalves"]),
    ("Da vi kom ud til Søren, var der gæster", ["Søren"]),
    ("I have 24hrs in San Francisco now", []),
    ("the upcoming Jan. 9, 2005 election", []),
]


@pytest.mark.parametrize(("text", "expected"), CASES)
def test_person_name(text: str, expected: list[str]) -> None:
    assert spans("person_name", text) == [("person_name", e) for e in expected]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # A run of people in a list is several names, two words each.
        (
            "Present: Ingrid Holm Oskar Lind Wilma Berg Tage Nyström",
            ["Ingrid Holm", "Oskar Lind", "Wilma Berg", "Tage Nyström"],
        ),
        # Danish genitive of a given name or a family name.
        ("Det gik fint. Torbens forslag blev vedtaget i går.", ["Torbens"]),
        ("Vi ventede længe. Karen Mikkelsens svar kom i dag.", ["Karen Mikkelsens"]),
        # A title before a given name that is also a word ("Dr. Cooper", "fru Rose").
        ("We saw Dr. Cooper twice last month.", ["Cooper"]),
        # A given name opening a sentence and addressed with a comma.
        ("Thanks for the file. Tom, please send the invoice too.", ["Tom"]),
        ("Pakken er sendt. Rose, du må gerne ringe i morgen.", ["Rose"]),
        # … but not a word opening a sentence before a comma.
        ("Bill, invoice and receipt are attached.", []),
        # Reported speech: a family name before "said", a name after a Danish verb.
        ('"We will refund it," Holloway said on Monday.', ["Holloway"]),
        ('"Det klarer vi," sagde Birthe Lauridsen i går.', ["Birthe Lauridsen"]),
        ("The company said the parcel was lost.", []),
        # An office before a name, also a name that is a town elsewhere.
        ("The letter was signed by Senator Griffin himself.", ["Griffin"]),
        # Initials and a family name.
        ("Brevet er underskrevet af K. B. Petersen og dateret i går.", ["K. B. Petersen"]),
        ("P.S. Thanks again for the quick help.", []),
        # A Danish sentence opening with a family name and a finite verb.
        ("Pakken kom i går. Mortensen gav mig en kvittering.", ["Mortensen"]),
        ("Pakken kom i går. Mortensen.", []),
        # A byline names a person only with a known given name.
        ("Posted by Annika Strand on the forum", ["Annika Strand"]),
        ("Posted by Cosy Corner on the forum", []),
    ],
)
def test_person_name_context_rules(text: str, expected: list[str]) -> None:
    assert spans("person_name", text) == [("person_name", name) for name in expected]
