"""Segment analyses, requested and run by the insights services on a small file, so each
is done with the summary the real analysis writes."""

import datetime

import factory

from insights.models import SegmentAnalysis
from insights.services import analysis_request, analysis_run
from tests.factories import ClientFactory

TRANSACTIONS = (
    b"customer_id,date,amount\n"
    b"a,2026-01-01,10\na,2026-01-11,20\na,2026-01-31,30\nb,2026-03-01,100\n"
    b"c,2026-02-01,5\nc,2026-02-15,5\nd,2025-06-01,50\ne,2026-03-20,7\n"
)


class SegmentAnalysisFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = SegmentAnalysis

    client = factory.SubFactory(ClientFactory)
    name = factory.Sequence(lambda n: f"Transactions {n}")
    as_of = datetime.date(2026, 3, 31)
    data = TRANSACTIONS

    @classmethod
    def _create(cls, model_class, *, client, name, as_of, data, **fields):
        analysis = analysis_request(
            client=client, data=data, name=name, as_of=as_of, fields=fields, enqueue=False
        )
        return analysis_run(analysis_id=analysis.id)
