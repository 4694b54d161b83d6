"""What the query-count tests share (test_query_counts.py for pages,
test_query_counts_api.py for list APIs): a check that a fetch takes exactly the named
queries at two sizes, and the builders that grow rows."""

from assessments.services import answers_save, respondent_add, respondent_submit
from audit.services import audit_record
from tests.kpis.factories import DigitalGoalFactory, KPIFactory
from tests.playbooks.factories import CampaignFactory, DocumentFactory

# Every signed-in request: the session, its user, and the membership with its workspace
# (workspace_access).
AUTH = ["session", "user", "membership and workspace"]


def flat_check(assert_num_queries, small: int, large: int):
    """check(grow, fetch, queries): grow(small) rows, then grow to `large`; fetch() takes
    exactly the named queries both times. A first fetch warms what a process caches once
    (content types and such)."""

    def check(grow, fetch, queries):
        grow(small)
        fetch()
        for rows, more in ((small, 0), (large, large - small)):
            grow(more)
            with assert_num_queries(len(queries), info=f"{rows} rows: {queries}"):
                fetch()

    return check


def ok_get(http, url):
    """A fetch of `url` that must answer 200."""

    def fetch():
        response = http.get(url)
        assert response.status_code == 200, response.content[:500]

    return fetch


def respondents_grow(assessment, *, submitted=False):
    def grow(n):
        for _ in range(n):
            count = assessment.respondents.count()
            respondent = respondent_add(
                assessment=assessment,
                name=f"Exec {count}",
                email=f"exec{count}@client.example",
                role=["executive", "it", "sales", "marketing"][count % 4],
            )
            if submitted:
                respondent.refresh_from_db()
                answers_save(
                    respondent=respondent,
                    changes={"q1": {"value": "4"}, "q2": {"value": "3"}, "q3": {"value": "1"}},
                )
                respondent_submit(respondent=respondent)

    return grow


def kpis_grow(plan):
    def grow(n):
        for _ in range(n):
            goal = DigitalGoalFactory(plan=plan)
            KPIFactory(plan=plan, digital_goal=goal, measurements=3)

    return grow


def documents_grow(client):
    campaign = CampaignFactory(client=client)

    def grow(n):
        for _ in range(n):
            DocumentFactory(client=client)
            DocumentFactory(client=client, campaign=campaign)

    return grow


def audit_events(user, client):
    def grow(n):
        for _ in range(n):
            audit_record(
                actor=user,
                workspace=client.workspace,
                client=client,
                action="results_viewed",
                obj=client,
            )

    return grow
