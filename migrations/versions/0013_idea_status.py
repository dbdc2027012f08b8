"""One status for an idea; ideas edited and withdrawn by their authors.

The idea's status ("Stand") and its official response (Stellungnahme) can no longer contradict each other: the
four response statuses are idea statuses too (accepted → adopted "berücksichtigt", partly → partly, rejected →
declined "nicht berücksichtigt", noted → noted), an idea's response sets its status and a final status set on the
idea is its response. Existing data is made to agree:

- an idea with a current response takes the response's status and text (and the change enters its history);
- an idea marked adopted or declined without a response gets one (accepted / rejected) with the reason given,
  by the person who set the status, at that time.

New: idea.edited_at, idea.withdrawn_at and the table idea_edit (earlier texts behind "bearbeitet").
On SQLite the check constraint is changed by rebuilding the table; the full-text triggers of 0003 are made anew.

Revision ID: 0013
Revises: 0012
"""
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0013"
down_revision: str | None = "0012"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

NEW_CHECK = "status IN ('received', 'reviewing', 'adopted', 'partly', 'declined', 'noted')"
OLD_CHECK = "status IN ('received', 'reviewing', 'adopted', 'declined')"
RESPONSE_TO_STATUS = {"accepted": "adopted", "partly": "partly", "rejected": "declined", "noted": "noted"}

SQLITE_FTS = [  # as in 0003: rebuilding the table dropped its triggers
    "DROP TRIGGER IF EXISTS idea_fts_ai",
    "DROP TRIGGER IF EXISTS idea_fts_ad",
    "DROP TRIGGER IF EXISTS idea_fts_au",
    "CREATE TRIGGER idea_fts_ai AFTER INSERT ON idea BEGIN "
    "INSERT INTO idea_fts(rowid, title, body) VALUES (new.id, new.title, new.body); END",
    "CREATE TRIGGER idea_fts_ad AFTER DELETE ON idea BEGIN "
    "INSERT INTO idea_fts(idea_fts, rowid, title, body) VALUES ('delete', old.id, old.title, old.body); END",
    "CREATE TRIGGER idea_fts_au AFTER UPDATE OF title, body ON idea BEGIN "
    "INSERT INTO idea_fts(idea_fts, rowid, title, body) VALUES ('delete', old.id, old.title, old.body); "
    "INSERT INTO idea_fts(rowid, title, body) VALUES (new.id, new.title, new.body); END",
    "INSERT INTO idea_fts(idea_fts) VALUES ('rebuild')",
]


def _set_check(check: str) -> None:
    sqlite = op.get_bind().dialect.name == "sqlite"
    with op.batch_alter_table("idea", recreate="always" if sqlite else "auto") as batch:
        batch.drop_constraint("ck_idea_status", type_="check")
        batch.create_check_constraint(op.f("ck_idea_status"), check)
    if sqlite:
        for statement in SQLITE_FTS:
            op.execute(statement)


idea = sa.table("idea", sa.column("id", sa.Integer), sa.column("status", sa.String),
                sa.column("status_reason", sa.Text), sa.column("created_at", sa.DateTime))
response = sa.table("response", sa.column("id", sa.Integer), sa.column("idea_id", sa.Integer),
                    sa.column("comment_id", sa.Integer), sa.column("status", sa.String), sa.column("text", sa.Text),
                    sa.column("version_id", sa.Integer), sa.column("revision", sa.Integer),
                    sa.column("is_current", sa.Boolean), sa.column("author_id", sa.Integer),
                    sa.column("created_at", sa.DateTime))
change = sa.table("idea_status_change", sa.column("id", sa.Integer), sa.column("idea_id", sa.Integer),
                  sa.column("status", sa.String), sa.column("reason", sa.Text), sa.column("section_id", sa.Integer),
                  sa.column("changed_by_id", sa.Integer), sa.column("changed_at", sa.DateTime))


def _agree() -> None:
    conn = op.get_bind()
    # 1. The response decides: the idea takes its status and text.
    answered = conn.execute(sa.select(idea.c.id, idea.c.status, response.c.status, response.c.text,
                                      response.c.author_id, response.c.created_at)
                            .join(response, response.c.idea_id == idea.c.id)
                            .where(response.c.is_current.is_(True))).all()
    for idea_id, old, r_status, r_text, author_id, created_at in answered:
        new = RESPONSE_TO_STATUS[r_status]
        conn.execute(sa.update(idea).where(idea.c.id == idea_id).values(status=new, status_reason=r_text))
        if new != old and author_id is not None:
            conn.execute(sa.insert(change).values(idea_id=idea_id, status=new, reason=r_text, section_id=None,
                                                  changed_by_id=author_id, changed_at=created_at))
    # 2. A final status without a response gets its response.
    done = {row[0] for row in answered}
    final = conn.execute(sa.select(idea.c.id, idea.c.status, idea.c.status_reason, idea.c.created_at)
                         .where(idea.c.status.in_(("adopted", "declined")))).all()
    for idea_id, status, reason, created_at in final:
        if idea_id in done:
            continue
        last = conn.execute(sa.select(change.c.changed_by_id, change.c.changed_at)
                            .where(change.c.idea_id == idea_id, change.c.status == status)
                            .order_by(change.c.changed_at.desc(), change.c.id.desc()).limit(1)).first()
        revision = conn.execute(sa.select(sa.func.max(response.c.revision))
                                .where(response.c.idea_id == idea_id)).scalar() or 0
        conn.execute(sa.insert(response).values(
            idea_id=idea_id, comment_id=None, status="accepted" if status == "adopted" else "rejected",
            text=reason or "", version_id=None, revision=revision + 1, is_current=True,
            author_id=last[0] if last else None, created_at=last[1] if last else created_at))


def upgrade() -> None:
    with op.batch_alter_table("idea") as batch:
        batch.add_column(sa.Column("edited_at", sa.DateTime(), nullable=True))
        batch.add_column(sa.Column("withdrawn_at", sa.DateTime(), nullable=True))
    _set_check(NEW_CHECK)
    op.create_table(
        "idea_edit",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("idea_id", sa.Integer(), nullable=False),
        sa.Column("title", sa.String(length=160), nullable=False),
        sa.Column("body", sa.Text(), nullable=False),
        sa.Column("category", sa.String(length=32), nullable=False),
        sa.Column("edited_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(["idea_id"], ["idea.id"], name=op.f("fk_idea_edit_idea_id_idea")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_idea_edit")),
    )
    op.create_index(op.f("ix_idea_edit_idea_id"), "idea_edit", ["idea_id"], unique=False)
    _agree()


def downgrade() -> None:
    op.drop_index(op.f("ix_idea_edit_idea_id"), table_name="idea_edit")
    op.drop_table("idea_edit")
    # partly / noted have no older counterpart: they fall back to "reviewing" (the response stays)
    op.execute(sa.update(idea).where(idea.c.status.in_(("partly", "noted"))).values(status="reviewing"))
    with op.batch_alter_table("idea") as batch:
        batch.drop_column("withdrawn_at")
        batch.drop_column("edited_at")
    _set_check(OLD_CHECK)  # last: on SQLite it makes the full-text triggers anew
