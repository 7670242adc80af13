"""``datavagt subject``: data-subject rights (find, export, erase)."""

from __future__ import annotations

import click

from plugin.cli.subject_erase import certificate, erase
from plugin.rights.cli import export, find, orphans


@click.group("subject")
def subject_group() -> None:
    """Data-subject rights: find a person, export their data, erase them."""


subject_group.add_command(erase)
subject_group.add_command(certificate)
subject_group.add_command(find)
subject_group.add_command(export)
subject_group.add_command(orphans)
