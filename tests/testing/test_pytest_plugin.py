"""The opt-in pytest plugin that axspa offers for users' own reproduction tests."""

from __future__ import annotations

import pytest

from axspa.testing import assert_printed


@pytest.mark.parametrize(
    ("value", "printed"),
    [(3.104, "3.1"), (3.05, "3.1"), (27.96, "28"), (0.015625, "0.0156"), (0.0078125, "0.0078"), (-0.125, "-0.13")],
)
def test_assert_printed_accepts_numbers_that_print_the_same(value, printed):
    assert_printed(value, printed)


@pytest.mark.parametrize(("value", "printed"), [(3.15, "3.1"), (3.049, "3.1"), (0.0157, "0.0156"), (2.0, "2.00001")])
def test_assert_printed_rejects_numbers_that_print_differently(value, printed):
    with pytest.raises(AssertionError, match=f"published {printed}"):
        assert_printed(value, printed)


def test_plugin_is_enabled_by_pytest_plugins_in_conftest(pytester):
    pytester.makeconftest('pytest_plugins = ["axspa.testing"]')
    pytester.makepyfile(
        """
        from axspa.testing import assert_printed

        def test_published(thalidomide_2003_published):
            assert thalidomide_2003_published.loc["week24.basdai.week24.mean", "printed"] == "3.1"

        def test_mismatch():
            assert_printed(3.16, "3.1", label="BASDAI week 24")
        """
    )
    result = pytester.runpytest("-p", "no:cacheprovider")
    result.assert_outcomes(passed=1, failed=1)
    result.stdout.fnmatch_lines(["*BASDAI week 24: 3.16 prints as 3.2 at the 1 decimal(s) of the published 3.1*"])


def test_plugin_is_not_loaded_unless_a_project_asks_for_it(pytester):
    pytester.makepyfile(
        """
        def test_published(thalidomide_2003_published):
            pass
        """
    )
    result = pytester.runpytest_subprocess("-p", "no:cacheprovider")
    result.assert_outcomes(errors=1)
    result.stdout.fnmatch_lines(["*fixture 'thalidomide_2003_published' not found*"])
