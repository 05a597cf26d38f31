"""The input boundary: every check that raw study data pass before the derive tier sees them.

- :mod:`axspa.ingest.missing` -- the one set of strings that mean "not recorded".
- :mod:`axspa.ingest.columns` -- the rule of each canonical column (type, range from the measure
  registry, choices) and the one message shape, for one value and for a whole column.
- :mod:`axspa.ingest.checks` -- whole tables at once (vectorized), one row per patient and week,
  and the rules that span records.

The Pydantic records (:mod:`axspa.models`), the study loader (:mod:`axspa.io`) and the derive tier
(:func:`axspa.derive.score_visits`) all call these checks, so one bad value gives one message
whichever way it comes in.
"""
