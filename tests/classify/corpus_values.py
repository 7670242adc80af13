"""Realistic values (valid identifiers, names, addresses, hard negatives) for the corpus."""

from __future__ import annotations

import datetime as dt
import random

import phonenumbers
from faker import Faker
from stdnum import luhn
from stdnum.dk import cpr, cvr
from stdnum.exceptions import ValidationError

DA_MONTHS = "januar februar marts april maj juni juli august september oktober november december"
EN_MONTHS = "January February March April May June July August September October November December"


# Danish mobile number ranges (Energistyrelsen's numbering plan).
DK_MOBILE_PREFIXES = tuple("20 21 22 26 28 30 31 40 42 50 51 52 53 60 61 71 81 91".split())


class Values:
    """Seeded value factory; every identifier it returns passes its real validation."""

    def __init__(self, seed: int) -> None:
        self.rng = random.Random(seed)
        Faker.seed(seed)
        self.fake = {loc: Faker(loc) for loc in ("da_DK", "en_GB", "en_US")}

    def f(self, lang: str) -> Faker:
        """A Faker for the document language (British or American for English)."""
        if lang == "da":
            return self.fake["da_DK"]
        return self.fake[self.rng.choice(("en_GB", "en_US"))]

    # --- people -------------------------------------------------------------------------
    def first(self, lang: str) -> str:
        return self.f(lang).first_name()

    def full(self, lang: str) -> str:
        fake = self.f(lang)
        return f"{fake.first_name()} {fake.last_name()}"

    def email(self, lang: str, name: str | None = None) -> str:
        fake = self.f(lang)
        if name and self.rng.random() < 0.6:
            local = name.lower().replace(" ", self.rng.choice((".", "_", "")))
            local = local.replace("æ", "ae").replace("ø", "oe").replace("å", "aa")
            return f"{local}@{fake.free_email_domain()}"
        return fake.email()

    # --- contact ------------------------------------------------------------------------
    def phone(self, lang: str) -> str:
        region = "DK" if lang == "da" or self.rng.random() < 0.2 else self.rng.choice(("GB", "US"))
        while True:
            if region == "DK":
                prefix = self.rng.choice(DK_MOBILE_PREFIXES)
                raw = "+45" + prefix + "".join(self.rng.choice("0123456789") for _ in range(6))
            else:
                raw = self.fake["en_GB" if region == "GB" else "en_US"].phone_number()
            if "x" in raw:
                continue
            try:
                number = phonenumbers.parse(raw, region)
            except phonenumbers.NumberParseException:
                continue
            if phonenumbers.is_valid_number(number):
                break
        national = phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.NATIONAL)
        intl = phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.INTERNATIONAL)
        e164 = phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)
        if region == "DK":
            digits = national.replace(" ", "")
            grouped = " ".join(digits[i : i + 2] for i in range(0, 8, 2))
            return self.rng.choice((intl, grouped, digits, e164, "0045 " + grouped))
        return self.rng.choice((intl, national, e164, raw))

    # --- identity -----------------------------------------------------------------------
    def birth_date(self) -> dt.date:
        return self.fake["da_DK"].date_of_birth(minimum_age=18, maximum_age=90)

    def cpr(self) -> str:
        born = self.birth_date()
        while True:
            # Century digit ranges per the CPR office's table for the birth year.
            if born.year < 2000:
                seventh = self.rng.choice("0123")
            else:
                seventh = self.rng.choice("4")
            rest = seventh + "".join(self.rng.choice("0123456789") for _ in range(3))
            number = born.strftime("%d%m%y") + rest
            try:
                if cpr.get_birth_date(number) != born:
                    continue
            except ValidationError:
                continue  # an impossible date/century combination: draw again
            # About a third of the corpus uses post-2007 numbers without the modulus-11 check.
            if cpr.checksum(number) == 0 or self.rng.random() < 0.35:
                break
        return self.rng.choice((f"{number[:6]}-{number[6:]}",) * 3 + (number,))

    def cvr(self) -> str:
        while True:
            digits = str(self.rng.randint(10000000, 99999999))
            if cvr.is_valid(digits):
                return digits

    def dob(self, lang: str) -> str:
        born = self.birth_date()
        months = (DA_MONTHS if lang == "da" else EN_MONTHS).split()
        forms = [
            born.strftime("%d.%m.%Y"),
            born.strftime("%d-%m-%Y"),
            born.isoformat(),
            f"{born.day}. {months[born.month - 1]} {born.year}"
            if lang == "da"
            else f"{born.day} {months[born.month - 1]} {born.year}",
        ]
        return self.rng.choice(forms)

    # --- financial ----------------------------------------------------------------------
    def iban(self, lang: str) -> str:
        value = self.fake["da_DK" if lang == "da" else "en_GB"].iban()
        if self.rng.random() < 0.5:
            value = " ".join(value[i : i + 4] for i in range(0, len(value), 4))
        return value

    def card(self) -> str:
        kind = self.rng.choice(("visa16", "mastercard", "amex", "dankort", "visa16"))
        if kind == "dankort":
            body = self.rng.choice(("5019", "4571")) + "".join(
                self.rng.choice("0123456789") for _ in range(11)
            )
            digits = body + luhn.calc_check_digit(body)
        else:
            digits = self.fake["en_US"].credit_card_number(kind)
        sep = self.rng.choice((" ", "-", ""))
        if len(digits) == 15:
            return sep.join((digits[:4], digits[4:10], digits[10:]))
        return sep.join(digits[i : i + 4] for i in range(0, len(digits), 4))

    def bank_account(self) -> str:
        """A Danish reg. nr. and account number, joined as people write them."""
        reg = str(self.rng.randint(1000, 9899))
        account = self.digits(self.rng.choice((7, 8, 10))).zfill(10)
        if self.rng.random() < 0.3:
            account = account.lstrip("0")
        return reg + self.rng.choice((" ", "-", " - ")) + account

    def passport(self, lang: str) -> str:
        """A Danish passport (9 digits) or a foreign letter+digit one in English texts."""
        if lang == "da" or self.rng.random() < 0.4:
            return self.digits(9)
        letter = self.rng.choice("ABCEFGHJKLMNPRSTUVWXYZ")
        return self.rng.choice(
            (letter + self.digits(8), f"{self.digits(2)}{letter}K{self.digits(5)}")
        )

    def dk_number(self) -> str:
        """Eight digits that are a valid Danish number: the hard negative for codes."""
        while True:
            digits = self.digits(8)
            if phonenumbers.is_valid_number(phonenumbers.parse(digits, "DK")):
                return digits

    # --- online / location ---------------------------------------------------------------
    def ip(self) -> str:
        fake = self.fake["en_US"]
        return fake.ipv4_public() if self.rng.random() < 0.7 else fake.ipv6()

    def address(self, lang: str) -> str:
        if lang == "da":
            fake = self.fake["da_DK"]
            floor = self.rng.choice(("", "", ", 2. tv", ", st. th", ", 1. mf", " 3. th."))
            sep = self.rng.choice((", ", "\n"))
            street = f"{fake.street_name()} {fake.building_number()}{floor}"
            return f"{street}{sep}{fake.postcode()} {fake.city()}"
        if self.rng.random() < 0.5:
            fake = self.fake["en_GB"]
            street = f"{fake.building_number()} {fake.street_name()}"
            return f"{street}, {fake.city()}, {fake.postcode()}"
        fake = self.fake["en_US"]
        return f"{fake.street_address()}, {fake.city()}, {fake.state_abbr(False)} {fake.zipcode()}"

    # --- hard negatives --------------------------------------------------------------------
    def digits(self, n: int) -> str:
        return str(self.rng.randint(1, 9)) + "".join(
            self.rng.choice("0123456789") for _ in range(n - 1)
        )

    def order_no(self) -> str:
        return self.digits(self.rng.choice((8, 9, 10)))

    def invoice_no(self) -> str:
        return self.rng.choice(
            (f"INV-2024-{self.digits(5)}", f"2024-{self.digits(4)}", self.digits(7))
        )

    def tracking_no(self) -> str:
        return self.rng.choice((
            "00" + self.digits(18),
            f"RR{self.digits(9)}DK",
            f"1Z{self.digits(3)}AA1{self.digits(8)}",
            self.digits(14),
        ))  # fmt: skip

    def price(self, lang: str) -> str:
        amount = self.rng.randint(49, 25000)
        return (
            f"{amount:,},{self.rng.randint(0, 99):02d} kr.".replace(",", ".", 1)
            if lang == "da"
            else f"£{amount:,}.{self.rng.randint(0, 99):02d}"
        )

    def timestamp(self) -> str:
        day = dt.datetime(2024, 1, 1) + dt.timedelta(minutes=self.rng.randint(0, 500_000))
        return self.rng.choice(
            (day.strftime("%Y-%m-%d %H:%M:%S"), day.strftime("%d.%m.%Y kl. %H:%M"))
        )

    def other_date(self) -> str:
        day = dt.date(2024, 1, 1) + dt.timedelta(days=self.rng.randint(0, 600))
        return self.rng.choice(
            (day.strftime("%d.%m.%Y"), day.isoformat(), day.strftime("%d/%m/%Y"))
        )
