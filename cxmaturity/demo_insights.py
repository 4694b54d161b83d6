"""The demo's customer insight for Northwind Retail: a generated, pseudonymous transaction
history of 5,000 customers over two years, analysed as of 31 October 2026."""

import datetime
import io
import random

from insights.models import SegmentAnalysis
from insights.services import analysis_request, analysis_run
from workspaces.models import Client, User

AS_OF = datetime.date(2026, 10, 31)
START = datetime.date(2024, 11, 1)


def transactions_csv(customers: int = 5000, seed: int = 2026) -> bytes:
    """Customers with their own rhythm (a usual gap of 2 weeks to 6 months), some of whom
    stopped buying: the material for champions, at-risk customers and hibernators."""
    rng = random.Random(seed)  # noqa: S311 - repeatable demo data, not secrets
    span = (AS_OF - START).days
    out = io.StringIO()
    out.write("customer_id,date,amount,channel\n")
    for n in range(customers):
        gap = rng.choice([14, 21, 30, 45, 60, 90, 120, 180])
        basket = rng.lognormvariate(3.6, 0.5)
        day = rng.randrange(span)
        # A third went quiet at some point; the rest still buy at their rhythm.
        stop = rng.randrange(day, span + 1) if rng.random() < 0.35 else span
        channel = rng.choice(["web", "web", "in_store", "in_store", "mobile", "email"])
        while day <= stop:
            when = START + datetime.timedelta(days=day)
            amount = round(basket * rng.uniform(0.6, 1.5), 2)
            out.write(f"nw-{n:05d},{when.isoformat()},{amount},{channel}\n")
            day += max(1, round(rng.gauss(gap, gap / 4)))
    return out.getvalue().encode()


def seed_northwind_insights(*, client: Client, requested_by: User) -> None:
    if client.segment_analyses.exists():
        return
    analysis = analysis_request(
        client=client,
        data=transactions_csv(),
        name="Online and store sales, Nov 2024 – Oct 2026",
        as_of=AS_OF,
        fields={"k": 2, "lifetime_years": 3, "margin": "0.35", "cost": 12},
        created_by=requested_by,
        enqueue=False,
    )
    SegmentAnalysis.objects.filter(id=analysis.id).update(currency="GBP")
    analysis_run(analysis_id=analysis.id)
