"""Full-text search of ideas: SQLite FTS5 or PostgreSQL's German text search, behind one function.

The search objects are created by migrations/versions/0003_idea_search.py and are not in the models,
so a models-vs-database drift check must ignore the names below.
"""

import re

from sqlalchemy import func, literal_column, text
from sqlalchemy.sql.elements import ColumnElement
from sqlmodel import Session

from app.ideas.models import Idea

FTS_TABLE = "idea_fts"
PG_INDEX = "ix_idea_search"
# FTS5 creates shadow tables beside its virtual table; triggers keep it in sync with `idea`.
DRIFT_IGNORE_TABLES = {FTS_TABLE, f"{FTS_TABLE}_data", f"{FTS_TABLE}_idx", f"{FTS_TABLE}_docsize",
                       f"{FTS_TABLE}_config", f"{FTS_TABLE}_content"}
DRIFT_IGNORE_INDEXES = {PG_INDEX}
MAX_TERMS = 8

_WORD = re.compile(r"[^\W_]+", re.UNICODE)


def terms(q: str) -> list[str]:
    """Words of a query (letters incl. umlauts and digits); operators and quotes are dropped."""
    return [w.lower() for w in _WORD.findall(q or "")][:MAX_TERMS]


def matches(session: Session, q: str) -> ColumnElement[bool] | None:
    """A WHERE clause: ideas whose title or body contain every word of `q` (as a prefix); None for no words."""
    words = terms(q)
    if not words:
        return None
    if session.get_bind().dialect.name == "postgresql":
        query = " & ".join(f"{w}:*" for w in words)
        # The same expression as the GIN index, with literals (not parameters), so the index is used.
        german = literal_column("'german'")
        document = func.to_tsvector(german, Idea.title.op("||")(literal_column("' '")).op("||")(Idea.body))
        return document.op("@@")(func.to_tsquery(german, query))
    query = " ".join(f'"{w}"*' for w in words)
    return Idea.id.in_(text(f"SELECT rowid FROM {FTS_TABLE} WHERE {FTS_TABLE} MATCH :fts_query")
                       .bindparams(fts_query=query))
