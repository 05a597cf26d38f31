"""The input boundary: every check that raw study data pass before the derive tier sees them.

- :mod:`axspa.ingest.missing` -- the one set of strings that mean "not recorded".
- :mod:`axspa.ingest.columns` -- the rule of each canonical column (type, range from the measure
  registry, choices) and the one message shape, for one value and for a whole column.
- :mod:`axspa.ingest.checks` -- whole tables at once (vectorized), one row per patient and week,
  and the rules that span records.

- :mod:`axspa.ingest.study_file` -- a study's ``study.toml`` and the measures it declares.
- :mod:`axspa.ingest.schedule` -- visit dates to analysis visits by the schedule's windows, fractional weeks,
  withdrawal weeks.

The Pydantic records (:mod:`axspa.models`), the study loader (:mod:`axspa.io`) and the derive tier
(:func:`axspa.derive.score_visits`) all call these checks, so one bad value gives one message
whichever way it comes in. The message names the field, what it must be and what it got
(``"basdai_q6 must be a number in [0, 10]; got 12. Was it recorded in minutes ...?"``), placed by
:class:`axspa.errors.Problem` as ``"<file>, row <n>, patient <id>, week <w>: <message>"``; each entry
point gives the parts of the place it knows (a record has no file row; a frame row is its position).
"""
