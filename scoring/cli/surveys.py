"""``starscore survey``: a campaign's residents' surveys, per unit and period (respondents,
value, 95 % interval, whether the minimum is met), optionally with a bootstrap over
respondents; and the lines the import prints about them."""

from __future__ import annotations

import argparse
from collections.abc import Callable
from typing import Any

from scoring.cli.support import h, out, print_frame, scored
from scoring.core.i18n import t

Add = Callable[[str, Callable[[argparse.Namespace], int], str], argparse.ArgumentParser]


def survey_lines(data: Any, lang: str) -> list[str]:
    """What an import says about its surveys: per surveyed indicator, how many (unit, period)
    have a value, respondents and excluded rows; each cell below the minimum with its count."""
    lines = []
    rules = data.rules
    for survey in rules.surveys:
        cells = [c for c in data.survey_cells if c.indicator_id == survey.indicator]
        if not cells:
            continue
        name = rules.indicator(survey.indicator).name
        lines.append(
            t(
                "cli.survey",
                lang,
                name=name,
                cells=sum(c.value is not None for c in cells),
                respondents=sum(c.respondents for c in cells),
                excluded=sum(c.excluded_rows for c in cells),
            )
        )
        for c in cells:
            if c.value is None:
                lines.append(
                    t(
                        "cli.survey_short",
                        lang,
                        unit=c.unit_id,
                        period=c.period,
                        n=c.respondents,
                        min=survey.min_responses,
                    )
                )
    return lines


def cmd_survey(args: argparse.Namespace) -> int:
    from scoring.analysis.surveys import bootstrap, survey_results

    camp, run = scored(args)
    con = camp.con
    import polars as pl

    results = survey_results(camp, args.unit).with_columns(
        pl.when(pl.col("enough"))
        .then(pl.lit(t("survey.enough", args.lang)))
        .otherwise(pl.lit(t("survey.short", args.lang)))
        .alias("enough")
    )
    print_frame(results, args.lang)
    if args.bootstrap:
        out(t("cli.survey_bootstrap", args.lang, draws=args.bootstrap))
        print_frame(bootstrap(camp, run, args.bootstrap, args.seed), args.lang)
    con.close()
    return 0


def register_surveys(add: Add) -> None:
    p = add(
        "survey",
        cmd_survey,
        h("help.show_a_campaign_s_residents"),
    )
    p.add_argument("--campaign", required=True)
    p.add_argument("--unit", help=h("help.only_this_unit"))
    p.add_argument(
        "--bootstrap",
        type=int,
        metavar="DRAWS",
        help=h("help.also_resample_respondents_this_many"),
    )
    p.add_argument("--seed", type=int, default=1)
