"""Chart builders: pure functions from polars frames to plotly figures (no Streamlit)."""

from __future__ import annotations

from collections.abc import Iterator, Sequence

import plotly.graph_objects as go
import polars as pl

STAR_COLOURS = ["#9e9e9e", "#c0a062", "#d4a017", "#e08e0b", "#d9480f", "#c92a2a"]
RANK_COLOUR = "#c92a2a"  # the rank line, red against the blue score bars
FONT = dict(family="Microsoft YaHei, PingFang SC, Noto Sans CJK SC, WenQuanYi Micro Hei, sans-serif")


def _layout(fig: go.Figure, title: str, height: int = 420) -> go.Figure:
    """Title at the top left, the legend in one row above the plot on the right (below it,
    it would sit on the slanted unit and indicator names)."""
    fig.update_layout(
        title=dict(text=title, x=0, xanchor="left"),
        height=height,
        font=FONT,
        margin=dict(l=40, r=20, t=70, b=40),
        legend=dict(orientation="h", yanchor="bottom", y=1.0, xanchor="right", x=1),
    )
    return fig


def rank_axis(ranks: Sequence[int | None], title: str, **extra: object) -> dict[str, object]:
    """A rank axis: 1 on top, from 1 to the largest rank shown, ticked at 1 and at whole
    multiples of a round step (1, 2, 5, 10, 20, 50, …) giving at most about 7 ticks."""
    low = max([r for r in ranks if r is not None], default=1)
    step = next(s for s in _round_steps() if s * 7 >= low)
    ticks = sorted({1, *range(step, low + 1, step)})
    return dict(title=title, range=[low + 0.5, 0.5], tickmode="array", tickvals=ticks, **extra)


def _round_steps() -> Iterator[int]:
    """1, 2, 5, 10, 20, 50, 100, …"""
    scale = 1
    while True:
        yield from (scale, 2 * scale, 5 * scale)
        scale *= 10


def score_bars(
    board: pl.DataFrame,
    thresholds: Sequence[tuple[int, float]],
    title: str,
    threshold_label: str = "{stars}★ {score}",
) -> go.Figure:
    """Scores of a leaderboard as bars coloured by stars (a vetoed unit's bar hatched), with
    the star thresholds as lines labelled in the right margin, clear of the bars."""
    rows = board.filter(pl.col("score").is_not_null())
    colours = [STAR_COLOURS[min(int(s or 0), 5)] for s in rows["stars"].to_list()]
    vetoed = rows["vetoed"].to_list() if "vetoed" in rows.columns else [False] * rows.height
    fig = go.Figure(
        go.Bar(
            x=rows["unit_name"].to_list(),
            y=[float(s) for s in rows["score"].to_list()],
            marker=dict(color=colours, pattern_shape=["x" if v else "" for v in vetoed]),
            text=["★" * int(s or 0) for s in rows["stars"].to_list()],
            textposition="none",  # the stars show on hover; inside narrow bars they stand on end
            hovertemplate="%{x}<br>%{y}<br>%{text}<extra></extra>",
        )
    )
    # each threshold: a dashed line across the plot and its label just right of it (what
    # fig.add_hline draws, written out: add_hline takes 6-10 ms a line to work out the same)
    at = [
        (float(score), STAR_COLOURS[min(stars, 5)], threshold_label.format(stars=stars, score=score))
        for stars, score in thresholds
    ]
    fig.update_layout(
        shapes=[
            dict(
                type="line",
                xref="x domain",
                x0=0,
                x1=1,
                yref="y",
                y0=y,
                y1=y,
                line=dict(color=c, dash="dash"),
            )
            for y, c, _ in at
        ],
        annotations=[
            dict(
                xref="x domain",
                x=1,
                xanchor="left",
                yref="y",
                y=y,
                yanchor="middle",
                showarrow=False,
                text=label,
                font=dict(color=c),
            )
            for y, c, label in at
        ],
    )
    fig.update_xaxes(tickangle=-60)
    _layout(fig, title)
    fig.update_layout(margin=dict(r=90 if thresholds else 20))
    return fig


def score_distribution(spread: pl.DataFrame, category_names: dict[str, str], title: str) -> go.Figure:
    """Box plot of annual scores per category, from quartiles computed in the database (a
    province's hundreds of thousands of scores never travel to the browser)."""
    fig = go.Figure()
    for cat, name in category_names.items():
        rows = spread.filter(pl.col("category") == cat)
        if rows.height == 0:
            continue
        r = rows.row(0, named=True)
        fig.add_trace(
            go.Box(
                name=f"{name} ({r['units']})",
                q1=[r["q1"]],
                median=[r["median"]],
                q3=[r["q3"]],
                lowerfence=[r["lo"]],
                upperfence=[r["hi"]],
                x=[f"{name} ({r['units']})"],
            )
        )
    return _layout(fig, title, 380)


def indicator_compare(points: pl.DataFrame, names: tuple[str, str, str], title: str) -> go.Figure:
    """A unit's points per indicator beside its category's average and best."""
    x = points["indicator"].to_list()
    fig = go.Figure(
        [
            go.Bar(name=names[0], x=x, y=points["points"].to_list()),
            go.Bar(name=names[1], x=x, y=points["category_avg"].to_list()),
            go.Bar(name=names[2], x=x, y=points["category_best"].to_list()),
        ]
    )
    fig.update_layout(barmode="group")
    fig.update_xaxes(tickangle=-45)
    return _layout(fig, title, 460)


def area_compare(points: pl.DataFrame, names: tuple[str, str, str], title: str) -> go.Figure:
    """Points summed by area (display group): the unit, its category's average and best."""
    by_area = points.group_by("area", maintain_order=True).agg(
        pl.col("points").sum(), pl.col("category_avg").sum(), pl.col("category_best").sum()
    )
    cats = by_area["area"].to_list()
    fig = go.Figure(
        [
            go.Scatterpolar(r=by_area[col].to_list(), theta=cats, fill="toself", name=name)
            for col, name in zip(("points", "category_avg", "category_best"), names, strict=True)
        ]
    )
    _layout(fig, title, 440)
    # below the radar: above it, the legend would cover the topmost area's name
    fig.update_layout(legend=dict(yanchor="top", y=-0.08, xanchor="center", x=0.5))
    return fig


def trend(frame: pl.DataFrame, names: tuple[str, str], title: str) -> go.Figure:
    """Score (bars) and rank (line, reversed axis: 1 on top) across periods."""
    periods = frame["period"].to_list()
    fig = go.Figure(
        [
            go.Bar(x=periods, y=[float(s) for s in frame["score"].to_list()], name=names[0], yaxis="y"),
            go.Scatter(
                x=periods,
                y=frame["rank"].to_list(),
                name=names[1],
                yaxis="y2",
                mode="lines+markers+text",
                text=frame["rank"].to_list(),
                textposition="top center",
                line=dict(color=RANK_COLOUR),
                textfont=dict(color=RANK_COLOUR),
            ),
        ]
    )
    fig.update_layout(
        yaxis=dict(title=names[0]),
        yaxis2=rank_axis(frame["rank"].to_list(), names[1], overlaying="y", side="right", showgrid=False),
    )
    return _layout(fig, title, 380)


def yuan_tick(value: float, lang: str = "zh") -> str:
    """An axis label in yuan as the reader counts: 万元 in Chinese (1,200万), full yuan in
    English (12,000,000) — never an SI suffix such as "1.4M"."""
    if lang == "zh":
        return f"{value / 10_000:,.0f}万" if value >= 10_000 else f"{value:,.0f}"
    return f"{value:,.0f}"


def budget_gauge(total: float, budget: float | None, title: str, lang: str = "zh") -> go.Figure:
    """How much of the budget the final payouts use."""
    top = budget if budget else max(total, 1.0)
    ticks = [top * k / 4 for k in range(5)]
    fig = go.Figure(
        go.Indicator(
            mode="gauge+number+delta" if budget else "gauge+number",
            value=total,
            number={"valueformat": ",.0f"},
            delta={"reference": budget, "valueformat": ",.0f"} if budget else None,
            gauge={
                "axis": {
                    "range": [0, top * 1.05],
                    "tickvals": ticks,
                    "ticktext": [yuan_tick(v, lang) for v in ticks],
                },
                "threshold": {"line": {"color": "red", "width": 3}, "value": top},
            },
        )
    )
    return _layout(fig, title, 300)


def rank_intervals(frame: pl.DataFrame, names: tuple[str, str], title: str) -> go.Figure:
    """Each unit's actual rank with its 5th–95th percentile interval under perturbation."""
    rows = frame.filter(pl.col("rank").is_not_null()).sort("rank")
    ranks = rows["rank"].to_list()
    fig = go.Figure(
        [
            go.Scatter(
                x=rows["unit_name"].to_list(),
                y=ranks,
                mode="markers",
                name=names[0],
                error_y=dict(
                    type="data",
                    symmetric=False,
                    array=[hi - r for hi, r in zip(rows["rank_p95"].to_list(), ranks, strict=True)],
                    arrayminus=[r - lo for lo, r in zip(rows["rank_p05"].to_list(), ranks, strict=True)],
                ),
            ),
        ]
    )
    fig.update_layout(yaxis=rank_axis(rows["rank_p95"].to_list() + ranks, names[1]))
    fig.update_xaxes(tickangle=-60)
    return _layout(fig, title, 460)


def star_stability(frame: pl.DataFrame, names: tuple[str, str], title: str) -> go.Figure:
    """Probability of keeping the star level and the flags, per unit."""
    rows = frame.filter(pl.col("rank").is_not_null()).sort("rank")
    x = rows["unit_name"].to_list()
    fig = go.Figure(
        [
            go.Bar(name=names[0], x=x, y=rows["p_keep_stars"].to_list()),
            go.Bar(name=names[1], x=x, y=rows["p_keep_flags"].to_list()),
        ]
    )
    fig.update_layout(barmode="group")
    fig.update_yaxes(range=[0, 1.05], tickformat=".0%")
    fig.update_xaxes(tickangle=-60)
    return _layout(fig, title, 420)


def trend_across(frame: pl.DataFrame, names: tuple[str, str], title: str) -> go.Figure:
    """A unit's annual rank (line, 1 on top) and stars (bars) across campaigns."""
    x = [str(y or c) for y, c in zip(frame["year"].to_list(), frame["campaign_id"].to_list(), strict=True)]
    fig = go.Figure(
        [
            go.Bar(x=x, y=frame["stars"].to_list(), name=names[0], yaxis="y"),
            go.Scatter(
                x=x, y=frame["annual_rank"].to_list(), name=names[1], yaxis="y2", mode="lines+markers"
            ),
        ]
    )
    fig.update_layout(
        yaxis=dict(title=names[0], range=[0, 5.5]),
        yaxis2=rank_axis(
            frame["annual_rank"].to_list(), names[1], overlaying="y", side="right", showgrid=False
        ),
    )
    return _layout(fig, title, 360)


def answer_distribution(frame: pl.DataFrame, names: tuple[str, str], title: str) -> go.Figure:
    """How many residents gave each answer, item by item (stacked, one colour per answer)."""
    fig = go.Figure(
        [
            go.Bar(
                name=f"{names[1]} {answer:g}",
                x=rows["item"].to_list(),
                y=rows["count"].to_list(),
            )
            for (answer,), rows in frame.sort("answer").group_by("answer", maintain_order=True)
        ]
    )
    fig.update_layout(barmode="stack", legend_title_text=names[1])
    fig.update_yaxes(title_text=names[0])
    return _layout(fig, title, 380)
