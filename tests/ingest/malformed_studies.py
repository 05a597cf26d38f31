"""A corpus of malformed study folders, built in a temporary folder for each test (nothing committed).

Each :class:`Case` writes one study folder that differs from a small valid study (two patients,
visits at weeks 0 and 12) in one way, and states what loading it must give: either the study loads
(``error`` is None; its rows may still be excluded in lenient mode or raise a DataValidationError in
strict mode; with ``same``, each of its tables reads exactly as the valid study's) or an
:class:`~axspa.errors.InputError` whose message contains ``error`` exactly (the file, the line where
there is one, and what to do).
"""

from __future__ import annotations

import random
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

PATIENTS = (
    "patient_id,sex,age_years,hla_b27,status,withdrawal_reason,last_week\n"
    "P01,male,41,positive,completed,,\n"
    "P02,female,35,negative,completed,,\n"
)
VISITS = "patient_id,week,basdai_q1,basdai_q2,crp_mg_l\nP01,0,5,6,12\nP01,12,3,4,<5\nP02,0,6,7,8\nP02,12,2,3,4\n"
ADVERSE_EVENTS = "patient_id,term,onset_week,severity,serious,action\nP01,headache,4,mild,no,none\n"
FILES = {"patients.csv": PATIENTS, "visits.csv": VISITS, "adverse_events.csv": ADVERSE_EVENTS}


@dataclass(frozen=True)
class Case:
    """One malformed folder: ``build(folder, outside)`` writes it; ``outside`` is a folder beside it."""

    name: str
    build: Callable[[Path, Path], None]
    error: str | None = None
    same: bool = False


def _write_valid(folder: Path, skip: str = "") -> None:
    for name, text in FILES.items():
        if name != skip:
            (folder / name).write_text(text, encoding="utf-8", newline="")


def _bytes_case(name: str, target: str, content: bytes, error: str | None = None, *, same: bool = False) -> Case:
    def build(folder: Path, outside: Path) -> None:
        _write_valid(folder, skip=target)
        (folder / target).write_bytes(content)

    return Case(f"{name}:{target}", build, error, same)


def _text(target: str) -> str:
    return FILES[target]


def _random_bytes(seed: int, n: int = 600) -> bytes:
    rng = random.Random(seed)
    # A NUL byte early on, as in every binary file format of note: refused as "not a text file".
    return bytes([0x89, 0x00]) + bytes(rng.randrange(256) for _ in range(n))


def _zip_not_workbook() -> bytes:
    import io

    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("readme.txt", "not a workbook")
    return buffer.getvalue()


def _line_of_p02(target: str) -> int:
    return next(i for i, line in enumerate(_text(target).splitlines(), start=1) if "P02" in line)


def _latin1(target: str) -> bytes:
    text = _text(target).replace("P02", "P\u00e902")  # P<e-acute>02
    return text.encode("latin-1")


def _cp1252(target: str) -> bytes:
    text = _text(target).replace("P02", "P\u201902")  # a curly apostrophe, 0x92 in Windows-1252
    return text.encode("cp1252")


def _ragged(target: str) -> bytes:
    lines = _text(target).splitlines(keepends=True)
    lines[2] = lines[2].rstrip("\n") + ",extra\n"
    return "".join(lines).encode()


def _short_row(target: str) -> bytes:
    lines = _text(target).splitlines(keepends=True)
    lines[2] = lines[2].split(",")[0] + "\n"
    return "".join(lines).encode()


def _unclosed_quote(target: str) -> bytes:
    lines = _text(target).splitlines(keepends=True)
    lines[2] = '"' + lines[2]
    return "".join(lines).encode()


def _duplicate_header(target: str) -> bytes:
    lines = _text(target).splitlines(keepends=True)
    first = lines[0].split(",")[0]
    lines[0] = lines[0].rstrip("\n") + f",{first}\n"
    lines[1:] = [line.rstrip("\n") + ",X\n" for line in lines[1:]]
    return "".join(lines).encode()


def _directory(target: str) -> Case:
    def build(folder: Path, outside: Path) -> None:
        _write_valid(folder, skip=target)
        (folder / target).mkdir()

    return Case(f"directory:{target}", build, f"{target} is a folder, not a file; expected a table")


def _link_out(target: str) -> Case:
    def build(folder: Path, outside: Path) -> None:
        _write_valid(folder, skip=target)
        (outside / target).write_text(_text(target), encoding="utf-8")
        (folder / target).symlink_to(outside / target)

    return Case(f"link_out:{target}", build, f"{target} in study folder 'study' is a link to ")


def _link_inside(target: str) -> Case:
    def build(folder: Path, outside: Path) -> None:
        _write_valid(folder, skip=target)
        (folder / "copies").mkdir()
        (folder / "copies" / target).write_text(_text(target), encoding="utf-8")
        (folder / target).symlink_to(folder / "copies" / target)

    return Case(f"link_inside:{target}", build, same=True)


def _dangling_link(target: str) -> Case:
    def build(folder: Path, outside: Path) -> None:
        _write_valid(folder, skip=target)
        (folder / target).symlink_to(outside / "gone.csv")

    return Case(f"dangling_link:{target}", build, f"{target} in study folder 'study' is a link to ")


def _workbook(target: str, content: bytes, label: str) -> Case:
    xlsx = target.replace(".csv", ".xlsx")

    def build(folder: Path, outside: Path) -> None:
        _write_valid(folder, skip=target)
        (folder / xlsx).write_bytes(content)

    return Case(f"{label}:{xlsx}", build, f"{xlsx} is not an Excel workbook that can be read (")


def _cases_for(target: str) -> list[Case]:
    text = _text(target)
    header = text.splitlines()[0]
    return [
        _bytes_case("empty", target, b"", f"{target} is empty; expected a header row naming the columns"),
        _bytes_case("blank_lines", target, b"\n\n\n", f"{target} is empty; expected a header row naming the columns"),
        _bytes_case("header_only", target, (header + "\n").encode()),
        _bytes_case("header_no_newline", target, header.encode()),
        _bytes_case("utf8_bom", target, b"\xef\xbb\xbf" + text.encode(), same=True),
        _bytes_case("utf16_bom", target, text.encode("utf-16"), same=True),
        _bytes_case("utf16_be_bom", target, b"\xfe\xff" + text.encode("utf-16-be"), same=True),
        _bytes_case(
            "utf16_no_bom",
            target,
            text.encode("utf-16-le"),
            f"{target}, line 1: not a text file (it holds NUL bytes; UTF-16 without a byte-order mark?); "
            "save it as CSV in UTF-8",
        ),
        _bytes_case(
            "latin1",
            target,
            _latin1(target),
            f"{target}, line {_line_of_p02(target)}: not UTF-8 text (byte 0xe9); it looks like "
            "Latin-1/Windows-1252 or another legacy encoding. Save it as UTF-8 "
            "(Excel: 'CSV UTF-8'; or UTF-16 with a byte-order mark)",
        ),
        _bytes_case(
            "cp1252", target, _cp1252(target), f"{target}, line {_line_of_p02(target)}: not UTF-8 text (byte 0x92)"
        ),
        _bytes_case("crlf", target, text.replace("\n", "\r\n").encode(), same=True),
        _bytes_case("bom_crlf", target, b"\xef\xbb\xbf" + text.replace("\n", "\r\n").encode(), same=True),
        _bytes_case("no_final_newline", target, text.rstrip("\n").encode(), same=True),
        _bytes_case("random_bytes", target, _random_bytes(len(target)), f"{target}, line 1: not a text file"),
        _bytes_case("nul_in_row", target, text.replace("\n", "\n\x00", 2).encode(), f"{target}, line 2: not a text"),
        _bytes_case(
            "ragged_row",
            target,
            _ragged(target),
            f"{target}, line 3: {len(header.split(',')) + 1} fields, but the header has {len(header.split(','))}; "
            "quote a value that holds a comma",
        ),
        _bytes_case("short_row", target, _short_row(target)),
        _bytes_case(
            "unclosed_quote",
            target,
            _unclosed_quote(target),
            f"{target}, line ",
        ),
        _bytes_case(
            "duplicate_header",
            target,
            _duplicate_header(target),
            f"{target}, line 1: column 'patient_id' appears more than once in the header (columns 1, "
            f"{len(header.split(',')) + 1}); keep one",
        ),
        _bytes_case(
            "tab_separated",
            target,
            text.replace(",", "\t").encode(),
            f"{target}, line 1: the fields are separated by tabs ('\\t'), not by commas; save the table "
            "comma-separated (Excel: 'CSV UTF-8 (Comma delimited)'), or read it through a mapping file whose "
            "table says delimiter = '\\t' (axspa map drafts one)",
        ),
        _bytes_case(
            "semicolon_separated",
            target,
            text.replace(",", ";").encode(),
            f"{target}, line 1: the fields are separated by semicolons (';'), not by commas; save the table "
            "comma-separated (Excel: 'CSV UTF-8 (Comma delimited)'), or read it through a mapping file whose "
            "table says delimiter = ';' (axspa map drafts one)",
        ),
        _bytes_case("gzip_named_csv", target, b"\x1f\x8b\x08\x00" + bytes(40), f"{target}, line 1: not a text file"),
        _directory(target),
        _link_out(target),
        _link_inside(target),
        _dangling_link(target),
        _workbook(target, text.encode(), "text_named_xlsx"),
        _workbook(target, b"", "empty_xlsx"),
        _workbook(target, _zip_not_workbook(), "zip_named_xlsx"),
    ]


def _formula_cells(folder: Path, outside: Path) -> None:
    _write_valid(folder, skip="patients.csv")
    (folder / "patients.csv").write_text(PATIENTS.replace("P02", "=HYPERLINK(1)"), encoding="utf-8")
    (folder / "visits.csv").write_text(VISITS.replace("P02", "=HYPERLINK(1)"), encoding="utf-8")


def _study_toml(content: bytes | None, error: str, label: str) -> Case:
    def build(folder: Path, outside: Path) -> None:
        _write_valid(folder)
        if content is None:
            (folder / "study.toml").mkdir()
        else:
            (folder / "study.toml").write_bytes(content)

    return Case(f"{label}:study.toml", build, error)


def _study_toml_link(folder: Path, outside: Path) -> None:
    _write_valid(folder)
    (outside / "study.toml").write_text("[design]\n", encoding="utf-8")
    (folder / "study.toml").symlink_to(outside / "study.toml")


def _missing(target: str) -> Case:
    return Case(f"missing:{target}", lambda folder, outside: _write_valid(folder, skip=target), f"has no {target}")


CASES: tuple[Case, ...] = (
    *_cases_for("patients.csv"),
    *_cases_for("visits.csv"),
    _bytes_case("empty", "adverse_events.csv", b"", "adverse_events.csv is empty; expected a header row"),
    _bytes_case(
        "latin1",
        "adverse_events.csv",
        ADVERSE_EVENTS.replace("headache", "c\u00e9phal\u00e9e").encode("latin-1"),
        "adverse_events.csv, line 2: not UTF-8 text (byte 0xe9)",
    ),
    _bytes_case(
        "ragged_row",
        "adverse_events.csv",
        ADVERSE_EVENTS.replace("none\n", "none,x\n").encode(),
        "adverse_events.csv, line 2: 7 fields, but the header has 6",
    ),
    _directory("adverse_events.csv"),
    _link_out("adverse_events.csv"),
    _missing("patients.csv"),
    _missing("visits.csv"),
    Case("formula_cells", _formula_cells),
    _study_toml(b"\xff\xfe[design", "study.toml of 'study' is not UTF-8 text; save it as UTF-8", "not_utf8"),
    _study_toml(b"[design\n", "study.toml of 'study' is not valid TOML", "not_toml"),
    _study_toml(None, "cannot read study.toml of 'study': Is a directory", "directory"),
    Case("link_out:study.toml", _study_toml_link, "study.toml in study folder 'study' is a link to "),
)
"""Every case of the corpus."""
