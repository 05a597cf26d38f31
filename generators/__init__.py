"""Data generators of the bundled studies (run from the repository root; not part of the installed package).

``python -m generators.thalidomide_2003 [FOLDER]`` rebuilds the reconstructed files of the reference study;
``python -m generators.esther_2011 [FOLDER]`` rebuilds the reconstructed files of the ESTHER trial;
``python -m generators.synthetic_rct [--out DIR]`` rebuilds the synthetic controlled trial;
``python -m generators.sdtm_fixtures [--out DIR]`` writes both as synthetic SDTM (tests/cdisc/sdtm/).
"""
