"""The ``axspa`` command.

Subcommands
-----------
validate DIR     check a study folder; exit 1 on bad data with a summary by file, column and rule (--all: every
                 problem; --exclusions FILE: every problem to CSV; --mapping: an export; --lenient with
                 --on-invalid exclude|missing: exclude a row with a bad value, or load it with the value missing)
map EXPORT...    draft a mapping file for an export (files or a workbook)
score FILE       score a visits file (indices, changes from baseline, response criteria)
audit            check the reference paper's published figures alone (p-lattice, GRIM, denominators)
reproduce [STUDY]
                 reproduce a bundled study and compare it with its paper (default: the reference study,
                 thalidomide_2003; esther_2011: the ESTHER trial; --list: the bundled studies)
analyze DIR      run the whole analysis on a study folder and write the report (--out OUT)
adam DIR         write the study's ADaM data sets (ADSL, ADQS, ADEFF, ADRS) as CSV (--xpt: also SAS transport v5)
sdtm DIR         read SDTM domains (CSV or XPT) into a canonical study folder with an exclusions report (--out OUT;
                 --lenient with --on-invalid exclude|missing as for validate)

Exit status (the same in every command; :data:`EXIT_STATUS`)
-----------
0  done; the data are clean
1  the data break a rule: the problems are listed on stderr, or summarised when there are many
   (``validate --lenient`` also returns 1 when rows were excluded or notes were made)
2  the command could not run: a wrong argument, a study folder or file that does not exist or cannot be read
   as a table (encoding, quoting, not a workbook, a link out of the folder), an output that cannot be written,
   standard output closed early (``axspa ... | head -1``)
3  an unexpected error inside axspa (a bug: please report it); ``AXSPA_TRACEBACK=1`` shows the traceback
"""

from __future__ import annotations

import argparse
import json
import os
import re
import sys
import warnings
from collections.abc import Sequence
from pathlib import Path
from typing import Any, TextIO

from axspa.errors import AxspaError, AxspaWarning, DataValidationError, InputError
from axspa.options import ON_INVALID, STANDARD_SETS
from axspa.spreadsheet import write_csv

__all__ = ["EXIT_STATUS", "main"]

EXIT_STATUS = {
    0: "done; the data are clean",
    1: "the data break a rule (problems listed, or summarised when many); "
    "validate --lenient: rows were excluded or notes made",
    2: "the command could not run: a wrong argument, an input that cannot be read, an output that cannot be written",
    3: "an unexpected error inside axspa (a bug: please report it; AXSPA_TRACEBACK=1 shows the traceback)",
}
"""Exit status of every ``axspa`` command -> what it means."""


def _cmd_validate(args: argparse.Namespace) -> int:
    from axspa.io import load_study, problem_table

    try:
        study = load_study(args.folder, engine=args.engine, mapping=args.mapping, **_loading(args))
    except DataValidationError as exc:
        print(exc, file=sys.stderr)
        if args.all:
            print("every problem:", file=sys.stderr)
            for problem in exc.problems:
                print(f"  - {problem}", file=sys.stderr)
        if args.exclusions:
            write_csv(problem_table(exc.problems), args.exclusions)
            print(f"problem list written to {args.exclusions}", file=sys.stderr)
        return 1
    print(study.summary(full=args.all))
    if args.exclusions:
        report = study.exclusions
        if len(study.set_missing):  # then a column says what became of each row
            import pandas as pd

            report = pd.concat(
                [report.assign(action="excluded"), study.set_missing.assign(action="set missing")], ignore_index=True
            )
        write_csv(report, args.exclusions)
        print(f"exclusions report written to {args.exclusions}")
    return 1 if len(study.exclusions) or study.notes or len(study.set_missing) else 0


def _loading(args: argparse.Namespace) -> dict[str, Any]:
    """The loading mode of a command: ``strict`` and ``on_invalid`` (which needs ``--lenient``)."""
    if args.on_invalid is not None and not args.lenient:
        raise InputError(f"--on-invalid {args.on_invalid} chooses what --lenient does with a bad value; add --lenient")
    return {"strict": not args.lenient, "on_invalid": args.on_invalid or "exclude"}


BUNDLED_STUDIES = {
    "thalidomide_2003": "thalidomide in refractory ankylosing spondylitis (J Rheumatol 2003), single arm, 13 patients",
    "esther_2011": "ESTHER: etanercept versus sulfasalazine in early axial SpA (Ann Rheum Dis 2011), 40 + 36 patients",
}
"""The bundled studies ``axspa reproduce`` knows, the default (the reference study) first."""


def _cmd_reproduce(args: argparse.Namespace) -> int:
    if args.list:
        for name, what in BUNDLED_STUDIES.items():
            print(f"{name:<17} {what}")
        return 0
    if args.study == "esther_2011":
        return _reproduce_esther(args)
    return _reproduce_reference(args)


def _reproduce_esther(args: argparse.Namespace) -> int:
    from axspa.studies import esther_2011 as esther

    machinery = esther.reproduction()
    rows = machinery.compare_all(esther.published_figures())
    if args.json:
        print(json.dumps([r.to_dict() for r in rows], indent=1))
    else:
        print(f"Reproducing: {esther.CITATION}")
        print("The patient-level data are reconstructed, not real: see the data folder's README.\n")
        width = max(len(r.comparison.id) for r in rows)
        print(f"{'figure':<{width}}  {'published':>10}  {'recomputed':>10}  match")
        for r in rows:
            c = r.comparison
            mark = "yes" if c.match else ("n/a" if c.recomputed is None else "NO")
            print(f"{c.id:<{width}}  {c.published:>10}  {c.recomputed_text:>10}  {mark}")
        matched = sum(r.comparison.match for r in rows)
        explained = [r for r in rows if not r.comparison.match]
        print(f"\n{matched} of {len(rows)} published figures reproduced at their printed precision.")
        print(f"The other {len(explained)}, each with the reason:")
        for r in explained:
            print(f"  {r.comparison.id}: {r.explanation}")
        from axspa.studies.controlled_reproduction import grid_audit

        checks = grid_audit(esther.published_figures(), esther.load())
        flagged = [c for c in checks if not c.consistent]
        print(
            f"\nAudit of the published figures alone: {len(checks) - len(flagged)} of {len(checks)} per-arm "
            "mean and SD pairs pass GRIMMER on their measure's grid" + (":" if flagged else ".")
        )
        for check in flagged:
            print(f"  FLAGGED {check.mean_id} / {check.sd_id} (n = {check.n}, grid {check.grid:g}): {check.reason}")
        print("\nEtanercept minus sulfasalazine at week 48, ANCOVA of the change (LS-mean difference, 95 % CI, p):")
        for d in machinery.differences(48).to_dict(orient="records"):
            print(
                f"  {d['measure']:<22} {d['difference']:8.3f}  [{d['difference_ci_low']:8.3f}, "
                f"{d['difference_ci_high']:8.3f}]  p = {d['pvalue']:.3g}"
            )
        ancova = esther.conventions()["ancova"]
        print(f"\nBetween-arm p-values: ANCOVA, {ancova['model']}; {ancova['population']}; {ancova['p_method']}.")
    if args.out is not None:
        paths = esther.write_reproduction(args.out, progress=not args.json, machinery=machinery, rows=rows)
        print(f"\nReport written: {paths['html']}", file=sys.stderr if args.json else sys.stdout)
    return 0 if all(r.comparison.match or "no explanation" not in r.explanation for r in rows) else 1


def _reproduce_reference(args: argparse.Namespace) -> int:
    from axspa.forensics.audit import audit_figures
    from axspa.studies import thalidomide_2003 as ref
    from axspa.studies.reproduction import compare_figures, response_rates

    study = ref.load()
    comparisons = compare_figures(study, ref.published_figures(), conventions=ref.conventions())
    if args.json:
        print(json.dumps([c.to_dict() for c in comparisons], indent=1))
    else:
        print(f"Reproducing: {ref.CITATION}")
        print("The patient-level data are reconstructed, not real: see the data folder's README.\n")
        width = max(len(c.id) for c in comparisons)
        print(f"{'figure':<{width}}  {'published':>10}  {'recomputed':>10}  match  population (n)")
        for c in comparisons:
            mark = "yes" if c.match else ("n/a" if c.recomputed is None else "NO")
            print(f"{c.id:<{width}}  {c.published:>10}  {c.recomputed_text:>10}  {mark:<5}  {c.population} ({c.n})")
        matched = sum(c.match for c in comparisons)
        print(f"\n{matched} of {len(comparisons)} published figures reproduced at their printed precision.")
        by_convention: dict[str, list[str]] = {}
        for figure, convention in ref.conventions().items():
            words = f"{convention['method']}, {convention['alternative']}, zeros {convention['zero_method']}"
            if convention["method"] == "asymptotic":
                words += ", continuity correction" if convention["correction"] else ", no continuity correction"
            by_convention.setdefault(words, []).append(figure)
        print("\nSigned-rank conventions by p-value:")
        for words, figures in by_convention.items():
            print(f"  {words}: {', '.join(figures)}")
        print("\nASAS response at week 24 by denominator (Clopper-Pearson 95 % intervals):")
        for r in response_rates(study).to_dict(orient="records"):
            print(
                f"  {r['criterion']:<7} {r['responders']:>2}/{r['n']:<2} = {100 * r['rate']:5.1f} %  "
                f"[{100 * r['ci_low']:5.1f}, {100 * r['ci_high']:5.1f}]  {r['population']} ({r['imputation']})"
            )
        _print_audit(audit_figures(ref.published()), summary=True)
        print("\nBundled studies: " + ", ".join(BUNDLED_STUDIES) + " (axspa reproduce STUDY; --list describes them)")
    if args.out is not None:
        from axspa.studies.reproduction import write_reproduction

        paths = write_reproduction(args.out, progress=not args.json)
        print(f"\nReport written: {paths['html']}", file=sys.stderr if args.json else sys.stdout)
        print(
            f"Tables (CSV), figures (PNG, SVG) and Markdown in {args.out}", file=sys.stderr if args.json else sys.stdout
        )
    return 0 if all(c.match for c in comparisons) else 1


def _cmd_analyze(args: argparse.Namespace) -> int:
    from axspa.report import AnalysisPlan, analyze

    out = args.out if args.out is not None else Path("reports") / args.folder.resolve().name
    plan = AnalysisPlan.from_toml(args.plan) if args.plan is not None else AnalysisPlan()
    given = {"week": args.week, "outcome_set": args.population, "control": args.control}
    scoring = {"patient_global": args.patient_global, "pain": args.pain}
    given["scoring"] = {**dict(plan.scoring), **{k: v for k, v in scoring.items() if v is not None}}
    result = analyze(
        args.folder,
        out,
        plan=plan,
        progress=not args.quiet,
        mapping=args.mapping,
        **_loading(args),
        **{k: v for k, v in given.items() if v is not None},
    )
    print(f"report written to {result.paths['html']}")
    return 0


def _cmd_adam(args: argparse.Namespace) -> int:
    from axspa.cdisc import build_adam, write_adam
    from axspa.io import load_study

    study = load_study(args.folder, **_loading(args))
    scoring = {"patient_global": args.patient_global, "pain": args.pain}
    adam = build_adam(
        study,
        scoring=scoring,
        studyid=args.studyid,
        treatment=args.treatment,
        imputation=args.impute,
        nri=args.nri,
        codes=args.codes,
    )
    paths = write_adam(adam, args.out, xpt=args.xpt)
    for d in adam.datasets:
        print(f"{d.name}: {len(d.frame)} records, {len(d.variables)} variables")
    print(f"{len(paths)} files written to {args.out} (specification: {paths['specification.json'].name})")
    print("PARAMCD values marked sponsor-defined in the specification are not CDISC controlled terminology.")
    return 0


def _cmd_sdtm(args: argparse.Namespace) -> int:
    from axspa.cdisc.sdtm import EXCLUSIONS_FILE, INFORMATION_RULES, read_sdtm, write_sdtm_study

    sdtm = read_sdtm(args.folder, name=args.name, codes=args.codes, **_loading(args))
    paths = write_sdtm_study(sdtm, args.out)
    counts = sdtm.to_frame()
    for r in counts.itertuples():
        print(f"{r.domain}: {r.read} records, {r.used} in the study, {r.listed} listed")
    loaded = sdtm.study.to_frame()
    print("study: " + ", ".join(f"{r.table} {r.loaded}" for r in loaded.itertuples()) + f"; written to {args.out}")
    print(f"records not in the study, with their reasons: {paths[EXCLUSIONS_FILE]}")
    if len(sdtm.imputed_dates):
        print(f"{len(sdtm.imputed_dates)} partial date(s) imputed (first day), listed with their flags")
    set_missing = int((sdtm.exclusions["rule"] == "set_missing").sum())
    if set_missing:
        print(f"{set_missing} value(s) set missing (--on-invalid missing), listed with rule set_missing")
    errors = ~sdtm.exclusions["rule"].isin(INFORMATION_RULES)
    return 1 if errors.any() else 0


def _print_audit(findings: Sequence[Any], *, summary: bool) -> None:
    flagged = [f for f in findings if f.consistent is False]
    notes = [f for f in findings if f.consistent is None]
    print(
        f"\nAudit of the published figures alone: {len(findings)} checks, {len(flagged)} flagged, {len(notes)} notes."
    )
    shown = flagged + notes if summary else findings
    for f in shown:
        mark = {True: "ok", False: "FLAG", None: "note"}[f.consistent]
        print(f"  [{mark}] {f.check}: {f.summary}")
        if not summary:
            print(f"         {f.detail}")


def _cmd_audit(args: argparse.Namespace) -> int:
    from axspa.forensics.audit import audit_figures
    from axspa.studies import thalidomide_2003 as ref

    findings = audit_figures(ref.published())
    if args.json:
        print(json.dumps([f.to_dict() for f in findings], indent=1))
    else:
        print(f"Auditing the published figures of: {ref.CITATION}")
        _print_audit(findings, summary=False)
    return 0


def _cmd_score(args: argparse.Namespace) -> int:
    from axspa.derive import score_visits
    from axspa.ingest.checks import check_table
    from axspa.ingest.columns import VISITS
    from axspa.io import read_table

    checked = check_table(read_table(args.visits), VISITS, source=args.visits.name)
    problems = checked.problems + checked.table_problems
    if problems:
        raise DataValidationError(problems=problems, summary=f"{args.visits.name}")
    scores = score_visits(
        checked.frame, baseline_week=args.baseline_week, patient_global=args.patient_global, pain=args.pain
    )
    if args.output is None:
        write_csv(scores, sys.stdout)
    else:
        write_csv(scores, args.output)
        print(f"{len(scores)} scored visits written to {args.output}", file=sys.stderr)
    return 0


def _cmd_map(args: argparse.Namespace) -> int:
    from axspa.ingest.draft import draft_mapping

    text = draft_mapping(args.export, mapping_dir=args.output.parent if args.output is not None else None)
    if args.output is None:
        sys.stdout.write(text)
    else:
        args.output.write_text(text, encoding="utf-8")
        todo = text.count("# TODO: decide")
        print(f"mapping drafted in {args.output}: {todo} point(s) marked '# TODO: decide'", file=sys.stderr)
    return 0


def _lenient_options(parser: argparse.ArgumentParser, *, text: str) -> None:
    parser.add_argument("--lenient", action="store_true", help=text)
    parser.add_argument(
        "--on-invalid",
        choices=ON_INVALID,
        help="with --lenient, a row with a bad value: exclude it (the default), or load it with the value missing "
        "(not a required one such as patient_id or week); both are listed",
    )


def _mapping_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--mapping", type=Path, help="mapping file of an export: files, sheets, renames, recodes (see `axspa map`)"
    )


def _scoring_options(parser: argparse.ArgumentParser, *, defaults: bool = True) -> None:
    parser.add_argument(
        "--patient-global",
        default="patient_global" if defaults else None,
        help="the ASAS patient global: the patient_global column, or 'basg' for a study that used BAS-G",
    )
    parser.add_argument(
        "--pain", default="back_pain" if defaults else None, help="the ASAS pain item: back_pain or basdai_q2"
    )


def build_parser() -> argparse.ArgumentParser:
    """The argument parser of the ``axspa`` command."""
    from axspa import __version__

    parser = argparse.ArgumentParser(
        prog="axspa",
        description="Axial spondyloarthritis trial analysis.",
        epilog="exit status (every command): " + "; ".join(f"{k} {v}" for k, v in EXIT_STATUS.items()),
    )
    parser.add_argument("--version", action="version", version=f"axspa {__version__}")
    sub = parser.add_subparsers(dest="command", required=True)

    validate = sub.add_parser("validate", help="check a study folder (patients.csv, visits.csv, ...)")
    validate.add_argument("folder", type=Path)
    _lenient_options(validate, text="load good rows and list the excluded ones")
    validate.add_argument("--engine", choices=("frame", "records"), default="frame")
    validate.add_argument(
        "--exclusions", type=Path, help="write every problem (or, with --lenient, every exclusion) to this CSV file"
    )
    validate.add_argument(
        "--all", action="store_true", help="list every problem after the summary by file, column and rule"
    )
    _mapping_option(validate)
    validate.set_defaults(func=_cmd_validate)

    score = sub.add_parser("score", help="score a visits file: indices, changes, ASAS responses")
    score.add_argument("visits", type=Path, help="a visits file in the canonical columns")
    score.add_argument("-o", "--output", type=Path, help="output CSV (standard output if omitted)")
    score.add_argument("--baseline-week", type=float, default=0)
    _scoring_options(score)
    score.set_defaults(func=_cmd_score)

    audit = sub.add_parser("audit", help="check the reference paper's published figures alone (no patient data)")
    audit.add_argument("--json", action="store_true", help="print the findings as JSON")
    audit.set_defaults(func=_cmd_audit)

    reproduce = sub.add_parser("reproduce", help="reproduce a bundled study (default: the reference study)")
    reproduce.add_argument(
        "study", nargs="?", default="thalidomide_2003", choices=list(BUNDLED_STUDIES), help="the bundled study"
    )
    reproduce.add_argument("--list", action="store_true", help="list the bundled studies")
    reproduce.add_argument("--json", action="store_true", help="print the comparison as JSON")
    reproduce.add_argument("--out", type=Path, help="also write the full report (HTML, Markdown, CSV, figures) here")
    reproduce.set_defaults(func=_cmd_reproduce)

    analyze = sub.add_parser("analyze", help="analyse a study folder and write the report (HTML, Markdown, CSV)")
    analyze.add_argument("folder", type=Path)
    analyze.add_argument("--out", type=Path, help="output folder (default reports/<study folder name>)")
    analyze.add_argument(
        "--week",
        type=float,
        help="visit of the response analysis (default: the study file's primary week, else the last visit)",
    )
    analyze.add_argument(
        "--control",
        metavar="ARM",
        help="controlled trials: code of the control arm (overrides the study file's; needed without one)",
    )
    analyze.add_argument(
        "--population",
        choices=STANDARD_SETS,
        help="single-arm studies: analysis set of the outcomes table and figures (default: the plan's, completers); "
        "a controlled trial analyses efficacy in the full analysis set",
    )
    analyze.add_argument(
        "--plan", type=Path, help="analysis plan (TOML; fields of axspa.report.AnalysisPlan); options given here win"
    )
    _lenient_options(analyze, text="load good rows and list the excluded ones")
    analyze.add_argument("--quiet", action="store_true", help="no progress messages on stderr")
    _mapping_option(analyze)
    _scoring_options(analyze, defaults=False)
    analyze.set_defaults(func=_cmd_analyze)

    draft = sub.add_parser("map", help="draft a mapping file for an export (CSV files or a workbook's sheets)")
    draft.add_argument("export", type=Path, nargs="+", help="the exported files (CSV, xlsx)")
    draft.add_argument("-o", "--output", type=Path, help="write the draft here (standard output if omitted)")
    draft.set_defaults(func=_cmd_map)

    adam = sub.add_parser("adam", help="write a study's ADaM data sets (CSV; --xpt: also SAS transport version 5)")
    adam.add_argument("folder", type=Path, help="a study folder (patients.csv, visits.csv, ...)")
    adam.add_argument("--out", type=Path, required=True, help="output folder")
    adam.add_argument("--xpt", action="store_true", help="also write SAS transport version 5 (needs axspa[cdisc])")
    adam.add_argument("--impute", choices=("locf", "bocf"), help="add LOCF or BOCF records (DTYPE) to ADEFF")
    adam.add_argument("--nri", action="store_true", help="add non-responder imputation records (DTYPE NRI) to ADRS")
    adam.add_argument("--treatment", help="a single-arm study's treatment (ARM, TRT01P)")
    adam.add_argument("--studyid", help="STUDYID (default: the study folder's name)")
    adam.add_argument("--codes", type=Path, help="an edited copy of the table of parameter codes (codes.csv)")
    _lenient_options(adam, text="load good rows and leave out the excluded ones")
    _scoring_options(adam)
    adam.set_defaults(func=_cmd_adam)

    sdtm = sub.add_parser(
        "sdtm", help="read SDTM domains (DM, SUPPDM, DS, QS, LB, AE, SV, EX; CSV or XPT) into a study folder"
    )
    sdtm.add_argument("folder", type=Path, help="a folder of SDTM domains (dm.csv or dm.xpt, ...; optional study.toml)")
    sdtm.add_argument("--out", type=Path, required=True, help="the study folder to write (with sdtm_exclusions.csv)")
    sdtm.add_argument("--name", help="the study's name (default: the SDTM folder's name)")
    sdtm.add_argument("--codes", type=Path, help="an edited copy of the table of codes (codes.csv): QSTESTCD, LBTESTCD")
    _lenient_options(sdtm, text="write the records that load and list the others (exit 1 if any)")
    sdtm.set_defaults(func=_cmd_sdtm)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the ``axspa`` command; returns the exit status (:data:`EXIT_STATUS`).

    No traceback reaches the user: data problems, unreadable inputs, unwritable outputs and a closed
    standard output end in a one-paragraph message on stderr and the exit status of their kind. Nothing
    printed can act on a terminal: control characters go to stderr, and to stdout when it is a terminal,
    written visibly (:class:`VisibleText`). axspa's
    warnings (a likely unit or scale slip) follow on stderr, after the command's own output and any problem
    summary, one line each as ``axspa: warning: ...``, without the place in axspa's code that Python shows.
    """
    args = build_parser().parse_args(argv)
    out, err = sys.stdout, sys.stderr
    # messages always; standard output when it is a terminal (a file or pipe gets the data as they are)
    sys.stdout, sys.stderr = (VisibleText(out) if out.isatty() else out), VisibleText(err)
    try:
        with warnings.catch_warnings(record=True) as caught:
            status = _run(args)
        for warning in caught:
            if issubclass(warning.category, AxspaWarning):
                _say(f"axspa: warning: {warning.message}")
            else:
                text = warnings.formatwarning(warning.message, warning.category, warning.filename, warning.lineno)
                _say(text.rstrip())
    finally:
        sys.stdout, sys.stderr = out, err
    return status


_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")
"""Control characters other than tab and newline (C0, DEL and C1): a terminal acts on them."""


class VisibleText:
    r"""A text stream that writes control characters visibly (``\x1b`` for ESC), so that data printed by the
    command line (a patient id in a message) cannot move the cursor, recolour or retitle the user's terminal.

    Examples
    --------
    >>> import io
    >>> stream = io.StringIO()
    >>> _ = VisibleText(stream).write("patient P\x1b[2J1\tweek 0\n")
    >>> stream.getvalue()
    'patient P\\x1b[2J1\tweek 0\n'
    """

    def __init__(self, stream: TextIO) -> None:
        self._stream = stream

    def write(self, text: str) -> int:
        self._stream.write(_CONTROL.sub(lambda m: f"\\x{ord(m.group()):02x}", text))
        return len(text)

    def __getattr__(self, name: str) -> Any:  # flush, fileno, isatty, encoding ... of the stream
        return getattr(self._stream, name)


def _run(args: argparse.Namespace) -> int:
    """Run a parsed command: its exit status, with every error turned into a message (see :func:`main`)."""
    try:
        status: int = args.func(args)
        sys.stdout.flush()
    except DataValidationError as exc:
        return _fail(str(exc), 1)
    except AxspaError as exc:
        return _fail(str(exc), 2)
    except BrokenPipeError:
        # The reader of standard output has gone (`axspa ... | head -1`): stop quietly, and keep
        # Python from failing again when it flushes standard output at exit.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return _fail("standard output was closed before the command finished", 2)
    except OSError as exc:
        where = f": {str(exc.filename)!r}" if exc.filename else ""
        return _fail(f"file error: {exc.strerror or exc}{where}", 2)
    except KeyboardInterrupt:
        return _fail("interrupted", 130)
    except Exception as exc:
        if os.environ.get("AXSPA_TRACEBACK"):
            raise
        return _fail(
            f"unexpected error ({type(exc).__name__}: {exc}); this is a bug in axspa, please report it "
            "(set AXSPA_TRACEBACK=1 to see the traceback)",
            3,
        )
    return status


def _say(line: str) -> None:
    """One line on stderr, unless stderr is closed as well."""
    try:
        print(line, file=sys.stderr)
    except OSError:
        pass


def _fail(message: str, status: int) -> int:
    _say(f"axspa: {message}")  # if stderr is closed as well, the exit status is all that is left
    return status


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
