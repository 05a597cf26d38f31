"""The plotted numbers of the figures, pinned against the same hand values as the tables."""

import math

import numpy as np
import pytest

from axspa.analysis_sets import completers, standard_sets
from axspa.errors import InputError
from axspa.report.figures import mean_sd_plot, responder_plot, spaghetti_plot
from axspa.report.tables import outcomes_table, response_table

from .data import reference_like_patients, reference_like_scored, toy_patients, toy_scored
from .figure_checks import drawn_texts, errorbar_segments, text_collisions


def test_mean_sd_plot_values_n_and_p():
    p, s = toy_patients(), toy_scored()
    t = outcomes_table(s, completers(p), measures=["basdai", "esr_mm_h"])
    ax = mean_sd_plot(t, "basdai")
    (line,) = ax.lines[:1]
    # Completers' BASDAI by visit (hand): week 0: 6 ± 2 (n 3); week 4: 4.75 ± 0.5/sqrt(2) (n 2);
    # week 12: 10/3 ± sqrt(21/9) (n 3).
    np.testing.assert_allclose(line.get_xdata(), [0, 4, 12])
    np.testing.assert_allclose(line.get_ydata(), [6.0, 4.75, 10 / 3])
    sds = [2.0, 0.5 / math.sqrt(2), math.sqrt(21 / 9)]
    segs = errorbar_segments(ax.containers[0])
    for (x, lo, hi), w, m, sd in zip(segs, [0, 4, 12], [6.0, 4.75, 10 / 3], sds, strict=True):
        assert x == w and lo == pytest.approx(m - sd) and hi == pytest.approx(m + sd)
    texts = [a.get_text() for a in ax.texts]
    assert [t for t in texts if t.startswith("n=")] == ["n=3", "n=2", "n=3"]
    # p of week 4 (1.0) and week 12 (0.25) against baseline: R exact conditional
    assert [t for t in texts if t.startswith("p=")] == ["p=1.0000", "p=0.2500"]
    assert ax.get_title() == (
        "Completers (n = 3); Observed cases\np: Wilcoxon signed-rank, exact, zeros dropped, two-sided"
    )


def test_mean_sd_plot_several_measures_share_axes():
    p, s = toy_patients(), toy_scored()
    t = outcomes_table(s, completers(p), measures=["basdai", "esr_mm_h"])
    ax = mean_sd_plot(t, ["basdai", "esr_mm_h"], annotate_n=False, annotate_p=False)
    assert len(ax.containers) == 2
    # ESR completers week 0: 40, 30, 50 -> 40; week 4: 30, 30 -> 30; week 12: 20, 25, 40 -> 85/3
    esr = ax.containers[1].lines[0]
    np.testing.assert_allclose(esr.get_ydata(), [40.0, 30.0, 85 / 3])
    assert not ax.texts
    assert [t.get_text() for t in ax.get_legend().get_texts()] == ["BASDAI (0-10)", "ESR (mm/h)"]
    with pytest.raises(InputError, match="no measure"):
        mean_sd_plot(t, "basfi")
    with pytest.raises(InputError, match="outcomes"):
        mean_sd_plot(response_table(s, [completers(p)], week=12, responses=["asas20"]), "basdai")


def test_mean_sd_plot_draws_on_given_axes():
    from matplotlib.figure import Figure

    p, s = toy_patients(), toy_scored()
    t = outcomes_table(s, completers(p), measures=["basdai"])
    ax = Figure().add_subplot()
    assert mean_sd_plot(t, "basdai", ax=ax) is ax


def test_spaghetti_one_line_per_patient_observed_only():
    p, s = toy_patients(), toy_scored()
    everyone = standard_sets(p)["enrolled"]
    ax = spaghetti_plot(s, "basdai", everyone)
    assert [line.get_label() for line in ax.lines] == ["A", "B", "C", "D", "E"]
    by = {line.get_label(): line for line in ax.lines}
    np.testing.assert_allclose(by["C"].get_xdata(), [0, 12])  # C missed week 4: no point there
    np.testing.assert_allclose(by["C"].get_ydata(), [8.0, 5.0])
    np.testing.assert_allclose(by["E"].get_ydata(), [7.0, 7.0])
    assert "no imputation" in ax.get_title()


def test_responder_plot_heights_and_ci():
    p, s = reference_like_patients(), reference_like_scored()
    sets = list(standard_sets(p).values())
    t = response_table(s, sets, week=24, responses=["asas20", "asas40"])
    ax = responder_plot(t)
    bars = [c for c in ax.containers if c.__class__.__name__ == "BarContainer"]
    assert len(bars) == 3  # one per population
    heights = [[r.get_height() for r in b] for b in bars]
    # ASAS20 8/8, 8/10, 8/13 and ASAS40 4/8, 4/10, 4/13, in percent
    np.testing.assert_allclose(heights, [[100, 50], [80, 40], [800 / 13, 400 / 13]])
    errs = [c for c in ax.containers if c.__class__.__name__ == "ErrorbarContainer"]
    # R binom.test(8, 10): 0.4439045377-0.9747892737
    lo_hi = errorbar_segments(errs[1])[0][1:]
    assert lo_hi == pytest.approx((44.39045377, 97.47892737), abs=1e-6)
    labels = [a.get_text() for a in ax.texts]
    assert labels == ["8/8", "4/8", "8/10", "4/10", "8/13", "4/13"]
    assert "Non-responder imputation" in ax.get_title() and "Clopper-Pearson" in ax.get_title()
    legend = [t.get_text() for t in ax.get_legend().get_texts()]
    assert legend == [
        "Completers (n = 8)",
        "Enrolled minus withdrawals for adverse events (n = 10)",
        "All enrolled (treated) (n = 13)",
    ]


@pytest.mark.slow
def test_importing_the_report_package_does_not_import_matplotlib():
    import subprocess
    import sys

    code = "import sys, axspa.report, axspa.analysis_sets, axspa.imputation; print('matplotlib' in sys.modules)"
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "False"


@pytest.fixture(scope="module")
def reference_figures():
    from axspa.report.pipeline import analyze
    from axspa.studies import thalidomide_2003

    return {f.name: f.figure for f in analyze(thalidomide_2003.load(), progress=False).report.figures}


@pytest.mark.parametrize("name", ["figure1_indices", "figure2_laboratory", "trajectories_basdai", "responders"])
def test_no_two_labels_of_the_reference_report_overlap(reference_figures, name):
    # Figure 1 puts BASDAI, BASFI and BAS-G on one axes: before, their p-values above the points and
    # their n below ran into each other (weeks 0, 2 and 4 are close); Figure 2's narrow panels worse.
    overlaps, outside = text_collisions(reference_figures[name])
    assert overlaps == [] and outside == []


def test_figure1_labels_are_under_the_axis_one_row_each(reference_figures):
    fig = reference_figures["figure1_indices"]
    ax = fig.axes[0]
    boxes = dict(drawn_texts(fig))
    n_texts = [t for t in ax.texts if t.get_gid() == "n"]
    p_texts = [t for t in ax.texts if t.get_gid() == "p"]
    # 8 visits x 3 measures; p at the 7 visits after baseline (the reference study's completers)
    assert len(n_texts) == 24 and len(p_texts) == 21
    axis_bottom = ax.xaxis.get_tightbbox(fig.canvas.get_renderer()).y0
    assert all(boxes[t].y1 < axis_bottom for t in n_texts + p_texts)
    assert [t.get_text() for t in ax.texts if t.get_gid() is None] == ["BASDAI (0-10)", "BASFI (0-10)", "BAS-G (0-10)"]


@pytest.mark.parametrize("size", [(6.4, 4.2), (3.0, 2.6)])
def test_mean_sd_plot_labels_do_not_overlap_on_any_axes(size):
    from matplotlib.figure import Figure

    p, s = toy_patients(), toy_scored()
    t = outcomes_table(s, standard_sets(p)["enrolled"], measures=["basdai", "esr_mm_h"])
    ax = Figure(figsize=size, layout="constrained").add_subplot()
    mean_sd_plot(t, ["basdai", "esr_mm_h"], ax=ax, title="All enrolled")  # the default title is wider than 3 in
    assert len([t for t in ax.texts if t.get_gid() in ("n", "p")]) == 10
    overlaps, outside = text_collisions(ax.figure)
    assert overlaps == [] and outside == []
