"""Every table, imported in one place for Alembic and the tests."""

from sqlmodel import SQLModel

from app import audit, cache, ratelimit  # noqa: F401
from app.accounts import models as accounts_models  # noqa: F401
from app.discussion import models as discussion_models  # noqa: F401
from app.documents import models as documents_models  # noqa: F401
from app.events import models as events_models  # noqa: F401
from app.ideas import models as ideas_models  # noqa: F401
from app.legal import models as legal_models  # noqa: F401
from app.moderation import models as moderation_models  # noqa: F401
from app.notifications import models as notifications_models  # noqa: F401
from app.quartiere import models as quartiere_models  # noqa: F401
from app.responses import models as responses_models  # noqa: F401
from app.rounds import models as rounds_models  # noqa: F401

metadata = SQLModel.metadata
