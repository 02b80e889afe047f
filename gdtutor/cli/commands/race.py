"""``gdtutor race``: the lesson 8 race, headless: a row per size as it is measured, then what the rows
say (or one JSON document at the end)."""

from __future__ import annotations

import click

from ...engine.params import DEFAULT_PRECISION
from ...numbers import setting
from ..output import write_json
from ..parsing import Command, common, given, option, words


@click.command("race", cls=Command, words="race")
@common
@option("--json", help="race_json", is_flag=True)
@click.pass_context
def command(ctx: click.Context, json: bool) -> int:
    from ...engine.params import RACE_FEATURES, RACE_SAMPLES_PER_FEATURE
    from ...engine.regression import POWER_ROUNDS, RACE_SEED, RaceRow, RaceSummary, race
    from ...plaintext import cells, liner
    from ...telling import race_lines, race_winner

    out, lang = given(ctx).out, given(ctx).lang
    rows: list[RaceRow] = []
    if json:
        rows.extend(race(RACE_FEATURES, RACE_SAMPLES_PER_FEATURE))
        write_json(out, RaceSummary.of(rows).to_dict())
        return 0
    intro = words(
        ctx,
        "race_intro",
        per=RACE_SAMPLES_PER_FEATURE,
        seed=RACE_SEED,
        rounds=POWER_ROUNDS,
        precision=setting(DEFAULT_PRECISION),
    )
    out.write(intro + "\n\n")
    names = words(ctx, "race_columns").split("|") + words(ctx, "race_check_columns").split("|")
    widest = max(
        len(f"{max(RACE_FEATURES) * RACE_SAMPLES_PER_FEATURE:,}"),
        *(cells(race_winner(w, lang)) for w in ("normal", "gd")),
    )
    widths = [max(cells(name), widest) for name in names]
    line = liner(widths)  # the widths known before the first row, printed as each row comes

    out.write(line(names) + "\n" + line(["-" * w for w in widths]) + "\n")
    out.flush()
    for row in race(RACE_FEATURES, RACE_SAMPLES_PER_FEATURE):
        rows.append(row)
        values = [
            f"{row.features:,}",
            f"{row.samples:,}",
            f"{row.normal_seconds:.4f}",
            f"{row.gd_seconds:.4f}",
            str(row.gd_updates),
            race_winner(row.winner, lang),
            f"{row.normal_error:.1g}",
            f"{row.gd_error:.1g}",
        ]
        out.write(line(values) + "\n")
        out.flush()
    out.write("\n" + "\n".join(race_lines(RaceSummary.of(rows), lang)) + "\n")
    return 0
