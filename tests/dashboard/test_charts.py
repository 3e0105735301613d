"""Chart builders are pure functions of polars frames: checked without Streamlit."""

from __future__ import annotations

from decimal import Decimal

import polars as pl

from dashboard import charts
from scoring.store.campaign import open_campaign

BOARD = pl.DataFrame(
    {
        "unit_name": ["甲社区", "乙社区", "丙村"],
        "score": [Decimal("91.5"), Decimal("80"), None],
        "stars": [5, 4, 0],
        "vetoed": [False, True, False],
    }
)


def test_score_bars_draw_each_scored_unit_and_threshold():
    fig = charts.score_bars(BOARD, [(5, 90.0), (4, 80.0)], "得分", "{stars}★ {score}")
    bar = fig.data[0]
    assert list(bar.x) == ["甲社区", "乙社区"] and list(bar.y) == [91.5, 80.0]
    assert list(bar.text) == ["★★★★★", "★★★★"]
    assert [s.y0 for s in fig.layout.shapes] == [90.0, 80.0]
    # each line across the whole plot, dashed, its label just right of the plot at its height
    assert {(s.xref, s.x0, s.x1, s.line.dash) for s in fig.layout.shapes} == {("x domain", 0, 1, "dash")}
    assert [(a.x, a.xanchor, a.y) for a in fig.layout.annotations] == [(1, "left", 90.0), (1, "left", 80.0)]
    assert fig.layout.annotations[0].text == "5★ 90.0"
    assert list(bar.marker.pattern.shape) == ["", "x"]  # the vetoed unit's bar is hatched


def test_distribution_boxes_come_from_database_quartiles(demo_db):
    import duckdb

    from scoring.app.service import score_spread
    from scoring.engine.run import latest_run
    from scoring.outputs.results import annual_results

    con = duckdb.connect(str(demo_db), read_only=True)
    run = latest_run(con, "jiujiang-2023")
    assert run is not None
    spread = score_spread(open_campaign(con, run.campaign_id), run)
    scores = annual_results(con, run).filter(~pl.col("vetoed"))
    con.close()
    urban = scores.filter(pl.col("category") == "urban")["annual_score"].cast(pl.Float64)
    row = spread.filter(pl.col("category") == "urban").row(0, named=True)
    assert row["units"] == urban.len() and row["lo"] == urban.min() and row["hi"] == urban.max()
    assert abs(row["median"] - urban.median()) < 1e-9
    assert abs(row["q1"] - urban.quantile(0.25, interpolation="linear")) < 1e-9
    fig = charts.score_distribution(spread, {"urban": "城市", "agri": "涉农", "nowhere": "无"}, "分布")
    assert len(fig.data) == 2 and list(fig.data[0].q1) == [row["q1"]]  # no box for an empty category
    assert fig.data[0].y is None  # the scores themselves never reach the browser


def test_indicator_and_area_compare():
    points = pl.DataFrame(
        {
            "indicator": ["党建", "服务", "治理"],
            "area": ["党", "民", "民"],
            "points": [10.0, 5.0, 3.0],
            "category_avg": [8.0, 4.0, 2.0],
            "category_best": [12.0, 6.0, 4.0],
        }
    )
    fig = charts.indicator_compare(points, ("本", "均", "优"), "t")
    assert [t.name for t in fig.data] == ["本", "均", "优"] and list(fig.data[2].y) == [12, 6, 4]
    radar = charts.area_compare(points, ("本", "均", "优"), "t")
    assert list(radar.data[0].theta) == ["党", "民"] and list(radar.data[0].r) == [10.0, 8.0]
    assert [t.name for t in radar.data] == ["本", "均", "优"] and list(radar.data[2].r) == [12, 10]


def test_trend_reverses_rank_axis():
    """Rank 1 on top, the axis from the largest rank shown to 1, whole numbers only."""
    frame = pl.DataFrame({"period": ["Q1", "Q2"], "score": [Decimal("80.5"), Decimal("82")], "rank": [3, 1]})
    fig = charts.trend(frame, ("得分", "排名"), "t")
    axis = fig.layout.yaxis2
    assert tuple(axis.range) == (3.5, 0.5) and list(axis.tickvals) == [1, 2, 3]
    assert list(fig.data[1].y) == [3, 1]


def test_rank_axis_steps_stay_whole():
    axis = charts.rank_axis([1, 40, None, 7], "排名")
    assert axis["range"] == [40.5, 0.5] and axis["tickvals"] == [1, 10, 20, 30, 40]
    assert charts.rank_axis([3, 12], "排名")["tickvals"] == [1, 2, 4, 6, 8, 10, 12]
    assert charts.rank_axis([None], "排名") | {"title": None} == {
        "title": None,
        "range": [1.5, 0.5],
        "tickmode": "array",
        "tickvals": [1],
    }
    assert charts.rank_axis([130_000], "排名")["tickvals"] == [1, *range(20_000, 130_000, 20_000)]


def test_budget_gauge_without_budget():
    fig = charts.budget_gauge(100.0, None, "t")
    assert fig.data[0].value == 100.0 and fig.data[0].mode == "gauge+number"


def test_rank_intervals_and_stability():
    frame = pl.DataFrame(
        {
            "unit_name": ["甲", "乙", "丙"],
            "rank": [2, 1, None],
            "rank_p05": [1, 1, None],
            "rank_p95": [4, 2, None],
            "p_keep_stars": [0.5, 1.0, 0.0],
            "p_keep_flags": [0.25, 0.9, 0.0],
        }
    )
    fig = charts.rank_intervals(frame, ("名次", "名次"), "t")
    assert list(fig.data[0].x) == ["乙", "甲"] and list(fig.data[0].y) == [1, 2]
    assert list(fig.data[0].error_y.array) == [1, 2]
    assert list(fig.data[0].error_y.arrayminus) == [0, 1]
    assert tuple(fig.layout.yaxis.range) == (4.5, 0.5)  # the widest interval's rank 4 shown
    bars = charts.star_stability(frame, ("星", "旗"), "t")
    assert list(bars.data[0].y) == [1.0, 0.5] and list(bars.data[1].y) == [0.9, 0.25]


def test_the_budget_gauge_reads_in_wan_yuan_not_si_suffixes():
    fig = charts.budget_gauge(11_994_400.0, 12_000_000.0, "预算", "zh")
    axis = fig.data[0].gauge.axis
    assert list(axis.ticktext) == ["0", "300万", "600万", "900万", "1,200万"]
    english = charts.budget_gauge(11_994_400.0, 12_000_000.0, "budget", "en").data[0].gauge.axis
    assert english.ticktext[-1] == "12,000,000"
