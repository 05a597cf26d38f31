"""Exact small-sample statistics: signed-rank test, Hodges-Lehmann, proportions, summaries.

The public names are listed, with the module each comes from, in ``__init__.pyi``; they load on first use
(PEP 562), so importing one light module of this package (say :mod:`axspa.stats.descriptive`) does not load scipy.
"""

from axspa._lazy import attach_stub

__getattr__, __dir__, __all__ = attach_stub(__name__, __file__, globals())
