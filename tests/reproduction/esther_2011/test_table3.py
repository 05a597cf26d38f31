"""Table 3 of ESTHER (clinical efficacy by arm; ANCOVA p-values), one test per figure."""

from __future__ import annotations

import pytest

from .figures import CRP_OUT_OF_REACH, FIGURES, ids


@pytest.mark.parametrize("figure_id", ids("table3."))
def test_table3(figure_id, esther_rows):
    row = esther_rows[figure_id]
    assert row.comparison.published == FIGURES[figure_id]["printed"]
    if figure_id in CRP_OUT_OF_REACH:
        assert not row.comparison.match
        assert row.explanation.startswith("no data can give it under the ANCOVA convention")
    else:
        assert row.comparison.match, (figure_id, row.comparison.recomputed, row.comparison.published)
        assert row.explanation == ""
