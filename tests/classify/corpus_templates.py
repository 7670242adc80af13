"""Support e-mail and chat templates. ``{slot}`` takes a generated value; ``[[type|text]]``
marks gold spans written into the template itself (special categories)."""

from __future__ import annotations

DA: tuple[str, ...] = (
    "Hej {agent},\n\nJeg har ikke modtaget min ordre {order} endnu. Jeg bestilte den {date}, "
    "og sporingsnummeret {tracking} viser ingenting. Kan I ringe til mig på {phone}?\n\n"
    "Med venlig hilsen\n{name}",
    "Hej\n\nMit navn er {name}, og mit CPR-nummer er {cpr}. Jeg skal have opdateret min adresse "
    "til {address}. Min mail er {email}.\n\nMvh. {first}",
    "Kære kundeservice\n\nFaktura {invoice} på {price} er trukket to gange fra mit kort "
    "{card}. Pengene bedes sat ind på min konto {iban}.\n\nVenlig hilsen\n{name}\nTlf. {phone}",
    "Hej {agent}\n\nJeg kan ikke komme til at arbejde i næste uge, fordi jeg er "
    "[[health|sygemeldt]] med [[health|depression]]. Kan fristen for ordre {order} "
    "rykkes?\n\nHilsen {first}",
    "Chat {ts}\nKunde: Hej, jeg hedder {name} og er født {dob}.\nKunde: Mit cpr er {cpr}\n"
    "Agent {agent}: Tak, jeg har fundet dig. Din pakke {tracking} er afsendt.",
    "Hej,\n\nVores firma (CVR-nr. {cvr}) vil gerne have en kopi af fakturaen {invoice}. "
    "Kontaktperson: {name}, {email}, telefon {phone}.\n\nMvh\n{name2}",
    "Hej\n\nJeg er selvstændig (enkeltmandsvirksomhed, CVR {cvr}) og vil gerne have rettet "
    "navnet på faktura {invoice} til {name}. Beløbet var {price}.\n\nVenlig hilsen\n{first}",
    "Hej {agent}\n\nJeg fik en mærkelig login-advarsel fra IP-adressen {ip} den {date}. "
    "Det var ikke mig. Min e-mail er {email}.\n\nVenlig hilsen\n{name}",
    "Hej\n\nJeg er [[religion|muslim]] og spiser kun [[religion|halal]] – indeholder produktet "
    "{order} svinekød? Ordren koster {price}.\n\nMvh. {first}",
    "Hej igen\n\nSom [[trade_union|tillidsrepræsentant]] i [[trade_union|3F]] skriver jeg på vegne "
    "af min kollega {name2}. Hun kan kontaktes på {phone}.\n\nDe bedste hilsner\n{name}",
    "Til {agent}\n\nLeveringsadresse: {address}\nFødselsdato: {dob}\nBetaling med kort {card}\n"
    "Ordrenummer {order}, i alt {price}.\n\nHilsen {name}",
    "Hej\n\nI jeres privatlivspolitik står der, at I ikke gemmer oplysninger om sygdom eller "
    "religion. Gælder det også for ordre {order} fra {date}?\n\nMvh {name}",
    "Hej {agent},\n\nMin søn er [[health|diabetiker]] og skal have [[health|insulin]] med på "
    "turen. Kan vi få opbevaret det på køl? Booking {invoice}, afrejse {date}.\n\n"
    "Venlig hilsen\n{name}\n{address}",
    "Hej\nTak for sidst. Min nye bankkonto er {iban}, og mit mobilnummer er {phone}.\n"
    "Log fra kl. {ts}: forbindelse fra {ip}.\nMvh {first}",
    "Kære {agent}\n\nJeg vil gerne slette min konto. Mit brugernavn er {email}. Jeg har "
    "betalt med {card}, men kan ikke huske det sidste ciffer.\n\nMed venlig hilsen\n{name}",
)

EN: tuple[str, ...] = (
    "Hi {agent},\n\nI still haven't received order {order}, placed on {date}. The tracking "
    "number {tracking} shows nothing. Could you call me on {phone}?\n\nKind regards,\n{name}",
    "Hello,\n\nMy name is {name} and my date of birth is {dob}. Please update my address to "
    "{address}. You can reach me at {email}.\n\nThanks,\n{first}",
    "Dear support team,\n\nInvoice {invoice} for {price} was charged twice to my card {card}. "
    "Please refund it to {iban}.\n\nBest regards,\n{name}\nMobile: {phone}",
    "Hi {agent}\n\nI'm sorry for the delay, I was [[health|in hospital]] after a [[health|heart "
    "attack]]. Hope the order {order} can still be changed?\n\nCheers,\n{first}",
    "Chat transcript {ts}\nCustomer: Hi, this is {name}, DOB {dob}.\nAgent {agent}: Thanks! "
    "I can see parcel {tracking} left our warehouse yesterday.\nCustomer: Great, cheers.",
    "Hello,\n\nOur company would like a copy of invoice {invoice}. Contact person: {name}, "
    "{email}, phone {phone}.\n\nBest wishes,\n{name2}",
    "Hi,\n\nWe buy from your Danish branch, CVR-nr. {cvr}. Please send invoice {invoice} "
    "({price}) to {email}.\n\nKind regards,\n{name}",
    "Hi {agent},\n\nI got a security alert about a login from {ip} on {date}. That wasn't me! "
    "My account e-mail is {email}.\n\nRegards,\n{name}",
    "Hello,\n\nI'm [[religion|Jewish]] and keep [[religion|kosher]]; does product {order} contain "
    "gelatine? It costs {price}.\n\nMany thanks,\n{first}",
    "Dear {agent},\n\nAs a [[trade_union|union rep]] I'm writing on behalf of my colleague "
    "{name2}, who can be reached on {phone}.\n\nYours sincerely,\n{name}",
    "To {agent}\n\nDelivery address: {address}\nDate of birth: {dob}\nPaid with card {card}\n"
    "Order number {order}, total {price}.\n\nThanks,\n{name}",
    "Hi,\n\nYour privacy policy says you don't store information about health or religion. "
    "Does that also apply to order {order} from {date}? Bill me separately please.\n\n"
    "Best regards,\n{name}",
    "Hi {agent},\n\nMy daughter has [[health|epilepsy]] and needs her [[health|medication]] "
    "on the trip. Booking {invoice}, departing {date}.\n\nKind regards,\n{name}\n{address}",
    "Hi,\nMark this as urgent please. My new bank account is {iban} and my mobile is {phone}.\n"
    "Log at {ts}: connection from {ip}.\nCheers,\n{first}",
    "Dear {agent},\n\nPlease delete my account. My username is {email}. I paid with {card} and "
    "hope that is enough to identify me.\n\nSincerely,\n{name}",
)

# Later additions, drawn from their own seed so the documents above stay as they were:
# bank accounts, passports, codes that look like phone numbers, device features, and
# special categories after an unrelated sentence.
EXTRA_DA: tuple[str, ...] = (
    "Hej {agent}\n\nRefusionen for ordre {order} bedes overført til min konto.\n"
    "Kontonr. {account}\n\nMed venlig hilsen\n{name}",
    "Hej\n\nJeg skal rejse den {date} og vil gerne have rettet navnet på billetten "
    "{invoice}. Mit pasnummer er {passport}.\n\nVenlig hilsen\n{name}",
    "Hej {first}\n\nDin aktiveringskode er {code} og den udløber om 24 timer. "
    "Ordrenummer: {code2}. Virker koden ikke, så ring til os på {phone}.\n\nMvh\n{agent}",
    "Hej\n\nFingeraftryk-login i jeres app virker ikke efter opdateringen. Jeg er logget ind "
    "med {email}.\n\nMvh {name}",
    "Hej\n\nMin pakke kom aldrig. Mit CPR er {cpr} og jeg har [[health|diabetes]], så jeg "
    "venter på varen.\n\nMvh {first}",
)

EXTRA_EN: tuple[str, ...] = (
    "Hi,\n\nPlease refund order {order} to my Danish bank account {account}. The amount "
    "was {price}.\n\nRegards,\n{name}",
    "Dear {agent},\n\nI need to update booking {invoice}. My passport number is "
    "{passport} and my date of birth is {dob}.\n\nBest regards,\n{name}",
    "Hi {first},\n\nYour activation code is {code}. Your order number is {code2}. If the "
    "code doesn't work, call us on {phone}.\n\nKind regards,\n{agent}",
    "Hi,\n\nThe fingerprint login in your app stopped working after the update. My account "
    "e-mail is {email}.\n\nThanks,\n{name}",
    "Hello,\n\nThe delivery never came. I have [[health|asthma]] and can't carry heavy "
    "boxes, so please deliver to {address}.\n\nThanks,\n{name}",
)
