"""DEV templates: support e-mails and chats. Tune on these only.

``{type|generator}`` inserts a Faker value and labels it ``type`` ("-" = not labelled);
``[[type|text]]`` labels text written here (may contain slots). ``{natid|natid}`` is the
national id of the locale (CPR, NINO, SSN, Steuer-ID, personnummer, fødselsnummer).
Written before the detectors were changed, from how customers write, not from patterns.
"""

DA = (
    "Hej\n\nJeg har skiftet nummer. Det nye er {phone|phone}, og I kan stadig skrive til "
    "{email|email}.\n\nVenlig hilsen\n{person_name|name}",
    "Hej {person_name|first}\n\nTak for hjælpen i går. Pakken skal sendes til "
    "{postal_address|dk_address} i stedet. Ordre {-|order}.\n\nMvh {person_name|first}",
    "Til kundeservice\n\nMit CPR-nr. er {cpr|cpr} og jeg vil gerne se, hvad I har gemt om mig. "
    "Jeg bor på {postal_address|dk_address}.\n\n{person_name|name}",
    "Hej,\njeg hedder {person_name|first_lower} og har problemer med min konto. ring på "
    "{phone|phone} mellem {-|hours}.\nhilsen {person_name|first_lower}",
    "Kære {person_name|name}\n\nBeløbet på {-|amount} kr. skal tilbageføres til "
    "{iban|iban}. Kortet der blev brugt var {payment_card|card}.\n\nMed venlig hilsen\n"
    "{person_name|name}",
    "Hej\n\nJeg er [[age|{-|age} år]] og [[nationality|svensk]] statsborger, og jeg arbejder "
    "som [[profession|{-|job_at}]]. Kan jeg stadig få rabatten?\n\nHilsen {person_name|name}",
    "Hej igen\n\n[[family_relation|Min mand]] {person_name|first} har bestilt på min konto. "
    "Hans telefon er {phone|phone_intl}.\n\nMvh {person_name|first}",
    "Hej,\n\nJeg har [[health|sklerose]] og kan derfor ikke møde op i butikken. Kan I sende "
    "varen til {postal_address|dk_address}?\n\nVenlig hilsen\n{person_name|name}",
    "Hej\n\nVi holder lukket 24.-26. december. Åbningstider ellers {-|hours}. Pris pr. stk. "
    "{-|amount} kr. Aktiveringskode: {-|code}.\n\nVenlig hilsen\nKundeservice",
    "Hej\n\nJeg har fået en login-mail fra {ip_address|ipv4}, og det var ikke mig. Brugernavn "
    "{email|email}.\n\n/{person_name|first}",
    "Hej kundeservice\n\n[[family_relation|Min datter]] på [[age|{-|age} år]] er "
    "[[health|allergisk over for nødder]]. Indeholder produktet nødder?\n\n{person_name|name}",
    "Hej\n\nJeg er [[religion|jøde]] og spiser ikke svinekød. Er jeres pølser kosher?\n\n"
    "Mvh {person_name|first} {person_name|last}",
    "Hej\n\nDer står i jeres nyhedsbrev at I støtter Folkekirken og Røde Kors. Hvor meget "
    "gav I sidste år?\n\nMvh {person_name|name}",
    "Reklamation\n\nNavn: {person_name|name_upper}\nAdresse: {postal_address|dk_address}\n"
    "Tlf.: {phone|phone}\nOrdrenr.: {-|order}\nFejl: Skærmen flimrer.",
    "Hej,\n\n{person_name|last_first} her. Min bankkonto er {iban|iban} – vil I bruge den til "
    "refusionen? Sag {-|order}.",
    "Hej\n\nHilsen fra [[person_name|Per]]. Nej, spøg til side: prisen er 45 kr. per stk., "
    "og hans ordre "
    "kom aldrig. Kan I markere sagen som hastende?\n\n[[person_name|Mark {-|last}]]",
)

EN = (
    "Hi,\n\nPlease call me back on {phone|phone}, I'm free after {-|time}. My account e-mail is "
    "{email|email}.\n\nThanks,\n{person_name|name}",
    "Hello {person_name|first},\n\nI moved last week, the new address is {postal_address|address}. "
    "Could you update order {-|order}?\n\nBest,\n{person_name|name}",
    "Dear team,\n\nI was charged twice on my card {payment_card|card}. Please refund "
    "{-|amount} to {iban|iban}.\n\nRegards,\n{person_name|full_name}",
    "hi there, my name is {person_name|first_lower} and i can't log in. my number is "
    "{phone|phone}. thx",
    "Hello,\n\nFor the tax form you asked for my ID number: {natid|natid}. My date of birth "
    "is {date_of_birth|dob}.\n\nKind regards,\n{person_name|name}",
    "Hi support,\n\nI'm [[age|{-|age} years old]], [[nationality|Polish]], and I work as a "
    "[[profession|{-|job_at}]]. Am I eligible for the student discount?\n\n{person_name|name}",
    "Hi,\n\n[[family_relation|My son]] {person_name|first} ordered this on my account, his "
    "mobile is {phone|phone_intl}.\n\nCheers, {person_name|first}",
    "Hello,\n\nI have [[health|epilepsy]], so the flashing lights in your app are a real "
    "problem for me. Can they be turned off?\n\n{person_name|name}",
    "Hi,\n\nWe are closed for the bank holiday. Opening hours {-|hours}. Reference "
    "{-|order}, activation code {-|code}, total {-|amount} EUR.\n\nCustomer Care",
    "Security notice\n\nSign-in from {ip_address|ipv4} at {-|time}. If this wasn't you, "
    "reply to {email|email}.\n\n{person_name|name}",
    "Hi,\n\nMy address: {postal_address|street}. The courier keeps leaving parcels at "
    "number {-|house} instead.\n\n{person_name|first}",
    "Dear {person_name|name},\n\nThanks for your message. The race on Sunday is sold out; "
    "the party after it is open to everyone. The union of the two clubs was announced "
    "today.\n\nSupport",
    "Hello,\n\nAs a [[religion|practising Muslim]] I need to know whether the gelatine in "
    "this product is halal.\n\n{person_name|last_first}",
    "Hi,\n\n{person_name|name_upper}\n{postal_address|address}\nTel {phone|phone}\n"
    "Card ending {-|house}: please cancel my subscription.",
    "Hello, I'm calling about my pension. SSN {us_ssn|ssn_us}, phone {phone|phone_ext}.\n"
    "{person_name|name}",
    "Hi,\n\nI connected from {ip_address|ipv6} and the page says access denied. Please "
    "whitelist it.\n\nThanks,\n{person_name|first}",
    "Hello,\n\n[[family_relation|My wife]] is [[health|pregnant]] and we need the delivery "
    "before {-|date}. Her number is {phone|phone}.\n\n{person_name|name}",
    "Hi [[person_name|Mark]],\n\nplease mark the ticket as urgent. Bill me at {email|email}.\n\n"
    "[[person_name|Will {-|last}]]",
    "Good morning,\n\nI am a [[trade_union|union member]] and my representative "
    "{person_name|name} will contact you on {phone|phone_intl}.\n\nBest regards\n"
    "{person_name|name}",
    "Hi,\n\nUpdating my payroll details: national insurance / ID no. {natid|natid}, "
    "card for expenses {payment_card|card}.\n\n{person_name|name}",
    "Hello,\nthe form rejects my number {natid|natid} - is the format wrong? "
    "I typed it exactly as on my card.\n{person_name|first}",
    "Hi,\n\nI'd like the invoice in my maiden name {person_name|name}. Address "
    "{postal_address|address}.\n\nThanks",
)
