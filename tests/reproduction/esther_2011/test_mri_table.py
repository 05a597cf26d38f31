"""The MRI table of ESTHER (sacroiliac joint and spine scores, site counts), one test per figure."""

from __future__ import annotations

import pytest

from .figures import FIGURES, ids


@pytest.mark.parametrize("figure_id", ids("mri_table."))
def test_mri_table(figure_id, esther_rows):
    row = esther_rows[figure_id]
    assert row.comparison.published == FIGURES[figure_id]["printed"]
    assert row.comparison.match, (figure_id, row.comparison.recomputed, row.comparison.published)
    if figure_id.endswith(".week0.p"):  # the footnote names no test: the rank-sum test is the assumed one
        assert "Wilcoxon rank-sum" in row.comparison.convention and "names no test" in row.comparison.convention
