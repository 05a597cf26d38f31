"""Bundled studies: loaders and published figures."""

from axspa.studies import thalidomide_2003

__all__ = ["thalidomide_2003"]
