"""The pure RFM module on small hand-made tables, worked out by hand."""

import datetime
import itertools

import polars as pl
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from insights import rfm

D = datetime.date
AS_OF = D(2026, 3, 31)


def _tx(rows):
    return pl.DataFrame(rows, schema=["customer_id", "date", "amount"], orient="row").with_columns(
        pl.col("amount").cast(pl.Float64)
    )


TX = _tx(
    [
        ("a", D(2026, 1, 1), 10),
        ("a", D(2026, 1, 11), 20),
        ("a", D(2026, 1, 31), 30),
        ("b", D(2026, 3, 1), 100),
        ("c", D(2026, 2, 1), 5),
        ("c", D(2026, 2, 15), 5),
        ("d", D(2025, 6, 1), 50),
        ("e", D(2026, 3, 20), 7),
        ("late", D(2026, 4, 2), 999),  # after the analysis date: ignored
    ]
)


def _by_id(table):
    return {row["customer_id"]: row for row in table.iter_rows(named=True)}


def test_recency_frequency_monetary_and_quintiles_by_hand():
    rows = _by_id(rfm.analyse(TX, as_of=AS_OF))
    assert set(rows) == {"a", "b", "c", "d", "e"}
    a = rows["a"]
    assert (a["recency_days"], a["frequency"], a["monetary"]) == (59, 3, 60.0)
    # Recency, least days best: d 303 → 1, a 59 → 2, c 44 → 3, b 30 → 4, e 11 → 5.
    assert [rows[c]["r_score"] for c in "dacbe"] == [1, 2, 3, 4, 5]
    # Frequency: b, d and e tie on one purchase and all score 1 (the tie rule).
    assert [rows[c]["f_score"] for c in "bde"] == [1, 1, 1]
    assert (rows["c"]["f_score"], rows["a"]["f_score"]) == (4, 5)
    # Monetary: e 7 → 1, c 10 → 2, d 50 → 3, a 60 → 4, b 100 → 5.
    assert [rows[c]["m_score"] for c in "ecdab"] == [1, 2, 3, 4, 5]
    assert rows["a"]["cell"] == "2-5-4"


def test_named_segments_follow_the_documented_rules():
    rows = _by_id(rfm.analyse(TX, as_of=AS_OF))
    assert rows["a"]["segment"] == "at_risk"  # R 2, F 5
    assert rows["c"]["segment"] == "loyal"  # R 3, F 4
    assert rows["b"]["segment"] == "new"  # R 4, F 1
    assert rows["e"]["segment"] == "new"
    assert rows["d"]["segment"] == "hibernating"  # R 1, F 1


def test_latency_uses_the_median_gap_and_the_population_for_one_time_buyers():
    rows = _by_id(rfm.analyse(TX, as_of=AS_OF, k=2))
    assert rows["a"]["usual_gap_days"] == 15  # gaps 10 and 20
    assert rows["c"]["usual_gap_days"] == 14
    assert rows["b"]["usual_gap_days"] == 14.5  # median of a's 15 and c's 14
    assert rows["b"]["gap_from_population"] is True
    assert rows["a"]["at_risk"] is True  # 59 > 2 * 15
    assert rows["e"]["at_risk"] is False  # 11 <= 2 * 14.5
    assert rows["a"]["value_at_stake"] == pytest.approx(20 * 365 / 15)
    relaxed = _by_id(rfm.analyse(TX, as_of=AS_OF, k=5))
    assert relaxed["a"]["at_risk"] is False  # 59 <= 5 * 15


def test_the_defection_list_puts_the_most_value_at_stake_first():
    risk = rfm.defection_risk(rfm.analyse(TX, as_of=AS_OF))
    values = risk["value_at_stake"].to_list()
    assert values == sorted(values, reverse=True)
    assert risk["customer_id"][0] == "b"  # 100 * 365 / 14.5


def test_grid_has_all_25_cells_with_counts_and_revenue():
    grid = rfm.grid(rfm.analyse(TX, as_of=AS_OF))
    assert grid.height == 25
    assert grid["customers"].sum() == 5
    assert grid["revenue"].sum() == pytest.approx(227)
    cell = grid.filter((pl.col("r_score") == 2) & (pl.col("f_score") == 5))
    assert (cell["customers"][0], cell["revenue"][0]) == (1, 60)


def test_lifetime_value_per_segment_by_hand():
    table = rfm.analyse(TX, as_of=AS_OF)
    window = rfm.window_days(TX.filter(pl.col("date") <= AS_OF), AS_OF)
    assert window == 304  # 1 June 2025 to 31 March 2026
    inputs = rfm.LifetimeInputs(lifetime_years=2, margin=0.5, cost=10)
    ltv = _by_id(
        rfm.lifetime_value(table, window_days=window, inputs=inputs).rename(
            {"segment": "customer_id"}
        )
    )
    new = ltv["new"]  # b and e: 107 over 2 orders, 1 order each per 304 days
    assert new["average_order_value"] == pytest.approx(53.5)
    assert new["purchases_per_year"] == pytest.approx(365 / 304)
    assert new["lifetime_value"] == pytest.approx(53.5 * 365 / 304 * 2 * 0.5 - 10)


@pytest.mark.parametrize(
    ("csv", "expected"),
    [
        (b"", "The file is empty."),
        (b"customer_id,date,amount\n", "no transactions"),
        (b"customer_id,date\nx,2026-01-01\n", "missing: amount"),
        (b"customer_id,email,date,amount\nx,a@b.co,2026-01-01,1\n", "looks like email"),
        (b"customer_id,name,date,amount\nx,Ann,2026-01-01,1\n", "“name” is not accepted"),
        (b"customer_id,date,amount\nann@example.com,2026-01-01,1\n", "Row 2, customer_id"),
        (
            b"customer_id,date,amount\nx,2026-01-01,1\ny,2026-01-02,2\nz,31/12/2025,3\n",
            "Row 4, date",
        ),
        (b"customer_id,date,amount\nx,2026-01-01,-5\n", "Row 2, amount: is negative"),
        (b"customer_id,date,amount\nx,2026-01-01,lots\n", "Row 2, amount: is not a number"),
    ],
)
def test_bad_files_are_refused_naming_row_and_column(csv, expected):
    with pytest.raises(rfm.TransactionsError) as caught:
        rfm.read_transactions(csv)
    assert expected in str(caught.value)


def test_a_good_file_is_read_with_its_optional_channel():
    table = rfm.read_transactions(
        b"Customer_ID, Date ,amount,channel\n c1 ,2026-01-05,12.50,web\nc2,2026-02-01,3,store\n"
    )
    assert table.columns == ["customer_id", "date", "amount", "channel"]
    assert table.row(0) == ("c1", D(2026, 1, 5), 12.5, "web")


customers_st = st.lists(
    st.tuples(
        st.sampled_from([f"c{i}" for i in range(12)]),
        st.dates(min_value=D(2025, 1, 1), max_value=AS_OF),
        st.floats(min_value=0, max_value=1000, allow_nan=False),
    ),
    min_size=1,
    max_size=60,
)


@settings(max_examples=60, deadline=None)
@given(customers_st)
def test_scores_are_1_to_5_and_monotonic_in_their_input(rows):
    table = rfm.analyse(_tx(rows), as_of=AS_OF)
    for score, value, better in [
        ("r_score", "recency_days", -1),
        ("f_score", "frequency", 1),
        ("m_score", "monetary", 1),
    ]:
        assert table[score].min() >= 1
        assert table[score].max() <= 5
        pairs = sorted(zip(table[value].to_list(), table[score].to_list(), strict=True))
        scores = [s for _v, s in pairs]
        # Better input never scores lower; equal input scores equal.
        assert scores == sorted(scores, reverse=better < 0)
        for (v1, s1), (v2, s2) in itertools.pairwise(pairs):
            if v1 == v2:
                assert s1 == s2
    assert table["at_risk"].to_list() == [
        r > 2 * g for r, g in zip(table["recency_days"], table["usual_gap_days"], strict=True)
    ]
