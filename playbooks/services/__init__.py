"""Writes for campaign plans (campaigns.py) and the documents rendered from them
(documents.py): one function per use case, each atomic, each raising ValidationError keyed
by field (nothing half-saved). Import from here or from the module."""

from ..errors import TransientRenderError
from .campaign_results import status_record, variant_results_from_csv, variant_results_save
from .campaigns import (
    MAX_ACTIVITIES,
    MAX_TACTICS,
    MAX_VARIANTS,
    campaign_add_tactic,
    campaign_delete,
    campaign_draft,
    campaign_from_library,
    campaign_library,
    campaign_save,
)
from .documents import (
    DOCUMENT_JOB,
    document_delete,
    document_fail,
    document_html,
    document_render,
    document_request,
    documents_requeue_stuck,
)

__all__ = [
    "DOCUMENT_JOB",
    "MAX_ACTIVITIES",
    "MAX_TACTICS",
    "MAX_VARIANTS",
    "TransientRenderError",
    "campaign_add_tactic",
    "campaign_delete",
    "campaign_draft",
    "campaign_from_library",
    "campaign_library",
    "campaign_save",
    "document_delete",
    "document_fail",
    "document_html",
    "document_render",
    "document_request",
    "documents_requeue_stuck",
    "status_record",
    "variant_results_from_csv",
    "variant_results_save",
]
