"""The demo's customer insight for Northwind Retail: a generated, pseudonymous transaction
history of 5,000 customers over two years, analysed as of 31 October 2026, and a year of
social listening for Northwind and three competitors."""

import datetime
import io
import random

from insights.models import SegmentAnalysis
from insights.services import analysis_request, analysis_run, listening_upload
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


# brand: (mentions a month, positive share, negative share, shares per mention,
#         reviews per mention, rating); Northwind trails on sharing, leads on reviews.
BRANDS = {
    "Northwind Retail": (1800, 0.38, 0.12, 0.06, 0.05, 4.4),
    "Contoso Home": (2600, 0.33, 0.16, 0.09, 0.03, 4.0),
    "Fabrikam Living": (1500, 0.46, 0.08, 0.15, 0.04, 4.2),
    "Tailspin Stores": (900, 0.30, 0.20, 0.05, 0.02, 3.7),
}
SOURCES = {"social": 0.6, "reviews": 0.25, "forums": 0.15}


def listening_csv(months: int = 12, seed: int = 7) -> bytes:
    rng = random.Random(seed)  # noqa: S311 - repeatable demo data, not secrets
    out = io.StringIO()
    out.write("date,brand,source,mentions,positive,negative,shares,reviews,rating\n")
    first = datetime.date(AS_OF.year - 1, AS_OF.month + 1, 1) if AS_OF.month < 12 else AS_OF
    for m in range(months):
        year, month = divmod(first.month - 1 + m, 12)
        day = datetime.date(first.year + year, month + 1, 1)
        for brand, (volume, pos, neg, share, review, rating) in BRANDS.items():
            for source, part in SOURCES.items():
                mentions = max(1, round(volume * part * rng.uniform(0.85, 1.15)))
                positive = round(mentions * pos * rng.uniform(0.9, 1.1))
                negative = min(mentions - positive, round(mentions * neg * rng.uniform(0.9, 1.1)))
                reviews = round(mentions * review * 4) if source == "reviews" else 0
                stars = f"{min(5, rating + rng.uniform(-0.2, 0.2)):.2f}" if reviews else ""
                shares = round(mentions * share * rng.uniform(0.8, 1.2))
                out.write(
                    f"{day:%Y-%m-%d},{brand},{source},{mentions},{positive},{negative},"
                    f"{shares},{reviews},{stars}\n"
                )
    return out.getvalue().encode()


def seed_northwind_insights(*, client: Client, requested_by: User) -> None:
    if not client.listening.exists():
        listening_upload(client=client, data=listening_csv(), client_brand="Northwind Retail")
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
