"""The API's shape of a campaign's results (GET …/campaigns/{id}/results/) and of the test
results it takes (PUT …/campaigns/{id}/test-results/); the views are in api.py."""

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from cxmaturity.api import RefuseUnknownFields, revision_field

from .models import CampaignPlan
from .results import HISTORY, campaign_results


class VariantCountsIn(serializers.Serializer):
    variant = serializers.CharField(max_length=200)
    visitors = serializers.IntegerField(min_value=0)
    conversions = serializers.IntegerField(min_value=0)


class TestResultsIn(RefuseUnknownFields, serializers.Serializer):
    results = VariantCountsIn(
        many=True,
        max_length=20,
        help_text=_("Visitors and conversions per variant; variants not given keep theirs"),
    )
    revision = revision_field()


class KpiResultOut(serializers.Serializer):
    kpi = serializers.UUIDField(source="kpi.id")
    name = serializers.CharField(source="kpi.name")
    at_launch = serializers.DecimalField(max_digits=14, decimal_places=4, allow_null=True)
    at_launch_is_baseline = serializers.BooleanField(source="from_baseline")
    now = serializers.DecimalField(max_digits=14, decimal_places=4, allow_null=True)
    status_since_launch = serializers.CharField(source="status", allow_null=True)
    kpi_status = serializers.CharField(source="own")


class VariantResultOut(serializers.Serializer):
    name = serializers.CharField()
    control = serializers.BooleanField()
    entered = serializers.BooleanField()
    visitors = serializers.IntegerField()
    conversions = serializers.IntegerField()
    rate = serializers.FloatField(allow_null=True, help_text=_("Percent"))
    lift = serializers.FloatField(allow_null=True, help_text=_("Percent against the control"))
    z = serializers.FloatField(allow_null=True)
    p = serializers.FloatField(allow_null=True)


class TestOut(serializers.Serializer):
    verdict = serializers.ChoiceField(
        choices=["no_data", "waiting", "no_difference", "winner", "control_wins"]
    )
    verdict_text = serializers.CharField()
    winner = serializers.CharField(allow_null=True)
    sample_reached = serializers.BooleanField()
    variants = VariantResultOut(many=True)


class SpendRowOut(serializers.Serializer):
    title = serializers.CharField()
    budget = serializers.DecimalField(max_digits=14, decimal_places=2, allow_null=True)
    actual = serializers.DecimalField(max_digits=14, decimal_places=2, allow_null=True)
    over = serializers.BooleanField()


class SpendOut(serializers.Serializer):
    rows = SpendRowOut(many=True)
    planned = serializers.DecimalField(max_digits=16, decimal_places=2)
    actual = serializers.DecimalField(max_digits=16, decimal_places=2)
    over = serializers.BooleanField()


class StatusChangeOut(serializers.Serializer):
    status = serializers.CharField()
    at = serializers.DateTimeField()
    by = serializers.CharField()


class CampaignResultsOut(serializers.Serializer):
    launched = serializers.DateField(allow_null=True)
    history = StatusChangeOut(many=True)
    kpis = KpiResultOut(many=True)
    spend = SpendOut()
    test = TestOut(allow_null=True)


def results_out(campaign: CampaignPlan) -> dict:
    campaign = CampaignPlan.objects.prefetch_related("activities", "kpis", HISTORY).get(
        id=campaign.id
    )
    return CampaignResultsOut(campaign_results(campaign)).data
