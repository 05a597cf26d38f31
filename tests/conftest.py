"""Shared test configuration: a derandomized hypothesis profile for CI, and the plugins the tests use."""

import os

from hypothesis import HealthCheck, settings

settings.register_profile(
    "ci", derandomize=True, max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow]
)
settings.register_profile("dev", max_examples=100, deadline=None)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "dev"))

# axspa's own pytest plugin is opt-in; the project enables it here, as a user's conftest.py would.
pytest_plugins = ["pytester", "study_tables", "cdisc_study", "axspa.testing"]
