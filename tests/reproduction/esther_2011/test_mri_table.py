"""The MRI table of ESTHER (sacroiliac joint and spine scores, site counts), one test per figure."""

from __future__ import annotations

import pytest

from .figures import FIGURES, NOT_RECONSTRUCTED, ids


@pytest.mark.parametrize("figure_id", ids("mri_table."))
def test_mri_table(figure_id, esther_rows):
    row = esther_rows[figure_id]
    assert row.comparison.published == FIGURES[figure_id]["printed"]
    if figure_id in NOT_RECONSTRUCTED:
        assert not row.comparison.match and row.comparison.recomputed is None
        assert "not reconstructed" in row.explanation or "does not name" in row.explanation
    else:
        assert row.comparison.match, (figure_id, row.comparison.recomputed, row.comparison.published)
