"""Mirror the manifest's purposes into the database so tickets and consents can refer to them."""

from __future__ import annotations

import sqlalchemy as sa

from plugin.extensions import db
from plugin.manifest import Manifest
from plugin.models import Purpose


def sync_purposes(manifest: Manifest) -> int:
    """Insert or update every manifest purpose; purposes in use are never deleted here."""
    existing = {p.code: p for p in db.session.scalars(sa.select(Purpose))}
    for code, spec in manifest.purposes.items():
        row = existing.get(code) or Purpose(code=code)
        row.name = spec["name"]
        row.legal_basis = spec["legal_basis"]
        row.allowed_categories = list(spec["allowed_categories"])
        row.retention = {
            "days": spec["retention"]["days"],
            "from": spec["retention"]["start"],
            "action": spec["retention"]["action"],
        }
        db.session.add(row)
    db.session.commit()
    return len(manifest.purposes)
