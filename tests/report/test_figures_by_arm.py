"""The figures of a controlled trial: what they draw (the input numbers), their checks, and labels that never overlap.

The inputs are small hand-written frames; every expected number is the input itself (times 100 where the
figure plots percent) or a hand calculation written next to it.
"""

import numpy as np
import pandas as pd
import pytest

from axspa.errors import InputError
from axspa.report import arm_mean_plot, forest_plot, response_rate_plot

from .figure_checks import drawn_texts, errorbar_segments, text_collisions

ARMS = {"PBO": "Placebo", "ACT": "Thalidomide 200 mg"}


def summary_frame() -> pd.DataFrame:
    """Mean BASDAI and SD by arm at weeks 0, 4, 12; the active arm first in the frame (the mapping decides)."""
    return pd.DataFrame(
        {
            "arm": ["ACT", "ACT", "ACT", "PBO", "PBO", "PBO"],
            "week": [0, 4, 12, 0, 4, 12],
            "mean": [6.2, 4.9, 3.6, 6.0, 5.8, 5.5],
            "spread": [1.4, 1.8, 2.0, 1.5, 1.6, 1.9],
            "n": [41, 39, 36, 40, 38, 35],
        }
    )


def rates_frame() -> pd.DataFrame:
    """ASAS20 responders by arm at weeks 4 and 12 (7/34 and 1/34 are Fagerland et al.'s example)."""
    return pd.DataFrame(
        {
            "arm": ["PBO", "PBO", "ACT", "ACT"],
            "week": [4, 12, 4, 12],
            "rate": [2 / 34, 1 / 34, 5 / 34, 7 / 34],
            "low": [0.016, 0.005, 0.064, 0.104],
            "high": [0.191, 0.149, 0.303, 0.370],
            "responders": [2, 1, 5, 7],
            "n": [34, 34, 34, 34],
        }
    )


def forest_frame() -> pd.DataFrame:
    """Differences in response rate, active minus placebo. ASAS20: Fagerland, Lydersen and Laake (2015),
    7/34 vs 1/34, difference 6/34 = 0.1765, Newcombe hybrid score interval 0.019 to 0.34."""
    return pd.DataFrame(
        {
            "label": ["ASAS20", "ASAS40", "ASAS 5/6", "ASAS partial remission", "BASDAI50"],
            "estimate": [6 / 34, -0.052, 0.0, 0.03, np.nan],
            "low": [0.019, -0.201, -0.10, np.nan, np.nan],
            "high": [0.34, 0.098, 0.10, np.nan, np.nan],
        }
    )


def drawn_bars(container):
    """The error bar segments that are drawn (matplotlib leaves a missing bar out or makes it empty)."""
    _, _, (bars,) = container.lines
    return [np.asarray(s) for s in bars.get_segments() if len(s) and np.isfinite(np.asarray(s)).all()]


# --- arm_mean_plot -------------------------------------------------------------------------------------------


def test_arm_mean_plot_draws_each_arm_in_mapping_order():
    ax = arm_mean_plot(summary_frame(), arm_labels=ARMS, ylabel="BASDAI (0-10)", title="Full analysis set")
    assert len(ax.containers) == 2
    pbo, act = (c.lines[0] for c in ax.containers)
    np.testing.assert_allclose(pbo.get_ydata(), [6.0, 5.8, 5.5])
    np.testing.assert_allclose(act.get_ydata(), [6.2, 4.9, 3.6])
    # Dodge: 2% of the span of the visits (12 weeks) between the two arms, so -0.12 and +0.12 weeks
    # (half the smallest gap, 4 weeks, shared by two arms, is 1 week: not the limit here).
    np.testing.assert_allclose(pbo.get_xdata(), [-0.12, 3.88, 11.88])
    np.testing.assert_allclose(act.get_xdata(), [0.12, 4.12, 12.12])
    segs = errorbar_segments(ax.containers[0])
    assert len(segs) == 3
    for (x, lo, hi), w, m, sd in zip(segs, [0, 4, 12], [6.0, 5.8, 5.5], [1.5, 1.6, 1.9], strict=True):
        assert x == pytest.approx(w - 0.12) and lo == pytest.approx(m - sd) and hi == pytest.approx(m + sd)
    assert [t.get_text() for t in ax.get_legend().get_texts()] == ["Placebo", "Thalidomide 200 mg"]
    assert ax.get_ylabel() == "BASDAI (0-10), mean ± SD"
    assert ax.get_title() == "Full analysis set"
    # greyscale: markers and line styles differ, not only colours
    assert pbo.get_marker() != act.get_marker() and pbo.get_linestyle() != act.get_linestyle()


def test_arm_mean_plot_writes_n_per_arm_and_visit_under_the_axis():
    ax = arm_mean_plot(summary_frame(), arm_labels=ARMS)
    n_texts = [t for t in ax.texts if t.get_gid() == "n"]
    assert [t.get_text() for t in n_texts] == ["40", "38", "35", "41", "39", "36"]
    assert [t.get_position()[0] for t in n_texts] == [0, 4, 12, 0, 4, 12]  # at the visits, not dodged
    assert [t.get_text() for t in ax.texts if t.get_gid() is None] == ["n", "Placebo", "Thalidomide 200 mg"]
    fig = ax.get_figure(root=True)
    boxes = dict(drawn_texts(fig))
    bottom = ax.xaxis.get_tightbbox(fig.canvas.get_renderer()).y0
    assert all(boxes[t].y1 < bottom for t in n_texts)
    # one row per arm: the placebo row above the active row
    assert boxes[n_texts[0]].y0 > boxes[n_texts[3]].y1
    assert ax.get_ylabel() == "Mean ± SD"
    assert not [t for t in arm_mean_plot(summary_frame(), arm_labels=ARMS, annotate_n=False).texts]


def test_arm_mean_plot_states_se_and_leaves_missing_means_out():
    frame = summary_frame()
    frame.loc[1, ["mean", "spread"]] = np.nan  # active arm, week 4: nobody assessed the mean
    ax = arm_mean_plot(frame, arm_labels={"PBO": "Placebo", "ACT": "Active", "LOW": "Low dose"}, spread="SE")
    assert ax.get_ylabel() == "Mean ± SE"
    assert len(ax.containers) == 2  # the low-dose arm has no rows: not drawn
    np.testing.assert_allclose(ax.containers[1].lines[0].get_ydata(), [6.2, 3.6])
    assert [t.get_text() for t in ax.texts if t.get_gid() == "n"][3:] == ["41", "39", "36"]


def test_arm_mean_plot_draws_on_given_axes():
    from matplotlib.figure import Figure

    ax = Figure().add_subplot()
    assert arm_mean_plot(summary_frame(), arm_labels=ARMS, ax=ax) is ax


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (lambda f: f.drop(columns="spread"), "no column 'spread'"),
        (lambda f: f.assign(mean=["6.2", "4.9", "3.6", "6.0", "5.8", "5.5"]), "column 'mean' must be numeric"),
        (lambda f: f.assign(n=[41, 39, 36, 40, 38, 35.5]), "column 'n' must be a whole number"),
        (lambda f: f.assign(n=[41, 39, 36, 40, 38, None]), "column 'n' is missing"),
        (lambda f: f.assign(spread=[1.4, 1.8, -2.0, 1.5, 1.6, 1.9]), "column 'spread' must be >= 0"),
        (lambda f: f.assign(arm=["ACT", "ACT", "ACT", "PBO", "PBO", "XYZ"]), "arm 'XYZ' in column 'arm'"),
        (lambda f: f.assign(week=[0, 4, 4, 0, 4, 12]), "arm 'ACT' has more than one row for week 4"),
        (lambda f: f.assign(week=[0, 4, None, 0, 4, 12]), "column 'week' is missing"),
        (lambda f: f.iloc[0:0], "no rows"),
    ],
)
def test_arm_mean_plot_rejects_bad_input(change, message):
    with pytest.raises(InputError, match=message):
        arm_mean_plot(change(summary_frame()), arm_labels=ARMS)


def test_arm_mean_plot_rejects_bad_arguments():
    with pytest.raises(InputError, match="spread must be one of 'SD', 'SE'"):
        arm_mean_plot(summary_frame(), arm_labels=ARMS, spread="CI")  # type: ignore[arg-type]
    with pytest.raises(InputError, match="arm_labels must be a non-empty mapping"):
        arm_mean_plot(summary_frame(), arm_labels={})
    with pytest.raises(InputError, match="summary must be a pandas DataFrame"):
        arm_mean_plot(summary_frame().to_dict(), arm_labels=ARMS)  # type: ignore[arg-type]


# --- response_rate_plot --------------------------------------------------------------------------------------


def test_response_rate_plot_in_percent_with_intervals_and_counts():
    ax = response_rate_plot(rates_frame(), arm_labels=ARMS, ylabel="ASAS20 responders, %", title="NRI; Wilson")
    pbo, act = ax.containers
    # 2/34 = 5.882%, 1/34 = 2.941%, 5/34 = 14.706%, 7/34 = 20.588%
    np.testing.assert_allclose(pbo.lines[0].get_ydata(), [5.882353, 2.941176], rtol=1e-6)
    np.testing.assert_allclose(act.lines[0].get_ydata(), [14.705882, 20.588235], rtol=1e-6)
    segs = errorbar_segments(act)
    assert [(lo, hi) for _, lo, hi in segs] == [pytest.approx((6.4, 30.3)), pytest.approx((10.4, 37.0))]
    assert [t.get_text() for t in ax.get_legend().get_texts()] == ["Placebo", "Thalidomide 200 mg"]
    assert [t.get_text() for t in ax.texts if t.get_gid() == "n"] == ["2/34", "1/34", "5/34", "7/34"]
    assert [t.get_text() for t in ax.texts if t.get_gid() is None] == ["Responders/n", "Placebo", "Thalidomide 200 mg"]
    assert ax.get_ylabel() == "ASAS20 responders, %" and ax.get_title() == "NRI; Wilson"


def test_response_rate_plot_without_counts_and_with_missing_limits():
    frame = rates_frame().drop(columns=["responders", "n"])
    frame.loc[0, ["low", "high"]] = np.nan
    ax = response_rate_plot(frame, arm_labels=ARMS)
    assert not ax.texts
    assert ax.get_ylabel() == "Responders, %"
    assert len(drawn_bars(ax.containers[0])) == 1  # week 4 of placebo has no interval: no bar
    only_n = rates_frame().drop(columns=["responders"])
    assert [t.get_text() for t in response_rate_plot(only_n, arm_labels=ARMS).texts if t.get_gid() == "n"] == ["34"] * 4


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (lambda f: f.drop(columns="high"), "no column 'high'"),
        (lambda f: f.assign(rate=[0.06, 0.03, 14.7, 0.21]), "column 'rate' must be a proportion in \\[0, 1\\]"),
        (lambda f: f.assign(low=[0.016, 0.005, 0.2, 0.104]), "need low <= rate <= high"),
        (lambda f: f.assign(responders=[2, 1, 5, 35]), "column 'responders' exceeds column 'n'"),
        (lambda f: f.assign(low=["a", "b", "c", "d"]), "column 'low' must be numeric"),
        (lambda f: f.assign(arm=["PBO", "PBO", "ACT", "act"]), "arm 'act' in column 'arm' is not in arm_labels"),
    ],
)
def test_response_rate_plot_rejects_bad_input(change, message):
    with pytest.raises(InputError, match=message):
        response_rate_plot(change(rates_frame()), arm_labels=ARMS)


# --- forest_plot ---------------------------------------------------------------------------------------------


def test_forest_plot_rows_top_to_bottom_with_their_texts():
    ax = forest_plot(forest_frame(), favours=("placebo", "active"), title="Newcombe hybrid score 95% CI")
    (bars,) = ax.containers
    line = bars.lines[0]
    np.testing.assert_allclose(line.get_xdata(), [600 / 34, -5.2, 0.0, 3.0, np.nan])
    np.testing.assert_allclose(line.get_ydata(), [4, 3, 2, 1, 0])  # the first row at the top
    assert [t.get_text() for t in ax.get_yticklabels()] == [
        "ASAS20",
        "ASAS40",
        "ASAS 5/6",
        "ASAS partial remission",
        "BASDAI50",
    ]
    assert [t.get_text() for t in ax.texts if t.get_gid() == "estimate"] == [
        "17.6 (1.9 to 34.0)",  # 600/34 = 17.647 -> 17.6; the published interval 0.019 to 0.34
        "-5.2 (-20.1 to 9.8)",
        "0.0 (-10.0 to 10.0)",
        "3.0 (interval not estimable)",
        "not estimable",
    ]
    spans = [tuple(s[:, 0]) for s in drawn_bars(bars)]
    assert spans == [pytest.approx((1.9, 34.0)), pytest.approx((-20.1, 9.8)), pytest.approx((-10.0, 10.0))]
    null = next(line for line in ax.lines if line.get_gid() == "null")
    assert list(null.get_xdata()) == [0.0, 0.0]
    assert ax.get_xlabel() == "Difference in response rate (percentage points)"
    assert ax.get_title() == "Newcombe hybrid score 95% CI"


def test_forest_plot_favours_labels_sit_on_each_side_of_the_null():
    ax = forest_plot(forest_frame(), favours=("placebo", "active"))
    left, right = (t for t in ax.texts if t.get_gid() == "favours")
    assert (left.get_text(), right.get_text()) == ("\u2190 Favours placebo", "Favours active \u2192")
    fig = ax.get_figure(root=True)
    boxes = dict(drawn_texts(fig))
    null_px = ax.transData.transform((0.0, 0.0))[0]
    assert boxes[left].x1 < null_px < boxes[right].x0
    assert max(boxes[left].y1, boxes[right].y1) < ax.xaxis.get_tightbbox(fig.canvas.get_renderer()).y0


def test_forest_plot_ratios_and_own_texts():
    rows = pd.DataFrame(
        {
            "label": ["ASAS20", "ASAS40"],
            "estimate": [1.5, 0.8],
            "low": [0.8, 0.31],
            "high": [2.814, 2.06],
            "text": [None, "8/34 vs 10/34"],
        }
    )
    ax = forest_plot(rows, null=1.0, xlabel="Risk ratio", percent=False)
    np.testing.assert_allclose(ax.containers[0].lines[0].get_xdata(), [1.5, 0.8])
    assert [t.get_text() for t in ax.texts if t.get_gid() == "estimate"] == ["1.50 (0.80 to 2.81)", "8/34 vs 10/34"]
    assert ax.get_xlabel() == "Risk ratio"
    assert list(next(line for line in ax.lines if line.get_gid() == "null").get_xdata()) == [1.0, 1.0]


@pytest.mark.parametrize(
    ("change", "kwargs", "message"),
    [
        (lambda f: f.drop(columns="low"), {}, "no column 'low'"),
        (lambda f: f.assign(estimate=[0.5, -0.052, 0.0, 0.03, np.nan]), {}, "need low <= estimate <= high"),
        (lambda f: f.assign(low=[0.019, -0.201, -0.10, np.nan, 0.1]), {}, "an interval is given without its estimate"),
        (lambda f: f.assign(label=["ASAS20", "ASAS40", None, "PR", "B50"]), {}, "column 'label' must be text"),
        (lambda f: f.assign(high=["0.34", "0.1", "0.1", None, None]), {}, "column 'high' must be numeric"),
        (lambda f: f, {"favours": ("placebo",)}, "favours must be a pair of strings"),
        (lambda f: f, {"null": float("nan")}, "null must be a finite number"),
    ],
)
def test_forest_plot_rejects_bad_input(change, kwargs, message):
    with pytest.raises(InputError, match=message):
        forest_plot(change(forest_frame()), **kwargs)


# --- no two labels overlap -----------------------------------------------------------------------------------


def crowded_summary() -> pd.DataFrame:
    """Three arms at weekly visits 0-4 and then 8, 12, 24: the n labels cannot all stand on one line."""
    weeks = [0, 1, 2, 3, 4, 8, 12, 24]
    arms = ["PBO", "LOW", "HIGH"]
    return pd.DataFrame(
        {
            "arm": [a for a in arms for _ in weeks],
            "week": weeks * 3,
            "mean": [6.0 - 0.05 * k * w for k in range(3) for w in weeks],
            "spread": [1.5] * 24,
            "n": [1000 - 10 * i for i in range(24)],
        }
    )


@pytest.mark.parametrize("small", [False, True])
def test_by_arm_figures_have_no_overlapping_labels(small):
    from matplotlib.figure import Figure

    def axes(size):  # the default figure, or a small one (a forest plot needs width for its labels and texts)
        return Figure(figsize=size, layout="constrained").add_subplot() if small else None

    three = {"PBO": "Placebo", "LOW": "Thalidomide 100 mg", "HIGH": "Thalidomide 200 mg"}
    figures = [
        arm_mean_plot(summary_frame(), arm_labels=ARMS, ylabel="BASDAI (0-10)", ax=axes((3.2, 2.8))),
        arm_mean_plot(crowded_summary(), arm_labels=three, spread="SE", ax=axes((3.2, 2.8))),
        response_rate_plot(rates_frame(), arm_labels=ARMS, ax=axes((3.2, 2.8))),
        forest_plot(forest_frame(), favours=("placebo", "thalidomide"), ax=axes((5.5, 2.4))),
    ]
    for ax in figures:
        overlaps, outside = text_collisions(ax.get_figure(root=True))
        assert overlaps == [] and outside == [], ax.get_ylabel()


def test_crowded_n_labels_go_on_further_lines_of_their_row():
    ax = arm_mean_plot(crowded_summary(), arm_labels={"PBO": "Placebo", "LOW": "Low", "HIGH": "High"})
    fig = ax.get_figure(root=True)
    fig.set_size_inches(3.2, 2.8)
    boxes = dict(drawn_texts(fig))
    first_row = [t for t in ax.texts if t.get_gid() == "n"][:8]
    tops = {round(boxes[t].y1, 3) for t in first_row}
    assert len(tops) >= 2  # weekly visits 1 week apart: four-digit counts do not fit side by side
    later_rows = [t for t in ax.texts if t.get_gid() == "n"][8:]
    assert max(boxes[t].y1 for t in later_rows) < min(boxes[t].y0 for t in first_row)
