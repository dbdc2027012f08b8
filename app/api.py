"""The JSON API under /api/v1: each domain's API router."""

from fastapi import APIRouter

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

router = APIRouter(prefix="/api/v1")
router.include_router(accounts_api.router)
router.include_router(documents_api.router)
router.include_router(quartiere_api.router)
router.include_router(rounds_api.router)
router.include_router(discussion_api.router)
router.include_router(ideas_api.router)
router.include_router(events_api.router)
router.include_router(responses_api.router)
router.include_router(moderation_api.router)
router.include_router(exports_api.router)
router.include_router(reports_api.router)
