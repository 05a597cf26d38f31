"""CDISC in and out: SDTM domains to a study; ADaM data sets (ADSL, ADQS, ADEFF, ADRS), their specification,
CSV and SAS transport version 5.

:func:`read_sdtm` reads SDTM domains (DM, SUPPDM, DS, QS, LB, AE, SV, EX; CSV or XPT) into a canonical
study, listing every record it leaves out; :func:`write_sdtm_study` writes it as a study folder.

:func:`build_adam` arranges a loaded study as ADaM data sets; :func:`write_adam` writes them as CSV and,
with the optional extra ``cdisc`` (pyreadstat), as SAS transport (XPT) version 5 after :func:`check_xpt`
has refused anything version 5 cannot hold. The parameter codes come from one editable table
(:func:`read_codes`, ``codes.csv``); except the laboratory codes CRP, ESR and IGA they are sponsor-defined,
**not CDISC controlled terminology**. Importing this package does not import pyreadstat.
"""

from axspa.cdisc.adam import DATASET_LABELS, build_adam
from axspa.cdisc.sdtm import SdtmStudy, read_sdtm, write_sdtm_study
from axspa.cdisc.spec import Adam, Dataset, Variable, specification, write_specification
from axspa.cdisc.terms import Parameter, read_codes
from axspa.cdisc.xpt import check_xpt, write_adam, write_csv, write_xpt

__all__ = [
    "DATASET_LABELS",
    "Adam",
    "Dataset",
    "Parameter",
    "SdtmStudy",
    "Variable",
    "build_adam",
    "check_xpt",
    "read_codes",
    "read_sdtm",
    "specification",
    "write_adam",
    "write_csv",
    "write_sdtm_study",
    "write_specification",
    "write_xpt",
]
