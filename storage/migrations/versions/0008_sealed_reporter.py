"""sealed reporter link and evidence digests (issue 9, confidentiality)

``case_file.reporter_person_id`` / ``reporter_account_id`` named the reporter of every case in
clear (one join to ``person``), and ``case_attachment.sha256`` let whoever holds a document
confirm it was submitted. They become ``reporter_sealed`` (the ids, sealed with the cases key),
``reporter_tag`` (a keyed hash of the person id, for "my cases") and ``sha256_sealed``. The new
table ``evidence_quota`` counts evidence per person (by tag) and day, for the daily limit.

A migration has no key, so it cannot seal. Existing values are moved as they are, marked
``legacy:`` (``reporter_sealed = 'legacy:{"person": 3, "account": 7}'``, ``sha256_sealed =
'legacy:<hex>'``, and the sha256 recorded in the audit of downloads likewise), and the case desk
seals them and computes the tags the first time it is used with the key
(``CaseDesk.seal_legacy``, run once per process before the first case is read; ``cdcs cases
rotate-key`` runs it too). Until then those values are as readable as before the migration,
no more. What needs no key is done here: the reporter's own events and audit rows lose the
person id that named them (their kind says it was the reporter), and a withheld case loses its
``organisation_id`` (the reporter's CĐCS, whose chairperson they are).

On SQLite, dropping the two columns means copying ``case_file`` to a new table (batch mode),
which other tables reference: ``Database.upgrade`` runs migrations with foreign keys off and
checks them all (``PRAGMA foreign_key_check``) before it commits, as SQLite's own procedure for
such changes says.

Downgrade puts back the clear columns from values still marked ``legacy:``; values already
sealed cannot be opened without the key, so they come back empty (a sha256 as ''), as do the
person ids removed from events and audit rows.

Revision ID: 0008
Revises: 0007
"""
import json

import sqlalchemy as sa
from alembic import op

revision = '0008'
down_revision = '0007'
branch_labels = None
depends_on = None

LEGACY = "legacy:"
REPORTER_EVENTS = ("created", "from_reporter", "info", "evidence")


def upgrade() -> None:
    bind = op.get_bind()
    with op.batch_alter_table('case_file') as batch:
        batch.add_column(sa.Column('reporter_sealed', sa.Text(), nullable=True))
        batch.add_column(sa.Column('reporter_tag', sa.String(length=64), nullable=True))
    with op.batch_alter_table('case_attachment') as batch:
        batch.add_column(sa.Column('sha256_sealed', sa.Text(), nullable=True))

    cases = bind.execute(sa.text(
        "SELECT id, code, reporter_person_id, reporter_account_id FROM case_file")).all()
    for case_id, code, person_id, account_id in cases:
        if person_id is None and account_id is None:
            continue
        link = LEGACY + json.dumps({"person": person_id, "account": account_id})
        bind.execute(sa.text("UPDATE case_file SET reporter_sealed = :link WHERE id = :id"),
                     {"link": link, "id": case_id})
        if person_id is not None:  # the reporter's own views, replies, submission
            bind.execute(sa.text(
                "UPDATE case_audit SET actor_person_id = NULL, actor = 'reporter' "
                "WHERE case_code = :code AND actor_person_id = :person"),
                {"code": code, "person": person_id})
    bind.execute(sa.text("UPDATE case_attachment SET sha256_sealed = :legacy || sha256"),
                 {"legacy": LEGACY})
    bind.execute(sa.text("UPDATE case_event SET actor_person_id = NULL WHERE kind IN "
                         "('created', 'from_reporter', 'info', 'evidence')"))
    bind.execute(sa.text("UPDATE case_file SET organisation_id = NULL WHERE identity_withheld = :yes"),
                 {"yes": True})
    _move_audit_digests(bind, "sha256", "sha256_sealed", LEGACY)

    with op.batch_alter_table('case_file') as batch:
        batch.create_index('ix_case_file_reporter_tag', ['reporter_tag'])
        batch.drop_column('reporter_person_id')
        batch.drop_column('reporter_account_id')
    with op.batch_alter_table('case_attachment') as batch:
        batch.drop_column('sha256')

    op.create_table('evidence_quota',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('owner_tag', sa.String(length=64), nullable=False),
    sa.Column('day', sa.Date(), nullable=False),
    sa.Column('files', sa.Integer(), nullable=False),
    sa.Column('bytes', sa.BigInteger(), nullable=False),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('owner_tag', 'day', name='uq_evidence_quota')
    )


def downgrade() -> None:
    bind = op.get_bind()
    op.drop_table('evidence_quota')
    with op.batch_alter_table('case_file') as batch:
        batch.add_column(sa.Column('reporter_person_id', sa.Integer(), nullable=True))
        batch.add_column(sa.Column('reporter_account_id', sa.Integer(), nullable=True))
    with op.batch_alter_table('case_attachment') as batch:
        batch.add_column(sa.Column('sha256', sa.String(length=64), nullable=False, server_default=''))

    for case_id, link in bind.execute(sa.text(
            "SELECT id, reporter_sealed FROM case_file WHERE reporter_sealed LIKE 'legacy:%'")).all():
        ids = json.loads(link[len(LEGACY):])
        bind.execute(sa.text("UPDATE case_file SET reporter_person_id = :person, "
                             "reporter_account_id = :account WHERE id = :id"),
                     {"person": ids.get("person"), "account": ids.get("account"), "id": case_id})
    for item_id, token in bind.execute(sa.text(
            "SELECT id, sha256_sealed FROM case_attachment WHERE sha256_sealed LIKE 'legacy:%'")).all():
        bind.execute(sa.text("UPDATE case_attachment SET sha256 = :digest WHERE id = :id"),
                     {"digest": token[len(LEGACY):][:64], "id": item_id})
    _move_audit_digests(bind, "sha256_sealed", "sha256", "", strip=LEGACY)

    with op.batch_alter_table('case_attachment') as batch:
        batch.drop_column('sha256_sealed')
        batch.alter_column('sha256', server_default=None)
    with op.batch_alter_table('case_file') as batch:
        batch.drop_index('ix_case_file_reporter_tag')
        batch.drop_column('reporter_tag')
        batch.drop_column('reporter_sealed')
        batch.create_foreign_key('fk_case_file_reporter_person_id', 'person',
                                 ['reporter_person_id'], ['id'])
        batch.create_foreign_key('fk_case_file_reporter_account_id', 'channel_account',
                                 ['reporter_account_id'], ['id'])


def _move_audit_digests(bind, source: str, target: str, prefix: str, strip: str = "") -> None:
    """The download audit's ``detail[source]`` → ``detail[target]`` (marked, or unmarked)."""
    rows = bind.execute(sa.text("SELECT id, detail FROM case_audit WHERE action = 'download'")).all()
    for row_id, detail in rows:
        detail = json.loads(detail) if isinstance(detail, str) else dict(detail or {})
        if source not in detail:
            continue
        value = detail.pop(source)
        if strip:
            if not str(value).startswith(strip):
                continue  # sealed: cannot be opened here, left out
            value = str(value)[len(strip):]
        detail[target] = prefix + str(value)
        update = sa.text("UPDATE case_audit SET detail = :detail WHERE id = :id").bindparams(
            sa.bindparam("detail", type_=sa.JSON))
        bind.execute(update, {"detail": detail, "id": row_id})
