"""Bundled studies: loaders and published figures."""

from axspa.studies import synthetic_rct, thalidomide_2003

__all__ = ["synthetic_rct", "thalidomide_2003"]
