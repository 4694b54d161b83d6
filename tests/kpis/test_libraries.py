from kpis.engagement import engagement_value
from kpis.libraries import library, suggestions
from kpis.services import DEFAULT_CATEGORIES

LADDER = [
    {"key": k, "min_points": low, "max_points": high} for k, _n, low, high in DEFAULT_CATEGORIES
]


def test_every_library_goal_fits_the_default_scale():
    goals = [
        {"key": g["key"], "category": g["category"], "points": g["points"]}
        for g in library("goals")
    ]
    assert engagement_value({"categories": LADDER, "goals": goals})["errors"] == []


def test_the_domain_examples_are_in_the_libraries():
    points = {g["name"].lower(): g["points"] for g in library("goals")}
    for name, value in [
        ("newsletter sign-up", 10),
        ("loyalty sign-up", 30),
        ("demo request", 45),
        ("review written", 120),
        ("referral", 200),
    ]:
        assert points[name] == value, name
    kpis = {k["name"]: k for k in library("kpis")}
    assert kpis["Net Promoter Score"]["involvement"] == "influence"
    assert kpis["Churn rate"]["from_stage"] == 7
    for i in ("involvement", "interaction", "intimacy", "influence"):
        assert sum(1 for k in kpis.values() if k["involvement"] == i) >= 3
    assert len(library("themes")) >= 5


def test_suggestions_favour_the_priority_dimensions_and_the_stage():
    early = suggestions("kpis", stage=2)
    assert all(k["from_stage"] <= 2 for k in early)
    first = suggestions("kpis", dimensions=["testing_optimisation"])[0]
    assert "testing_optimisation" in first["dimensions"]
