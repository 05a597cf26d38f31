"""Each table's view is made from its tidy numbers alone: the same numbers give the same view, and a
changed number shows in the view."""

import pandas as pd

from axspa.analysis_sets import completers, standard_sets
from axspa.report.tables import (
    adverse_event_numbers,
    adverse_event_table,
    adverse_event_view,
    demographics_numbers,
    demographics_table,
    demographics_view,
    disposition_numbers,
    disposition_table,
    disposition_view,
    outcomes_numbers,
    outcomes_table,
    outcomes_view,
    response_numbers,
    response_table,
    response_view,
)

from .data import reference_like_patients, reference_like_scored, toy_adverse_events, toy_patients


def changed(data: pd.DataFrame, value: float, **where: object) -> pd.DataFrame:
    data = data.copy()
    mask = pd.Series(True, index=data.index)
    for k, v in where.items():
        mask &= data[k] == v
    assert mask.sum() == 1
    data.loc[mask, "value"] = value
    return data


def test_demographics():
    p = toy_patients()
    sets = standard_sets(p)
    t = demographics_table(p, sets["enrolled"])
    numbers = demographics_numbers(p, sets["enrolled"])
    pd.testing.assert_frame_equal(numbers, t.data)
    pd.testing.assert_frame_equal(demographics_view(numbers), t.view)
    # Ages 30, 41, 25, 52, 19: mean 33.4; set it to 40 and the view says 40.0
    view = demographics_view(changed(numbers, 40.0, variable="age_years", statistic="mean"))
    assert view.set_index("Characteristic").loc["Age (years), mean (range)", "Value"] == "40.0 (19.0 to 52.0)"


def test_disposition():
    p = reference_like_patients()
    sets = list(standard_sets(p).values())
    t = disposition_table(p, sets)
    numbers = disposition_numbers(p, sets)
    pd.testing.assert_frame_equal(numbers, t.data)
    labels = {s.name: s.label for s in sets}
    pd.testing.assert_frame_equal(disposition_view(numbers, labels), t.view)
    view = disposition_view(changed(numbers, 4, variable="completed", statistic="count"), labels)
    assert view.set_index("Patients").loc["Completed", "n (%)"] == "4 (30.8%)"  # 4 / 13


def test_responses():
    p, s = reference_like_patients(), reference_like_scored()
    sets = list(standard_sets(p).values())
    t = response_table(s, sets, week=24)
    numbers = response_numbers(s, sets, week=24)
    pd.testing.assert_frame_equal(numbers, t.data)
    sizes = {x.label: x.n for x in sets}
    pd.testing.assert_frame_equal(response_view(numbers, sizes), t.view)
    view = response_view(changed(numbers, 0.5, variable="asas20", population="Completers", statistic="ci_low"), sizes)
    assert view.iloc[0]["Clopper-Pearson exact 95% CI"].startswith("50.0 to")


def test_outcomes():
    p, s = reference_like_patients(), reference_like_scored()
    t = outcomes_table(s, completers(p))
    numbers = outcomes_numbers(s, completers(p))
    pd.testing.assert_frame_equal(numbers, t.data)
    pd.testing.assert_frame_equal(outcomes_view(numbers), t.view)
    where = {"week": 24.0, "level": "paired", "statistic": "pvalue"}
    first = numbers.loc[numbers["statistic"] == "pvalue", "variable"].iloc[0]
    view = outcomes_view(changed(numbers, 0.5, variable=first, **where))
    assert "0.5000" in view["p"].tolist()


def test_adverse_events():
    p = toy_patients()
    enrolled = standard_sets(p)["enrolled"]
    t = adverse_event_table(toy_adverse_events(), enrolled)
    numbers = adverse_event_numbers(toy_adverse_events(), enrolled)
    pd.testing.assert_frame_equal(numbers, t.data)
    pd.testing.assert_frame_equal(adverse_event_view(numbers), t.view)
    view = adverse_event_view(changed(numbers, 99, variable="any", statistic="events"))
    assert view.iloc[0]["Events"] == "99"
