"""TEST templates (frozen): never read them while changing a detector, never tune on them.

Same markup as templates_dev.py, written separately with different wording, slot orders
and ambiguous words, and filled from a different Faker seed.
"""

DA = (
    "Goddag\n\nJeg vil gerne have ændret min leveringsadresse til {postal_address|dk_address}. "
    "Ring evt. på {phone|phone_intl}.\n\nHilsen\n{person_name|name}",
    "Hej {person_name|first},\n\njeg kan ikke finde kvitteringen. Min mail er {email|email} "
    "og mit mobilnr. {phone|phone}.\n\nmvh {person_name|name_lower}",
    "Til jer der sidder med persondata\n\nIndsigtsanmodning: {person_name|name}, "
    "cpr {cpr|cpr}, {postal_address|dk_address}. Svar venligst inden 30 dage.",
    "Hej,\n\nI har trukket {-|amount} kr. på kortet {payment_card|card} to gange. Sæt pengene "
    "ind på {iban|iban}, tak.\n\n{person_name|last_first}",
    "Hej\n\n[[family_relation|Min far]] er [[age|{-|age} år]] og har [[health|demens]], så "
    "det er mig der skriver på hans vegne. Han hedder {person_name|name}.\n\nMvh "
    "{person_name|first}",
    "Hej\n\nJeg er [[nationality|norsk]], bor i Aarhus og er ansat som [[profession|{-|job_at}]]. "
    "Skal jeg have et dansk CPR for at oprette en konto?\n\nVenlig hilsen {person_name|name}",
    "Hej,\n\nSporingsnummer {-|tracking}, ordre {-|order}. Pakken ligger i pakkeshoppen "
    "i {-|city} og koster {-|amount} kr. at hente. Åbent {-|hours}.",
    "Hej\n\nVi har fået mistænkelig trafik fra {ip_address|ipv4} på din konto "
    "{email|email}.\n\nIT-afdelingen\n{person_name|name}",
    "Kære kunde\n\nJeres julekalender nævner både jul, ramadan og hanukkah - flot! "
    "Kristen eller ej, alle er velkomne i butikken.\n\nHilsen {person_name|name}",
    "Hej\n\nJeg er [[religion|kristen]] og vil gerne fravælge jeres reklamer for "
    "halloween.\n\n{person_name|first} {person_name|last}",
    "Hej\n\nJeg er medlem af [[trade_union|HK]] og min tillidsmand {person_name|name} ringer "
    "til jer på {phone|phone}.\n\nMvh {person_name|first}",
    "KLAGE\n\n{person_name|name_upper}\n{postal_address|dk_address}\n{phone|phone}\n\n"
    "Varen (ordre {-|order}) var i stykker.",
    "Hej [[person_name|Bo]]\n\nTak for snakken. Mit nye nummer er {phone|phone} "
    "og jeg har flyttet til "
    "{postal_address|dk_address}.\n\n[[person_name|Hans {-|last}]]",
    "Hej\n\nKan I sende fakturaen til min [[family_relation|svigermor]] {person_name|name}? "
    "Hun er [[age|{-|age} år]] og har ikke e-mail.\n\nMvh {person_name|name}",
    "Hej\n\n[[health|Jeg er gravid]] og må ikke løfte tungt. Kan I bære sofaen op til "
    "{postal_address|dk_address}?\n\n{person_name|first}",
    "Hej\n\nPrisen er 12 kr. per meter og vi leverer mellem {-|hours}. Jeres kode er "
    "{-|code}.\n\nVenlig hilsen\nLageret",
)

EN = (
    "Hey,\n\nJust wanted to say the parcel went to my old place. New one: "
    "{postal_address|address}. Phone {phone|phone_intl}.\n\nTa,\n{person_name|first}",
    "Good afternoon,\n\nplease send a copy of everything you hold on me to {email|email}. "
    "Full name {person_name|full_name}, ID {natid|natid}.",
    "To whom it may concern,\n\nRefund of {-|amount} for order {-|order} should go to IBAN "
    "{iban|iban}, not the card {payment_card|card}.\n\n{person_name|name}",
    "Hiya, {person_name|first_lower} here, i lost my password, can u text me at {phone|phone} pls",
    "Hello,\n\nI am [[age|{-|age}]], [[nationality|Irish]] and employed as "
    "[[profession|{-|job_at}]]. I'd like to open a business account.\n\nRegards\n"
    "{person_name|name}",
    "Hi,\n\n[[family_relation|my daughter]] {person_name|first} has [[health|type 1 "
    "diabetes]] and needs the insulin cooler delivered before {-|date}.\n\n{person_name|name}",
    "Hello,\n\nLogin attempts from {ip_address|ipv4} and {ip_address|ipv6} were blocked. "
    "Contact {email|email} if unsure.\n\nSecurity team",
    "Hi,\n\nOur store hours are {-|hours} and the hotline code is {-|code}. Invoice "
    "{-|order}, due {-|date}, amount {-|amount}.\n\nAccounts",
    "Dear customer,\n\nThe Labour Party conference and the Christian Aid fair are both in "
    "town this weekend, so parking near the shop will be hard.\n\n{person_name|name}",
    "Hello,\n\nBeing [[religion|Jewish]], I cannot accept deliveries on Saturdays. Please "
    "deliver to {postal_address|street} on a weekday.\n\n{person_name|name}",
    "Hi,\n\nI'm a [[trade_union|Unite union]] shop steward and I'm writing on behalf of "
    "{person_name|name}. She can be reached at {phone|phone}.\n\n{person_name|name}",
    "Re: claim {-|order}\n\nSSN: {us_ssn|ssn_us}\nName: {person_name|last_first}\nPhone: "
    "{phone|phone_ext}",
    "Hi,\n\n{person_name|name_upper} - {postal_address|address} - {email|email}\n"
    "Please close my account.",
    "Hello [[person_name|Hans]],\n\nthanks, that fixed it. Sent from my phone, "
    "number {phone|phone} if you "
    "need it. Per our call, the fee is waived.\n\n[[person_name|Kristen {-|last}]]",
    "Hi,\n\nI have [[health|asthma]] and the dust from your product triggers it. I'd like to "
    "return it. Order {-|order}.\n\n{person_name|name}",
    "Hey there, the name's {person_name|name} and I'm [[age|{-|age} years old]]. "
    "[[family_relation|My husband]] placed the order from {ip_address|ipv4}.",
    "Hi,\n\nWe're moving to {postal_address|street} next month. Flat number {-|house}. "
    "Reach me on {phone|phone}.\n\n{person_name|first} {person_name|last}",
    "Dear Sir/Madam,\n\nI enclose my details for the background check: {person_name|name}, "
    "born {date_of_birth|dob}, identification number {natid|natid}.",
    "Hi - quick one: can I pay the deposit with {payment_card|card}? My tax number is "
    "{natid|natid} if you need it for the receipt. {person_name|first}",
    "Hello,\n\nA question about your diversity report: what share of staff are from an "
    "ethnic minority? No personal data needed.\n\n{person_name|name}",
)
