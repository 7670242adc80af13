"""Slot fillers for the synthetic support e-mails: Faker per locale, nothing from our detectors.

Every value comes from Faker (names, numbers, addresses, companies, jobs) or from a short
list written here from everyday knowledge (floors, relations, nationalities). Values whose
real-world validity Faker does not guarantee are checked with the same public reference a
person would use (phonenumbers' numbering metadata for "is this a number someone can
have", python-stdnum for national-id check digits), so gold never labels an impossible
number as a phone and never leaves a real one unlabelled.
"""

from __future__ import annotations

import random
import string
from collections.abc import Callable

import phonenumbers
from faker import Faker
from stdnum.de import idnr
from stdnum.iso7064 import mod_11_10

#: Locale -> ISO region of its phone numbers.
REGIONS = {
    "da_DK": "DK", "en_GB": "GB", "en_US": "US", "de_DE": "DE", "sv_SE": "SE",
    "no_NO": "NO", "fr_FR": "FR",
}  # fmt: skip
CARD_TYPES = ("visa", "mastercard", "amex", "diners", "jcb", "discover", "maestro", "visa13")
NINO_FIRST = [c for c in string.ascii_uppercase if c not in "DFIQUV"]
NINO_SECOND = [c for c in string.ascii_uppercase if c not in "DFIQUVO"]
NINO_BAD = {"BG", "GB", "NK", "KN", "TN", "NT", "ZZ"}


class Fillers:
    """Value generators for one locale; ``fill(name)`` returns a string."""

    def __init__(self, locale: str, seed: int) -> None:
        self.locale = locale
        self.region = REGIONS[locale]
        self.fake = Faker(locale)
        self.fake.seed_instance(seed)
        self.rng = random.Random(seed)
        self.us = Faker("en_US")
        self.us.seed_instance(seed + 7)

    def fill(self, name: str) -> str:
        """The value of generator ``name``."""
        method: Callable[[], str] = getattr(self, "g_" + name)
        return method()

    # -- people -----------------------------------------------------------------
    def g_name(self) -> str:
        return f"{self.fake.first_name()} {self.fake.last_name()}"

    def g_full_name(self) -> str:
        return self.fake.name()

    def g_first(self) -> str:
        return self.fake.first_name()

    def g_last(self) -> str:
        return self.fake.last_name()

    def g_last_first(self) -> str:
        return f"{self.fake.last_name()}, {self.fake.first_name()}"

    def g_name_upper(self) -> str:
        return self.g_name().upper()

    def g_first_lower(self) -> str:
        return self.fake.first_name().lower()

    def g_name_lower(self) -> str:
        return self.g_name().lower()

    # -- contact ----------------------------------------------------------------
    def g_email(self) -> str:
        return self.fake.email() if self.rng.random() < 0.5 else self.fake.free_email()

    def _valid_phone(self) -> phonenumbers.PhoneNumber:
        for _ in range(200):
            raw = self.fake.phone_number()
            try:
                number = phonenumbers.parse(raw, self.region)
            except phonenumbers.NumberParseException:
                continue
            if phonenumbers.is_valid_number(number):
                return number
        raise RuntimeError(f"Faker gave no valid {self.region} number")

    def g_phone(self) -> str:
        """A Faker number as Faker wrote it (national or international), if it is valid."""
        for _ in range(200):
            raw = self.fake.phone_number()
            try:
                if phonenumbers.is_valid_number(phonenumbers.parse(raw, self.region)):
                    return raw
            except phonenumbers.NumberParseException:
                continue
        raise RuntimeError(f"Faker gave no valid {self.region} number")

    def g_phone_intl(self) -> str:
        number = self._valid_phone()
        text = phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.INTERNATIONAL)
        style = self.rng.random()
        if style < 0.3:
            return "00" + text[1:]
        if style < 0.5:
            return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)
        return text

    def g_phone_ext(self) -> str:
        number = self._valid_phone()
        text = phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.NATIONAL)
        return f"{text} x{self.rng.randint(2, 999)}"

    # -- financial --------------------------------------------------------------
    def g_card(self) -> str:
        number = self.us.credit_card_number(card_type=self.rng.choice(CARD_TYPES))
        style = self.rng.random()
        if style < 0.4:
            return number
        sep = " " if style < 0.8 else "-"
        if len(number) == 15:  # Amex grouping 4-6-5
            return sep.join((number[:4], number[4:10], number[10:]))
        return sep.join(number[i : i + 4] for i in range(0, len(number), 4))

    def g_iban(self) -> str:
        iban = self.fake.iban()
        style = self.rng.random()
        grouped = " ".join(iban[i : i + 4] for i in range(0, len(iban), 4))
        if style < 0.35:
            return iban
        if style < 0.8:
            return grouped
        return grouped.lower() if style < 0.9 else iban.lower()

    # -- national ids -----------------------------------------------------------
    def g_ssn_us(self) -> str:
        ssn = self.us.ssn()
        return ssn if self.rng.random() < 0.7 else ssn.replace("-", " ")

    def g_nino(self) -> str:
        while True:
            prefix = self.rng.choice(NINO_FIRST) + self.rng.choice(NINO_SECOND)
            if prefix not in NINO_BAD:
                break
        digits = "".join(self.rng.choice(string.digits) for _ in range(6))
        suffix = self.rng.choice("ABCD")
        if self.rng.random() < 0.5:
            return f"{prefix}{digits}{suffix}"
        return f"{prefix} {digits[:2]} {digits[2:4]} {digits[4:]} {suffix}"

    def g_personnummer(self) -> str:
        number = self.fake.ssn()  # sv_SE: YYMMDD-NNNN
        if self.rng.random() < 0.3:
            century = "19" if int(number[:2]) > 25 else "20"
            return century + number
        return number

    def g_fodselsnummer(self) -> str:
        number = self.fake.ssn()
        return number if self.rng.random() < 0.6 else f"{number[:6]} {number[6:]}"

    def g_steuer_id(self) -> str:
        while True:
            digits = [self.rng.choice(string.digits[1:])] + [
                self.rng.choice(string.digits) for _ in range(9)
            ]
            body = "".join(digits)
            candidate = body + mod_11_10.calc_check_digit(body)
            if idnr.is_valid(candidate):
                if self.rng.random() < 0.5:
                    return candidate
                return f"{candidate[:2]} {candidate[2:5]} {candidate[5:8]} {candidate[8:]}"

    def g_cpr(self) -> str:
        born = self.fake.date_of_birth(minimum_age=18, maximum_age=90)
        serial = f"{self.rng.randint(0, 9999):04d}"
        sep = "-" if self.rng.random() < 0.7 else ""
        return f"{born:%d%m%y}{sep}{serial}"

    # -- location ---------------------------------------------------------------
    def g_street(self) -> str:
        return self.fake.street_address().replace("\n", ", ")

    def g_address(self) -> str:
        lines = self.fake.address().split("\n")
        return ", ".join(lines) if self.rng.random() < 0.6 else "\n".join(lines)

    def g_dk_address(self) -> str:
        street = f"{self.fake.street_name()} {self.rng.randint(1, 180)}"
        if self.rng.random() < 0.2:
            street += self.rng.choice("ABC")
        floor = self.rng.choice(
            ["", ", 2. th.", ", st. tv.", ", 1. sal", " 3 tv", ", 4. mf.", ", 1.th", ", kl."]
        )
        town = f"{self.fake.postcode()} {self.fake.city()}"
        if self.rng.random() < 0.25:
            return street + floor
        return street + floor + (", " if self.rng.random() < 0.7 else "\n") + town

    # -- online -----------------------------------------------------------------
    def g_ipv4(self) -> str:
        return self.fake.ipv4_public()

    def g_ipv6(self) -> str:
        return self.fake.ipv6()

    # -- dates ------------------------------------------------------------------
    def g_dob(self) -> str:
        born = self.fake.date_of_birth(minimum_age=18, maximum_age=90)
        fmt = "%d.%m.%Y" if self.locale != "en_US" else "%m/%d/%Y"
        return born.strftime(fmt)

    # -- indirect ---------------------------------------------------------------
    def g_age(self) -> str:
        return str(self.rng.randint(19, 88))

    def g_job(self) -> str:
        return self.fake.job().lower()

    def g_company(self) -> str:
        return self.fake.company()

    def g_job_at(self) -> str:
        word = "hos" if self.locale == "da_DK" else "at"
        return f"{self.g_job()} {word} {self.fake.company()}"

    # -- unlabelled fillers (hard negatives and noise) ---------------------------
    def g_order(self) -> str:
        style = self.rng.random()
        if style < 0.4:
            return str(self.rng.randint(10_000_000, 99_999_999))
        if style < 0.7:
            return f"{self.rng.choice('ABCDKX')}-{self.rng.randint(100_000, 9_999_999)}"
        return f"{self.rng.randint(1000, 9999)} {self.rng.randint(1000, 9999)}"

    def g_tracking(self) -> str:
        return "".join(self.rng.choice(string.digits) for _ in range(self.rng.choice((10, 12))))

    def g_amount(self) -> str:
        return f"{self.rng.randint(49, 14999)},{self.rng.choice(('00', '50', '95'))}"

    def g_date(self) -> str:
        return self.fake.date_this_year().strftime("%d.%m.%Y")

    def g_time(self) -> str:
        return f"{self.rng.randint(7, 20):02d}:{self.rng.choice(('00', '15', '30', '45'))}"

    def g_hours(self) -> str:
        return f"{self.rng.randint(7, 10)}-{self.rng.randint(15, 18)}"

    def g_city(self) -> str:
        return self.fake.city()

    def g_code(self) -> str:
        return str(self.rng.randint(10_000_000, 99_999_999))

    def g_house(self) -> str:
        return str(self.rng.randint(1, 250))
