"""The benchmark's ranked peers are kept per process under a fingerprint of the peers:
every change to who the peers are shows on the next view, and a view with the peers
unchanged reads none of their scores."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from assessments.results import assessment_results
from assessments.services import (
    answers_save,
    assessment_close,
    assessment_open,
    respondent_submit,
)
from tests.assessments.factories import small_version
from tests.assessments.test_benchmarks import _closed, _filters, _peers
from tests.factories import ClientFactory, WorkspaceFactory
from workspaces.services import client_archive, client_delete, client_restore, client_update

pytestmark = pytest.mark.django_db


@pytest.fixture
def version():
    return small_version()


def _benchmark(assessment):
    return assessment_results(assessment)["benchmark"]


def _scores_read(assessment) -> list[str]:
    with CaptureQueriesContext(connection) as queries:
        assessment_results(assessment)
    return [q["sql"] for q in queries.captured_queries if "overall_exact" in q["sql"]]


def test_an_unchanged_population_is_not_read_again(acme_client, version):
    assessment = _closed(acme_client, version)
    _peers(acme_client.workspace, version, n=6)
    assert len(_scores_read(assessment)) == 1  # the first view ranks the peers
    first = _benchmark(assessment)
    assert _scores_read(assessment) == []
    assert _benchmark(assessment) == first
    assert first["peer_count"] == 6


def test_a_peer_closing_shows_on_the_next_view(acme_client, version):
    assessment = _closed(acme_client, version, strategy=4)
    _peers(acme_client.workspace, version, n=5)  # all at strategy 4: a tie, 50th
    assert _benchmark(assessment)["overall"]["percentile"] == 50
    _closed(ClientFactory(workspace=acme_client.workspace), version, strategy=1)
    benchmark = _benchmark(assessment)
    assert benchmark["peer_count"] == 6
    # 1 below, 5 tied: 100 · (1 + 2.5) / 6 = 58.3 → 58
    assert benchmark["overall"]["percentile"] == 58


def test_a_peer_reopened_and_closed_with_other_answers_shows(acme_client, version):
    assessment = _closed(acme_client, version, strategy=4)
    peers = _peers(acme_client.workspace, version, n=5)
    assert _benchmark(assessment)["overall"]["percentile"] == 50
    peer = assessment_open(assessment=peers[0])
    respondent = peer.respondents.get()
    respondent.submitted_at = None  # answered again, as a reopened respondent would
    respondent.save(update_fields=["submitted_at"])
    answers_save(respondent=respondent, changes={"q1": {"value": "7"}})
    respondent_submit(respondent=respondent)
    assessment_close(assessment=peer)
    # 4 tied, 1 above: 100 · 2 / 5 = 40
    assert _benchmark(assessment)["overall"]["percentile"] == 40


def test_a_client_edited_into_the_filter_becomes_a_peer(acme_client, version):
    acme_client.industry = "Retail"
    acme_client.save()
    assessment = _filters(_closed(acme_client, version), "industry")
    _peers(acme_client.workspace, version, n=5, industry="Retail")
    (other,) = _peers(acme_client.workspace, version, n=1, industry="Banking")
    assert _benchmark(assessment)["peer_count"] == 5
    client_update(client=other.client, industry="Retail")
    assert _benchmark(assessment)["peer_count"] == 6


def test_a_trashed_peer_leaves_and_a_restored_one_returns(acme_client, version):
    assessment = _closed(acme_client, version)
    peers = _peers(acme_client.workspace, version, n=6)
    assert _benchmark(assessment)["peer_count"] == 6
    gone = client_archive(client=peers[0].client)
    client_delete(client=gone)
    assert _benchmark(assessment)["peer_count"] == 5
    client_restore(client=gone)
    assert _benchmark(assessment)["peer_count"] == 6


def test_a_workspace_joining_the_pool_shows_in_the_pooled_figures(acme_client, version):
    workspace = acme_client.workspace
    workspace.benchmark_pool = True
    workspace.save()
    assessment = _closed(acme_client, version)
    for n in (4, 3):
        _peers(WorkspaceFactory(benchmark_pool=True), version, n=n)
    late = WorkspaceFactory(benchmark_pool=False)
    _peers(late, version, n=3)
    assert _benchmark(assessment)["pool"]["shown"] is False  # 7 from 2 workspaces
    late.benchmark_pool = True
    late.save()
    pool = _benchmark(assessment)["pool"]
    assert (pool["shown"], pool["peer_count"]) == (True, 10)


def test_a_peer_closing_while_the_peers_are_read_is_not_kept_in_after_it_reopens(
    acme_client, version, monkeypatch
):
    """The fingerprint is read, then a peer closes, then the rows are read (with it): that
    ranking must not be kept under the fingerprint without it, or the peer would still
    count once it reopened and the fingerprint came back."""
    from assessments import benchmarks

    assessment = _closed(acme_client, version)
    _peers(acme_client.workspace, version, n=5)
    late = []
    read_rows = benchmarks._peer_rows

    def closing_meanwhile(peers):
        late.append(_closed(ClientFactory(workspace=acme_client.workspace), version))
        return read_rows(peers)

    monkeypatch.setattr(benchmarks, "_peer_rows", closing_meanwhile)
    assert _benchmark(assessment)["peer_count"] == 6
    monkeypatch.undo()
    assessment_open(assessment=late[0])
    assert _benchmark(assessment)["peer_count"] == 5
