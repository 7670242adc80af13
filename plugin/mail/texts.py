"""The two e-mails Datavagt sends, in Danish and English: no content, no personal data."""

from __future__ import annotations

_LOGIN = {
    "da": (
        "Dit link til Mine sider",
        "Hej\n\nDu (eller nogen med din e-mailadresse) har bedt om at logge ind på Mine sider."
        "\n\nLog ind her:\n{link}\n\nLinket virker én gang i 15 minutter. Har du ikke bedt om "
        "det, kan du se bort fra denne e-mail.\n\n{controller}\n",
    ),
    "en": (
        "Your link to My pages",
        "Hello\n\nYou (or someone with your e-mail address) asked to log in to My pages."
        "\n\nLog in here:\n{link}\n\nThe link works once, for 15 minutes. If you did not ask "
        "for it, you can ignore this e-mail.\n\n{controller}\n",
    ),
}
_NOTICE = {
    "da": (
        "Du har en sikker besked",
        "Hej\n\nDer ligger en ny sikker besked til dig på Mine sider. Af hensyn til dine "
        "oplysninger står beskeden ikke i denne e-mail.\n\nLog ind for at læse den:\n{link}"
        "\n\n{controller}\n",
    ),
    "en": (
        "You have a secure message",
        "Hello\n\nA new secure message is waiting for you on My pages. To protect your data, "
        "the message is not in this e-mail.\n\nLog in to read it:\n{link}\n\n{controller}\n",
    ),
}


def _pick(table: dict[str, tuple[str, str]], lang: str) -> tuple[str, str]:
    return table.get(lang, table["da"])


def login_mail(lang: str, link: str, controller: str) -> tuple[str, str]:
    """(subject, text) of the magic-link e-mail; the link carries only a random token."""
    subject, text = _pick(_LOGIN, lang)
    return subject, text.format(link=link, controller=controller)


def notice_mail(lang: str, link: str, controller: str) -> tuple[str, str]:
    """(subject, text) of the 'a message is waiting' e-mail, in both languages when unknown."""
    if lang in _NOTICE:
        subject, text = _NOTICE[lang]
        return subject, text.format(link=link, controller=controller)
    da_subject, da_text = _NOTICE["da"]
    en_subject, en_text = _NOTICE["en"]
    body = da_text.format(link=link, controller=controller) + "\n---\n\n"
    body += en_text.format(link=link, controller=controller)
    return f"{da_subject} / {en_subject}", body
