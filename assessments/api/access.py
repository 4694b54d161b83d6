"""What the API refuses, and why, for roles-only assessments seen by the client team."""

from django.utils.translation import gettext_lazy as _
from rest_framework.exceptions import PermissionDenied

from workspaces.models import Membership

from .. import selectors
from ..models import Assessment


def require_released(membership: Membership, *assessments: Assessment) -> None:
    """403 naming the rule while a roles-only assessment's results are not yet the client
    team's to see."""
    for assessment in assessments:
        if not selectors.results_released(assessment=assessment, scope=membership.scope):
            raise PermissionDenied(
                _(
                    "This assessment shows roles only: its results reach the client team once "
                    "it is closed with at least %(n)d submitted respondents."
                )
                % {"n": selectors.RELEASE_MINIMUM_RESPONDENTS}
            )


def require_disclosed(membership: Membership, assessment: Assessment) -> None:
    if not selectors.respondents_disclosed(assessment=assessment, scope=membership.scope):
        raise PermissionDenied(
            _(
                "This assessment shows roles only: the client team sees how many respondents "
                "were invited and submitted (on the assessment), never who."
            )
        )
