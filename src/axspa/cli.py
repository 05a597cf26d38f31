"""The ``axspa`` command.

Subcommands
-----------
validate DIR     check a study folder; exit 1 with the full problem list on bad data
score FILE       score a visits file (indices, changes from baseline, response criteria)
audit            check the reference paper's published figures alone (p-lattice, GRIM, denominators)
reproduce        reproduce the bundled reference study and compare it with the paper
analyze DIR      run the whole analysis on a study folder and write the report (--out OUT)
adam DIR         write the study's ADaM data sets (ADSL, ADQS, ADEFF, ADRS) as CSV (--xpt: also SAS transport v5)
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from axspa.errors import AxspaError, DataValidationError
from axspa.options import STANDARD_SETS

__all__ = ["main"]


def _cmd_validate(args: argparse.Namespace) -> int:
    from axspa.io import load_study

    try:
        study = load_study(args.folder, strict=not args.lenient, engine=args.engine)
    except DataValidationError as exc:
        print(exc, file=sys.stderr)
        return 1
    print(study.summary())
    if args.exclusions:
        study.exclusions.to_csv(args.exclusions, index=False)
        print(f"exclusions report written to {args.exclusions}")
    return 1 if len(study.exclusions) or study.notes else 0


def _cmd_reproduce(args: argparse.Namespace) -> int:
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
        strict=not args.lenient,
        progress=not args.quiet,
        **{k: v for k, v in given.items() if v is not None},
    )
    print(f"report written to {result.paths['html']}")
    return 0


def _cmd_adam(args: argparse.Namespace) -> int:
    from axspa.cdisc import build_adam, write_adam
    from axspa.io import load_study

    study = load_study(args.folder, strict=not args.lenient)
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
        scores.to_csv(sys.stdout, index=False)
    else:
        scores.to_csv(args.output, index=False)
        print(f"{len(scores)} scored visits written to {args.output}", file=sys.stderr)
    return 0


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

    parser = argparse.ArgumentParser(prog="axspa", description="Axial spondyloarthritis trial analysis.")
    parser.add_argument("--version", action="version", version=f"axspa {__version__}")
    sub = parser.add_subparsers(dest="command", required=True)

    validate = sub.add_parser("validate", help="check a study folder (patients.csv, visits.csv, ...)")
    validate.add_argument("folder", type=Path)
    validate.add_argument("--lenient", action="store_true", help="load good rows and list the excluded ones")
    validate.add_argument("--engine", choices=("frame", "records"), default="frame")
    validate.add_argument("--exclusions", type=Path, help="write the exclusions report to this CSV file")
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

    reproduce = sub.add_parser("reproduce", help="reproduce the bundled reference study (J Rheumatol 2003)")
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
    analyze.add_argument("--lenient", action="store_true", help="load good rows and list the excluded ones")
    analyze.add_argument("--quiet", action="store_true", help="no progress messages on stderr")
    _scoring_options(analyze, defaults=False)
    analyze.set_defaults(func=_cmd_analyze)

    adam = sub.add_parser("adam", help="write a study's ADaM data sets (CSV; --xpt: also SAS transport version 5)")
    adam.add_argument("folder", type=Path, help="a study folder (patients.csv, visits.csv, ...)")
    adam.add_argument("--out", type=Path, required=True, help="output folder")
    adam.add_argument("--xpt", action="store_true", help="also write SAS transport version 5 (needs axspa[cdisc])")
    adam.add_argument("--impute", choices=("locf", "bocf"), help="add LOCF or BOCF records (DTYPE) to ADEFF")
    adam.add_argument("--nri", action="store_true", help="add non-responder imputation records (DTYPE NRI) to ADRS")
    adam.add_argument("--treatment", help="a single-arm study's treatment (ARM, TRT01P)")
    adam.add_argument("--studyid", help="STUDYID (default: the study folder's name)")
    adam.add_argument("--codes", type=Path, help="an edited copy of the table of parameter codes (codes.csv)")
    adam.add_argument("--lenient", action="store_true", help="load good rows and leave out the excluded ones")
    _scoring_options(adam)
    adam.set_defaults(func=_cmd_adam)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the ``axspa`` command; returns the exit status."""
    args = build_parser().parse_args(argv)
    try:
        status: int = args.func(args)
    except AxspaError as exc:
        print(f"axspa: {exc}", file=sys.stderr)
        return 2
    return status


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
