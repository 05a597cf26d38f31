"""axspa: analysis of clinical-trial and cohort data in axial spondyloarthritis.

The flow runs one way: files -> records (:mod:`axspa.models`) -> canonical frames
(:mod:`axspa.io`) -> scores (:mod:`axspa.indices`, :mod:`axspa.response`,
:func:`score_visits`) -> analysis sets and statistics (:mod:`axspa.stats`) -> reports.

The public names are listed, with the module each comes from, in ``__init__.pyi``. They load on first use
(PEP 562), so ``import axspa`` stays light: it imports neither scipy nor matplotlib.
"""

from axspa._lazy import attach_stub

__version__ = "0.1.0"

__getattr__, __dir__, __all__ = attach_stub(__name__, __file__, globals())
