"""Person names: a large folded name list (data/NAMES.md) judged by context.

Capitalised runs of words starting with a known given name are names (with a known or
unknown surname after it, or alone when the name is no everyday word); names that are
also words ("Per", "Mark", "Bo", "Hans", "Kristen") need a surname, a greeting, an
introduction or sign-off, or a capital letter in mid-sentence. All-caps lines, surname
first ("Jensen, Mette") and lower-case names after "my name is" are read too.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from functools import cache
from typing import ClassVar

from plugin.classify.detector import Detector
from plugin.classify.detectors.street_grammar import STREET_WORDS
from plugin.classify.document import Document
from plugin.classify.finding import Finding
from plugin.classify.lexicon import PhraseFinder
from plugin.classify.names import (
    ambiguous_last_names,
    ambiguous_names,
    first_names,
    fold,
    last_names,
    places,
    stop_words,
)

_UP = "A-ZÆØÅÄÖÜÉÈÁÍÓÚÑÇ"
_LOW = "a-zæøåäöüéèáíóúëïñçß"
_TOKEN = rf"(?:[{_UP}]['’])?[{_UP}][{_LOW}]*[{_UP}]?[{_LOW}]+(?:-[{_UP}][{_LOW}]+)?"
_NAMES = rf"(?P<name>{_TOKEN}(?:[ -]{_TOKEN}){{0,3}})"
_LOWER = rf"(?P<name>[{_LOW}]{{2,}}(?: [{_LOW}]{{2,}})?)(?![\w@])"
_CAPS = rf"[{_UP}]{{2,}}(?:-[{_UP}]{{2,}})?"
# re scans fast only when a pattern opens with a character class, not a look-behind: the
# look-behind of a scanning pattern is placed after its first capital.
_TOKEN_TAIL = rf"(?:['’][{_UP}])?[{_LOW}]*[{_UP}]?[{_LOW}]+(?:-[{_UP}][{_LOW}]+)?"
_SPLIT = re.compile(r"([ -])")
Span = tuple[int, int, float]
TITLES = frozenset(
    "mr mrs ms miss dr prof sir lady hr fru frk herr frau mme mlle m prins prinsesse "
    "kronprins dronning kong king queen prince princess doctor doktor "
    # Offices written before a name ("President Bush", "politimester Dahlfelt").
    "president præsident senator governor minister statsminister premierminister "
    "cleric sheikh pope pave bishop biskop pastor præst professor capt captain kaptajn "
    "sergeant mayor borgmester judge dommer coach træner chairman formand politimester "
    "skipper direktør".split()
)
#: Verbs that report what someone said: the name stands just before ("Griffin said") or,
#: in Danish and in English inversions, just after ("sagde Lynge Nielsen", "said Ann").
REPORTING_EN = frozenset("said says told added asked wrote replied explained stated noted".split())
REPORTING = sorted(
    REPORTING_EN
    | set(
        "sagde siger fortæller fortalte forklarede forklarer tilføjer tilføjede udtaler "
        "udtalte skriver skrev svarer svarede spurgte mener mente".split()
    )
)


#: A name right after one of these is a street's, a place's or a firm's ("rue Philippine
#: Michel", "the Bush administration", "Sankt Hans"): compared case-sensitively.
_NOT_A_PERSON_WORDS = frozenset(
    "rue chemin avenue allée impasse place boulevard quai via calle the The de del St St. "
    "Sankt Saint".split()
)

#: Common finite Danish verbs: after a family name opening a sentence they make it a person.
_DANISH_VERBS = frozenset(
    "har havde er var blev bliver gav giver fik får kom kommer gik går sagde siger mener "
    "mente tror troede lagde lægger tog tager ser så ville vil kan kunne skal skulle må "
    "måtte fortæller fortalte nikkede smilede svarede spurgte kritiserede hævder kalder "
    "skriver skrev står stod sidder sad ligger lå bor boede arbejder spiller spillede vandt "
    "vinder tabte mødte begyndte valgte vælger føler følte ønsker håber elsker".split()
)

#: Words that follow "Name, " when someone is addressed ("Tom, please send …").
_ADDRESSED = frozenset(
    "you i we please thanks thank could can would sorry jeg du vi tak kan vil".split()
)


def _surname(word: str, last: frozenset[str]) -> bool:
    """A known family name, also in the genitive ("Madsens udvisning")."""
    return word in last or word.endswith("s") and word[:-1] in last


@cache
def _never_alone() -> frozenset[str]:
    """Folded words that are never a name on their own: everyday words and street words."""
    return stop_words() | STREET_WORDS


class PersonNameDetector(Detector):
    """Names of people (identity)."""

    name = "person_name"
    entity_type = "person_name"
    category = "identity"
    base_score = 0.85

    CONTEXT: ClassVar[PhraseFinder] = PhraseFinder(
        dict.fromkeys(["hej", "hejsa", "hi", "hello", "hey", "dear", "kære", "hallo", "goddag",
                       "good morning", "god morgen", "hiya"], "greeting")
        | dict.fromkeys(["mit navn er", "jeg hedder", "my name is", "name", "navn",
                         "kontaktperson", "contact person", "the name's", "called", "named",
                         "hedder"], "intro")
        | dict.fromkeys(["this is", "i am", "i'm", "jeg er", "on behalf of", "på vegne af",
                         "hilsen fra", "greetings from", "love from", "sent by", "sendt af",
                         "my son", "my daughter", "my wife", "my husband", "my partner",
                         "my mother", "my father", "my mum", "my mom", "my dad", "my brother",
                         "my sister", "my colleague", "my representative", "min søn",
                         "min datter", "min mand", "min kone", "min kæreste", "min mor",
                         "min far", "min bror", "min søster", "min kollega", "min svigermor",
                         "min svigerfar", "min tillidsmand", "min tillidsrepræsentant"], "about")
        | dict.fromkeys(["med venlig hilsen", "venlig hilsen", "de bedste hilsner", "hilsen",
                         "bedste hilsner", "mange hilsner", "mvh", "vh", "kh", "bh", "tak",
                         "kind regards", "best regards", "warm regards", "regards", "cheers",
                         "best wishes", "many thanks", "thanks", "thank you", "sincerely",
                         "yours sincerely", "yours truly", "på forhånd tak", "signed",
                         "underskrevet", "best", "ta", "thx", "/"], "signoff")
        | dict.fromkeys(["posted by", "written by", "skrevet af"], "byline")
        | dict.fromkeys(REPORTING, "reported")
    )  # fmt: skip
    TAILS: ClassVar[dict[str, re.Pattern[str]]] = {
        "greeting": re.compile(rf"[ \t]+{_NAMES}"),
        "intro": re.compile(rf"[ \t]*:?[ \t]*{_NAMES}"),
        "about": re.compile(rf"[ \t]+{_NAMES}"),
        "byline": re.compile(rf"[ \t]*:?[ \t]*{_NAMES}"),
        "signoff": re.compile(
            rf"[ \t]*[.,!]?(?:[ \t]*\r?\n[ \t]*|[ \t]+)(?=[^\n]{{1,40}}$){_NAMES}", re.MULTILINE
        ),
    }
    #: The name before a reporting verb: up to three capitalised words and a space.
    REPORTED_BEFORE: ClassVar[re.Pattern[str]] = re.compile(
        rf"(?<![\w'’@/.-])(?P<name>{_TOKEN}(?: {_TOKEN}){{0,2}}),? \Z"
    )
    #: Initials and a family name: "H. C. Andersen", "K.J. Philipsen".
    REPORTED_AFTER: ClassVar[re.Pattern[str]] = re.compile(
        rf"[ \t]+(?:[{_LOW}]+ )?(?P<name>{_TOKEN}(?: {_TOKEN}){{0,2}})(?![\w@])"
    )
    REPORTED_AFTER_EN: ClassVar[re.Pattern[str]] = re.compile(
        rf"[ \t]+(?P<name>{_TOKEN}(?: {_TOKEN}){{0,2}})(?![\w@])"
    )
    INITIALS: ClassVar[re.Pattern[str]] = re.compile(
        rf"[{_UP}](?<![\w.].)\. ?(?:[{_UP}]\. ?){{0,2}}(?P<last>{_TOKEN})(?![\w@])"
    )
    NOT_INITIALS: ClassVar[frozenset[str]] = frozenset({"p.s", "n.b", "a.m", "p.m", "u.s", "e.g"})
    LOWER_TAILS: ClassVar[dict[str, re.Pattern[str]]] = {
        "intro": re.compile(rf"[ \t]*:?[ \t]*{_LOWER}"),
        "byline": re.compile(rf"[ \t]*:?[ \t]*{_LOWER}"),
        "signoff": re.compile(rf"[ \t]*[.,!]?[ \t\r\n]+{_LOWER}[ \t]*(?:$|\r?\n)", re.MULTILINE),
    }
    WEAK_CONTEXT: ClassVar[re.Pattern[str]] = re.compile(
        r"^[ \t]*(?i:agent|kunde|customer|rådgiver|advisor|medarbejder|til|to|fra|from|attn\.?)"
        rf"[ \t]+(?P<name>{_TOKEN}(?: {_TOKEN}){{0,2}})(?=[ \t]*(?::|,|\r?\n|$))",
        re.MULTILINE,
    )
    #: A run of capitalised words separated by single spaces, found in one pass.
    CHAIN: ClassVar[re.Pattern[str]] = re.compile(
        rf"[{_UP}](?<![\w'’@/.-].){_TOKEN_TAIL}(?![\w@])(?: {_TOKEN}(?![\w@]))*"
    )
    ALL_CAPS: ClassVar[re.Pattern[str]] = re.compile(
        rf"[{_UP}](?<![\w@].)[{_UP}]+(?:-[{_UP}]{{2,}})?(?: {_CAPS}){{1,2}}(?![\w@])"
    )
    SURNAME_FIRST: ClassVar[re.Pattern[str]] = re.compile(
        rf"^[ \t]*(?:[^\n:]{{0,20}}:[ \t]*)?(?P<last>{_TOKEN}), (?P<first>{_TOKEN})"
        rf"(?P<rest>(?: {_TOKEN})?)(?=[ \t]*(?:$|\r?\n| here\b| her\b))",
        re.MULTILINE,
    )
    COMMA_CAPITAL: ClassVar[re.Pattern[str]] = re.compile(rf", [{_UP}]")
    COMPANY_AFTER: ClassVar[re.Pattern[str]] = re.compile(
        r",? ?(?:&|(?:LLC|Inc|Ltd|PLC|plc|A/S|ApS|GmbH|AG|AB|AS|SA|SE|KG|e\.V|"
        r"Group|Holding|Corp|Co\b|& Co))"
    )
    SENTENCE_END: ClassVar[str] = '.!?\n"«»(:;-–•*'
    PAIR_SCORE: ClassVar[float] = 0.85
    UNKNOWN_SURNAME_SCORE: ClassVar[float] = 0.72
    SINGLE_SCORE: ClassVar[float] = 0.62
    SURNAME_SCORE: ClassVar[float] = 0.55
    DATE_AFTER: ClassVar[re.Pattern[str]] = re.compile(r"\.? \d")
    CONTEXT_SCORE: ClassVar[float] = 0.8
    UNKNOWN_CONTEXT_SCORE: ClassVar[float] = 0.65

    def detect(self, doc: Document) -> Iterator[Finding]:
        """Yield the best-scored name per span from every rule."""
        best: dict[tuple[int, int], float] = {}
        rules = (
            self._in_context,
            self._weak_context,
            self._chains,
            self._caps,
            self._reversed,
            self._initials,
        )
        for rule in rules:
            for start, end, score in rule(doc):
                if best.get((start, end), -1.0) < score:
                    best[start, end] = score
        for (start, end), score in best.items():
            yield self.finding(start, end, score)

    def _in_context(self, doc: Document) -> Iterator[Span]:
        first, stop = first_names(), stop_words()
        text, lower = doc.text, doc.lower
        previous: tuple[int, object] = (-1, None)
        size = len(lower)
        # PhraseFinder.find's word-boundary test inlined: most raw hits ("hi" in "this",
        # "ta" in "data") end here, and a generator per hit cost more than the test.
        for last_index, (key, kind) in self.CONTEXT.automaton.iter(lower):
            end = last_index + 1
            _start = end - len(key)
            if _start and (lower[_start - 1].isalnum() or lower[_start - 1] == "_"):
                continue
            if end < size and (lower[end].isalnum() or lower[end] == "_"):
                continue
            # "Med venlig hilsen" also ends "venlig hilsen" and "hilsen": same tail, once.
            if previous == (end, kind):
                continue
            previous = (end, kind)
            if kind == "reported":
                yield from self._reported(doc, _start, end)
                continue
            match = self.TAILS[str(kind)].match(text, end)
            if match is None:
                lower_tail = self.LOWER_TAILS.get(str(kind))
                match = lower_tail.match(text, end) if lower_tail else None
                if match is None:
                    continue
                words = match.group("name").split(" ")
                if fold(words[0]) in first and fold(words[0]) not in stop:
                    size = len(words[0]) if len(words) == 1 or fold(words[1]) in stop else None
                    start = match.start("name")
                    yield start, start + (size or len(match.group("name"))), self.CONTEXT_SCORE
                continue
            start = match.start("name")
            tokens = _SPLIT.split(match.group("name"))
            words = tokens[::2]
            kept = 0
            for word in words:
                if fold(word) in stop or fold(word) in STREET_WORDS:
                    break
                kept += 1
            if kept == 0:
                continue
            stop_at = start + len("".join(tokens[: 2 * kept - 1]))
            known = any(fold(word) in first for word in words[:kept])
            if known or kind != "byline":  # "Posted by Hidden Nook" is a blog's name
                yield start, stop_at, self.CONTEXT_SCORE if known else self.UNKNOWN_CONTEXT_SCORE

    def _reported(self, doc: Document, start: int, end: int) -> Iterator[Span]:
        """A known name right before or after a reporting verb ("Griffin said", "sagde
        Lynge Nielsen", "forklarede politimester Dahlfelt")."""
        text = doc.text
        english = doc.lower[start:end] in REPORTING_EN
        # Danish puts the verb first ("sagde Lynge Nielsen", "siger politimester X").
        before = self.REPORTED_BEFORE.search(text, max(0, start - 60), start) if english else None
        after = (self.REPORTED_AFTER_EN if english else self.REPORTED_AFTER).match(text, end)
        for match in (before, after):
            if match is None:
                continue
            words = [fold(w) for w in match.group("name").split(" ")]
            if not self._reported_name(words):
                continue
            name_start, name_end = match.span("name")
            if match is before and len(words) == 1 and words[0] not in last_names():
                # One word before the verb is a family name ("Griffin said"), or a given
                # name inside a sentence; "Sådan sagde han", "Israel said" are neither.
                if self._starts_sentence(text, name_start) or words[0] in places():
                    continue
            if not self._company(text, name_start, name_end):
                yield name_start, name_end, self.UNKNOWN_CONTEXT_SCORE

    @staticmethod
    def _reported_name(words: list[str]) -> bool:
        # A reporting verb outweighs a town of the same name ("Griffin said").
        first, last, stop = first_names(), last_names(), stop_words()
        if any(w in stop or w in STREET_WORDS for w in words):
            return False
        return any(w in first or w in last for w in words)

    def _initials(self, doc: Document) -> Iterator[Span]:
        """Initials and a known family or given name ("H. C. Andersen")."""
        last, stop = last_names(), stop_words()
        text = doc.text
        for match in self.INITIALS.finditer(text):
            letters = text[match.start() : match.start("last")].replace(" ", "").lower()
            if letters.rstrip(".") in self.NOT_INITIALS:
                continue
            family = fold(match.group("last"))
            if family in stop or family not in last or len(family) < 3:
                continue
            if not self._company(text, match.start(), match.end()):
                yield match.start(), match.end(), self.CONTEXT_SCORE

    def _weak_context(self, doc: Document) -> Iterator[Span]:
        first, stop = first_names(), stop_words()
        for match in self.WEAK_CONTEXT.finditer(doc.text):
            word = fold(match.group("name").split(" ")[0])
            if word in first and word not in stop:
                yield match.start("name"), match.end("name"), self.CONTEXT_SCORE

    def _chains(self, doc: Document) -> Iterator[Span]:
        """Runs of capitalised words separated by single spaces."""
        text = doc.text
        first, last, never = first_names(), last_names(), _never_alone()
        ambiguous = ambiguous_names()
        title = self._after_title
        for match in self.CHAIN.finditer(text):
            start, end = match.span()
            value = match.group()
            if " " not in value:
                # Most capitalised words stand alone and are no name: settle those here.
                word = fold(value)
                if word in never:
                    continue  # "The", "My", "Vej": _judge would skip them too
                if word not in first and not title(text, start):
                    # "Kelds" may be a Danish genitive: _judge decides by the language.
                    if not (word.endswith("s") and word[:-1] in first):
                        # Otherwise only a lone family name is left (what _judge would do).
                        if text[end : end + 1] != " " or not _surname(word, last):
                            continue
                        if self._lone_surname(doc, word, start, end):
                            yield start, end, self.SURNAME_SCORE
                        continue
                elif (
                    word in ambiguous
                    and text[end : end + 2] != ", "
                    and not title(text, start)
                    and (doc.language_at(start) != "da" or self._starts_sentence(text, start))
                ):
                    continue  # "Bill me later", "Mark the parcel": _judge would skip it
                yield from self._judge(doc, [(start, end)])
                continue
            parts = value.split(" ")
            # Without a given name or a title in or before it, a run names nobody
            # ("Customer Care", "Hidden Nook"): _judge would find nothing in it.
            if not any(
                fold(part) in first or fold(part) in TITLES or fold(part)[:-1] in first
                for part in parts
            ):
                if not title(text, start):
                    continue
            chain = []
            offset = start
            for part in parts:
                chain.append((offset, offset + len(part)))
                offset += len(part) + 1
            yield from self._judge(doc, chain)

    def _judge(self, doc: Document, chain: list[tuple[int, int]]) -> Iterator[Span]:
        first, last, ambiguous, stop = first_names(), last_names(), ambiguous_names(), stop_words()
        towns = places()
        text = doc.text
        words = [fold(text[s:e]) for s, e in chain]
        for i, word in enumerate(words):
            if word in stop or word in STREET_WORDS:
                continue
            titled = (
                i > 0 and words[i - 1] in TITLES or i == 0 and self._after_title(text, chain[0][0])
            )
            if word not in first and word.endswith("s") and word[:-1] in first:
                if doc.language_at(chain[i][0]) == "da":
                    word = word[:-1]  # Danish genitive: "Kelds oplæg"
            if len(words) == 1 and word not in first:
                # A lone family name mid-sentence ("billeder af Clinton og Gore").
                if self._lone_surname(doc, word, *chain[0]):
                    yield chain[0][0], chain[0][1], self.SURNAME_SCORE
                    return
            if word not in first:
                # An unknown word is a name only right after a title ("Fru Baumann").
                if not titled:
                    continue
            j = i + 1
            while j < len(words) and j - i < 4 and words[j] not in stop:
                j += 1
            if j - i == 4 and all(w in first or w in last for w in words[i:j]):
                j = i + 2  # "Pam Butler Renee Ratcliff …": a list of people, two words each
            if j < len(words) and words[j] in STREET_WORDS or words[j - 1] in STREET_WORDS:
                return  # a street named after a person
            start, end = chain[i][0], chain[j - 1][1]
            if self._company(text, start, end) or (not titled and " ".join(words[i:j]) in towns):
                return  # "Bach & Søn ApS", "San Francisco" (but "President Bush")
            if j - i == 1 and self.DATE_AFTER.match(text, end):
                return  # "Jan. 9", "Dec 3"
            if j - i >= 2:
                known = any(_surname(w, last) for w in words[i + 1 : j])
                score = self.PAIR_SCORE if known else self.UNKNOWN_SURNAME_SCORE
                if word in ambiguous and not known and not titled:
                    if self._starts_sentence(text, start):
                        continue  # "Til København", "Per Stk."
                    score -= 0.1
                yield start, end, score
                if j < len(words):  # a list of people: judge the rest of the run
                    yield from self._judge(doc, chain[j:])
            elif titled:
                yield start, end, self.UNKNOWN_SURNAME_SCORE
            elif (
                word in ambiguous
                and doc.language_at(start) == "da"
                and not (self._starts_sentence(text, start) or word in towns)
            ):
                # Danish capitalises no common noun: "ud til Søren" is a name.
                yield start, end, self.SINGLE_SCORE
            elif self._vocative(text, start, end) and len(word) > 2 and word not in towns:
                yield start, end, self.SINGLE_SCORE  # "Tom, please call Vernon"
            elif not (
                word in ambiguous
                or word in towns
                or text[end : end + 1] == "."
                and text[end + 1 : end + 2].isalnum()  # "Reg.nr."
                or self._company(text, start, end)
            ):
                yield start, end, self.SINGLE_SCORE
            return

    def _vocative(self, text: str, start: int, end: int) -> bool:
        """A given name that opens a sentence and is followed by a comma and a capital or
        a pronoun addresses someone ("Tom, Please contact", "Bryan, you're in")."""
        if not text.startswith(", ", end) or not self._starts_sentence(text, start):
            return False
        following = text[end + 2 : end + 8]
        return following[:1].isupper() or following.split(" ")[0] in _ADDRESSED

    def _caps(self, doc: Document) -> Iterator[Span]:
        """All-caps runs whose first word is a given name ("JANET SALAZAR")."""
        first, stop = first_names(), stop_words()
        for match in self.ALL_CAPS.finditer(doc.text):
            words = [fold(w) for w in match.group().split(" ")]
            if words[0] in first and words[0] not in stop and words[1] not in stop:
                yield match.start(), match.end(), self.CONTEXT_SCORE

    def _reversed(self, doc: Document) -> Iterator[Span]:
        """Surname first on a line of its own or after a label: "Jensen, Mette"."""
        first, stop = first_names(), stop_words()
        text = doc.text
        line_done = -1
        # Only lines holding ", " and a capital can match: find those by a literal scan.
        for comma in self.COMMA_CAPITAL.finditer(text):
            line = text.rfind("\n", 0, comma.start()) + 1
            if line == line_done:
                continue
            line_done = line
            match = self.SURNAME_FIRST.match(text, line)
            if match is None:
                continue
            given, family = fold(match.group("first")), fold(match.group("last"))
            if given in first and family not in stop and given not in stop:
                yield match.start("last"), match.end("rest"), self.CONTEXT_SCORE

    def _lone_surname(self, doc: Document, word: str, start: int, end: int) -> bool:
        """A known family name that is no word, place or given name, inside a sentence."""
        text = doc.text
        if word.endswith("s") and word not in last_names() and doc.language_at(start) == "da":
            word = word[:-1]  # Danish genitive: "Hendersons"
        return (
            word in last_names()
            and word not in ambiguous_last_names()
            and word not in places()
            and word not in stop_words()
            and (not self._starts_sentence(text, start) or self._verb_after(doc, start, end))
            and not self._company(text, start, end)
        )

    @staticmethod
    def _verb_after(doc: Document, start: int, end: int) -> bool:
        """A Danish sentence that opens with a family name and a finite verb is about that
        person ("Madsen gav mig opskriften", "Lentz lægger ikke skjul på")."""
        if doc.text[end : end + 1] != " " or doc.language_at(start) != "da":
            return False
        following = doc.lower[end + 1 : end + 16].split(" ", 1)[0]
        return following in _DANISH_VERBS

    @staticmethod
    def _after_title(text: str, start: int) -> bool:
        """Tell whether a title ("Mr.", "fru", "Dr") and one space come right before ``start``."""
        end = start - 1
        if end < 1 or text[end] != " ":
            return False
        if text[end - 1] == ".":
            end -= 1
        begin = end
        while begin > 0 and end - begin < 12 and text[begin - 1].isalpha():
            begin -= 1
        return begin < end and text[begin:end].lower() in TITLES

    def _company(self, text: str, start: int, end: int) -> bool:
        """Tell whether a name is part of a firm's or a street's name ("Bach & Søn ApS",
        "749 Baker Circles", "rue Philippine Michel")."""
        if self.COMPANY_AFTER.match(text, end):
            return True
        # The word before and one space: "&", a house number ("12 ", "12B, "), or a street
        # or article word (_NOT_A_PERSON_WORDS), checked without a regex search (hot path).
        if start < 2 or text[start - 1] not in " \t":
            return False
        before = text[max(0, start - 13) : start - 1]
        if before.endswith("&"):
            return True
        number = before[:-1] if before.endswith(",") else before
        if number[-1:].isalpha() and number[-2:-1].isdigit() or number[-1:].isdigit():
            return True
        index = len(before)
        while index and (before[index - 1].isalpha() or before[index - 1] == "."):
            index -= 1
        if index and before[index - 1].isalnum():
            return False
        return before[index:] in _NOT_A_PERSON_WORDS

    def _starts_sentence(self, text: str, start: int) -> bool:
        index = start - 1
        while index >= 0 and text[index] in " \t":
            index -= 1
        return index < 0 or text[index] in self.SENTENCE_END
