"""The JSON API under /api/v1: each domain's API router (their routes carry the prefix, app.deps.api_router)."""

from app.accounts import api as accounts_api
from app.discussion import api as discussion_api
from app.documents import api as documents_api
from app.events import api as events_api
from app.exports import api as exports_api
from app.ideas import api as ideas_api
from app.moderation import api as moderation_api
from app.quartiere import api as quartiere_api
from app.reports import api as reports_api
from app.responses import api as responses_api
from app.rounds import api as rounds_api

ROUTERS = (accounts_api.router, documents_api.router, quartiere_api.router, rounds_api.router, discussion_api.router,
           ideas_api.router, events_api.router, responses_api.router, moderation_api.router, exports_api.router,
           reports_api.router)
