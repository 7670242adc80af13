"""The Vault service: encrypt, decrypt, update, shred and re-wrap subjects' values."""

from __future__ import annotations

import sqlalchemy as sa
from flask import Flask, current_app

from plugin.extensions import db
from plugin.keys import Keyring, KeyringError, journal
from plugin.keys.provider import (
    EpochGone,
    KeyFileProvider,
    KeyProvider,
    WrapFailed,
    get_provider,
)
from plugin.models import SubjectIdentifier, SubjectKey, VaultItem
from plugin.models.types import new_uuid, utcnow
from plugin.vault import envelope
from plugin.vault.errors import VaultError, VaultShredded, VaultTampered

EXTENSION = "datavagt.vault"
REWRAP_BATCH = 500


class Vault:
    """Per-subject data keys wrapped under a master-key epoch; values sealed with AES-GCM."""

    def __init__(self, keyring: Keyring, provider: KeyProvider | None = None) -> None:
        self.keyring = keyring
        self.provider = provider or KeyFileProvider(keyring)

    def _wrap(self, epoch_id: str, data_key: bytes, row: SubjectKey) -> bytes:
        return self.provider.wrap(epoch_id, data_key, envelope.key_aad(row.id, row.subject_id))

    # -- data keys -------------------------------------------------------------------
    def _active_key(self, subject_id: str) -> tuple[SubjectKey, bytes]:
        """The subject's live data key, created (and wrapped) on first use."""
        row = db.session.scalars(
            sa.select(SubjectKey)
            .where(SubjectKey.subject_id == subject_id, SubjectKey.wrapped_key.is_not(None))
            .order_by(SubjectKey.created_at.desc(), SubjectKey.id)
            .limit(1)
        ).first()
        if row is not None:
            return row, self._unwrap(row)
        data_key = envelope.new_data_key()
        # The provider re-reads: another process may have started a new epoch meanwhile.
        master_id = self.provider.active_epoch_id()
        row = SubjectKey(id=new_uuid(), subject_id=subject_id, master_key_id=master_id)
        row.wrapped_key = self._wrap(master_id, data_key, row)
        db.session.add(row)
        db.session.flush()
        return row, data_key

    def _unwrap(self, row: SubjectKey) -> bytes:
        """The clear data key of a row; VaultShredded once it was destroyed."""
        if row.wrapped_key is None:
            raise VaultShredded(f"data key {row.id} was destroyed")
        aad = envelope.key_aad(row.id, row.subject_id)
        try:
            return self.provider.unwrap(row.master_key_id, bytes(row.wrapped_key), aad)
        except WrapFailed as exc:
            raise VaultTampered(f"wrapped data key {row.id} failed authentication") from exc
        except (EpochGone, KeyringError) as exc:
            raise VaultError(f"master key {row.master_key_id} is not available") from exc

    def _key_of(self, item: VaultItem) -> bytes:
        row = db.session.get(SubjectKey, item.key_id)
        if row is None:
            raise VaultShredded(f"data key of vault item {item.id} is gone")
        return self._unwrap(row)

    @staticmethod
    def _aad(item: VaultItem) -> bytes:
        return envelope.value_aad(item.id, item.subject_id, item.key_id, item.ticket_id, item.field)

    # -- values ----------------------------------------------------------------------
    def encrypt(
        self, subject_id: str, value: str, *, field: str, kind: str, ticket_id: int | None = None
    ) -> VaultItem:
        """Seal one value for a subject; the item is added and flushed, not committed."""
        key_row, data_key = self._active_key(subject_id)
        item = VaultItem(
            id=new_uuid(),
            subject_id=subject_id,
            key_id=key_row.id,
            ticket_id=ticket_id,
            field=field,
            kind=kind,
        )
        item.nonce, item.ciphertext = envelope.seal(
            data_key, value.encode("utf-8"), self._aad(item)
        )
        db.session.add(item)
        db.session.flush()
        return item

    def decrypt(self, item: VaultItem) -> str:
        """The original value; VaultShredded after erasure, VaultTampered if altered."""
        data_key = self._key_of(item)
        clear = envelope.open_sealed(data_key, item.nonce, item.ciphertext, self._aad(item))
        return clear.decode("utf-8")

    def update(self, item: VaultItem, new_value: str) -> VaultItem:
        """Replace the sealed value (rectification) under the item's own key and binding."""
        data_key = self._key_of(item)
        item.nonce, item.ciphertext = envelope.seal(
            data_key, new_value.encode("utf-8"), self._aad(item)
        )
        item.updated_at = utcnow()
        db.session.flush()
        return item

    # -- erasure and rotation --------------------------------------------------------
    def shred(self, subject_id: str) -> int:
        """Destroy the subject's data keys; returns how many items became unreadable.

        Every shred is first appended to the erasure journal beside the key file (subject id
        and the identifiers' blind indexes, read now, before callers delete them), so a
        restored backup re-applies it. Callers commit after this; a failed commit leaves a
        journal line for an erasure that was asked for, which errs on the side of erasing.
        """
        tombstones = db.session.execute(
            sa.select(
                SubjectIdentifier.kind, SubjectIdentifier.vendor, SubjectIdentifier.blind_index
            ).where(SubjectIdentifier.subject_id == subject_id)
        )
        journal.append(journal.journal_path(self.keyring.path), subject_id, tombstones)
        live = list(
            db.session.scalars(
                sa.select(SubjectKey.id).where(
                    SubjectKey.subject_id == subject_id, SubjectKey.wrapped_key.is_not(None)
                )
            )
        )
        if not live:
            return 0
        count = db.session.scalar(
            sa.select(sa.func.count()).select_from(VaultItem).where(VaultItem.key_id.in_(live))
        )
        db.session.execute(
            sa.update(SubjectKey)
            .where(SubjectKey.id.in_(live))
            .values(wrapped_key=None, destroyed_at=utcnow())
            .execution_options(synchronize_session="fetch")
        )
        db.session.flush()
        return int(count or 0)

    def rewrap_all(self, max_batches: int | None = None, batch: int = REWRAP_BATCH) -> int:
        """Re-wrap live data keys under the active epoch; values stay untouched.

        Commits per batch so a long run can be interrupted and resumed (it only picks keys
        not yet under the active epoch); ``max_batches`` bounds one run.
        """
        active = self.provider.active_epoch_id()
        done = 0
        batches = 0
        while max_batches is None or batches < max_batches:
            rows = list(
                db.session.scalars(
                    sa.select(SubjectKey)
                    .where(SubjectKey.wrapped_key.is_not(None), SubjectKey.master_key_id != active)
                    .order_by(SubjectKey.id)
                    .limit(batch)
                    .with_for_update(skip_locked=True)
                )
            )
            if not rows:
                break
            for row in rows:
                data_key = self._unwrap(row)
                row.wrapped_key = self._wrap(active, data_key, row)
                row.master_key_id = active
                row.rewrapped_at = utcnow()
            db.session.commit()
            done += len(rows)
            batches += 1
        return done

    def keys_under(self, epoch_id: str) -> int:
        """How many live data keys are still wrapped under this epoch."""
        return int(
            db.session.scalar(
                sa.select(sa.func.count())
                .select_from(SubjectKey)
                .where(SubjectKey.wrapped_key.is_not(None), SubjectKey.master_key_id == epoch_id)
            )
            or 0
        )

    def master_ids_in_use(self) -> set[str]:
        """Master key ids some live data key is still wrapped with (keep these)."""
        return set(
            db.session.scalars(
                sa.select(SubjectKey.master_key_id)
                .where(SubjectKey.wrapped_key.is_not(None))
                .distinct()
            )
        )


def init_app(app: Flask) -> Vault:
    """Create the app's vault from its keyring (once)."""
    vault = app.extensions.get(EXTENSION)
    if vault is None:
        vault = Vault(app.extensions["datavagt.keyring"], get_provider(app))
        app.extensions[EXTENSION] = vault
    return vault


def get_vault() -> Vault:
    """The current app's vault."""
    return init_app(current_app._get_current_object())  # type: ignore[attr-defined]


def rewrap_all() -> int:
    """Re-wrap every live data key of the current app under the active master key."""
    return get_vault().rewrap_all()


def retire_unused_masters() -> set[str]:
    """Drop master keys no live data key is wrapped with; returns the ids kept."""
    vault = get_vault()
    keep = vault.master_ids_in_use()
    vault.keyring.retire_masters_except(keep)
    return keep
