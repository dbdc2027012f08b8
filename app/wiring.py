"""How the domains plug into each other, in one visible place: wire() is called by create_app() and the CLI.

Lower domains offer lists that later domains fill (imports point one way, see tests/test_architecture.py):
the documents' section-page and publish-page extensions and VERSION_PUBLISHED hooks, the ideas' idea-page
extensions, the start page's panels, and what accounts exports ("Meine Daten") and erases on account deletion.
Nothing is registered by importing a module; wire() sets every list to exactly what is written here, so
calling it twice changes nothing.
"""

from app.accounts import retention as accounts_retention
from app.accounts import service as accounts_service
from app.accounts.models import ORGANISATION_KIND_LABELS, ROLE_LABELS, AuthToken, Invitation, User
from app.audit import AuditEntry
from app.discussion import amendments as discussion_amendments
from app.discussion import notify as discussion_notify
from app.discussion import pages as discussion_pages
from app.discussion import service as discussion_service
from app.discussion.models import Comment, CommentEdit, Vote
from app.documents import pages as documents_pages
from app.documents import service as documents_service
from app.documents.models import Draft, Edition, SectionVersion
from app.events import pages as events_pages
from app.events import service as events_service
from app.events.models import Event, EventRegistration
from app.ideas import notify as ideas_notify
from app.ideas import pages as ideas_pages
from app.ideas import service as ideas_service
from app.ideas.models import Idea, IdeaEdit, IdeaStatusChange
from app.legal import service as legal_service
from app.legal.models import Consent, SitePageVersion
from app.moderation import notify as moderation_notify
from app.moderation import service as moderation_service
from app.moderation.models import Flag
from app.notifications import service as mail
from app.responses import mine as responses_mine
from app.responses import notify as responses_notify
from app.responses import pages as responses_pages
from app.responses import service as responses_service
from app.responses.models import Casework, InternalNote, Response
from app.rounds import notify as rounds_notify
from app.rounds import pages as rounds_pages
from app.rounds import service as rounds_service
from app.rounds.models import Round, RoundFollow
from app.site import pages as site_pages
from app.web import templating
from app.web.i18n import gettext as _

# Every model that holds what a person wrote or did as a participant, with the function that exports it for
# "Meine Daten" and the one that erases it on account deletion (tests/test_wiring.py checks that every table
# referring to a user account is listed here or in OFFICIAL_RECORDS).
PERSONAL_DATA = [
    ((Comment, CommentEdit, Vote), discussion_service.export_person, discussion_service.erase_person),
    ((Idea, IdeaEdit), ideas_service.export_ideas, ideas_service.erase_ideas),
    ((Flag,), moderation_service.export_flags, moderation_service.erase_flags),
    ((RoundFollow,), rounds_service.export_follows, rounds_service.erase_follows),
    ((Consent,), legal_service.export_consents, legal_service.erase_consents),
    ((EventRegistration,), events_service.export_registrations, events_service.erase_registrations),
]

# Tables that refer to a user account but are not a participant's data: the account itself (exported and
# erased by the accounts service), and the record of official acts of leads, moderators and administrators
# (who published, answered, changed a status, opened a round, invited) and the audit log, kept under the name
# "gelöschtes Konto".
OFFICIAL_RECORDS = (User, AuthToken, Invitation, AuditEntry, Draft, SectionVersion, Edition, Round, IdeaStatusChange,
                    Response, SitePageVersion, Event, Casework, InternalNote)


def wire() -> None:
    """Fill every registry. Idempotent."""
    # ... and the official responses to one's own contributions (an official record: exported, never erased)
    accounts_service.DATA_EXPORTERS[:] = [export for _models, export, _erase in PERSONAL_DATA] + [
        responses_mine.export_responses]
    accounts_service.ERASERS[:] = [erase for _models, _export, erase in PERSONAL_DATA]
    # consent to the terms and privacy text the city publishes: asked at registration, invitation and login
    accounts_service.CONSENT_MISSING[:] = [legal_service.missing_consent]
    accounts_service.CONSENT_RECORDERS[:] = [legal_service.record_consent]
    # inside the publish transaction: tell earlier commenters, answer the comments the version takes up
    documents_service.VERSION_PUBLISHED[:] = [discussion_notify.version_published,
                                              responses_service.on_version_published]
    # mail: what a queued message is about is checked again before it is sent (withdrawn or hidden: never sent);
    # the deliver-mail worker's jobs besides sending
    mail.STILL_SHOWN.clear()
    mail.STILL_SHOWN.update({"comment": discussion_notify.comment_shown, "idea": ideas_notify.idea_shown,
                             "response": responses_notify.response_shown,
                             "flagged-comment": moderation_notify.still_flagged("comment"),
                             "flagged-idea": moderation_notify.still_flagged("idea")})
    # ... and the retention periods the privacy text states (once an hour)
    mail.PERIODIC[:] = [rounds_notify.round_notices, moderation_notify.flag_batch, accounts_retention.periodic]
    # an adopted Änderungsvorschlag is taken up by the next version of its section
    documents_service.ADDRESS_SOURCES[:] = [discussion_amendments.pending_adopted]
    # one status for an idea: a final status set on it is its Stellungnahme
    ideas_service.FINAL_STATUS_SET[:] = [responses_service.on_idea_final_status]
    documents_pages.SECTION_EXTENSIONS[:] = [discussion_pages.section_extension, responses_pages.section_extension]
    documents_pages.PUBLISH_EXTENSIONS[:] = [responses_pages.publish_extension, discussion_pages.publish_extension]
    ideas_pages.IDEA_EXTENSIONS[:] = [discussion_pages.idea_extension, responses_pages.idea_extension]
    rounds_pages.ROUND_EXTENSIONS[:] = [events_pages.round_extension]
    ideas_pages.QUARTIER_EXTENSIONS[:] = [events_pages.district_extension]
    # on an event's page: what was recorded from the Werkstatt, and for recorders the way to record it
    events_pages.EVENT_EXTENSIONS[:] = [discussion_pages.event_extension]
    ideas_pages.MAP_VENUES[:] = [events_pages.map_venues]
    site_pages.HOME_PANELS[:] = [ideas_pages.newest_ideas_panel, rounds_pages.current_round_panel]
    templating.env.globals.update(
        role_label=lambda role: _(ROLE_LABELS.get(role, role)),
        organisation_kind_label=lambda kind: _(ORGANISATION_KIND_LABELS.get(kind, kind or "")))
