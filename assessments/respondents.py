"""The old path of respondent and answer writes, kept for importers outside the app
(tests, backups); they live in `assessments.services` now."""

from .services.answers import answers_save, consensus_notes_save, respondent_submit
from .services.invitations import (
    respondent_email_send_now,
    respondent_invite,
    respondent_link,
    respondent_reissue,
    respondent_revoke,
    respondents_invite_all,
    respondents_remind_due,
)
from .services.respondents import (
    MAX_CSV_ROWS,
    consensus_respondent_get_or_create,
    respondent_add,
    respondents_import_csv,
)

__all__ = [
    "MAX_CSV_ROWS",
    "answers_save",
    "consensus_notes_save",
    "consensus_respondent_get_or_create",
    "respondent_add",
    "respondent_email_send_now",
    "respondent_invite",
    "respondent_link",
    "respondent_reissue",
    "respondent_revoke",
    "respondent_submit",
    "respondents_import_csv",
    "respondents_invite_all",
    "respondents_remind_due",
]
