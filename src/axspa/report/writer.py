"""Write a report: one self-contained HTML file, Markdown, a CSV per table, PNG and SVG per figure.

The HTML file embeds its figures as base64 PNG and its style inline; it references no network
asset (no CDN, no web font, no remote script), so it opens offline and can be archived as is.
"""

from __future__ import annotations

import base64
import html
import io
import platform
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from importlib import metadata
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import quote

import pandas as pd

from axspa.errors import InputError
from axspa.report.table import Table, markdown_text
from axspa.results import Result, compact
from axspa.spreadsheet import write_csv

if TYPE_CHECKING:
    from matplotlib.figure import Figure

__all__ = ["Report", "ReportFigure", "package_versions", "render_html", "render_markdown", "write_report"]

_PACKAGES = ("axspa", "numpy", "pandas", "scipy", "matplotlib", "pydantic")

_STYLE = """
body{font-family:system-ui,-apple-system,"Segoe UI",Helvetica,Arial,sans-serif;max-width:70em;margin:2em auto;
padding:0 1em;color:#222;line-height:1.4}
h1{font-size:1.5em}h2{font-size:1.25em;border-bottom:1px solid #ccc;margin-top:2em}
table{border-collapse:collapse;font-size:.9em;margin:.5em 0}
th,td{border:1px solid #ccc;padding:.25em .5em;text-align:left;vertical-align:top}
th{background:#f3f3f3}figcaption{font-weight:600;margin:.5em 0}
ul.notes{font-size:.85em;color:#444}img{max-width:100%;height:auto}
"""


@dataclass(frozen=True, eq=False, slots=True, repr=False)
class ReportFigure(Result):
    """A figure of the report.

    Attributes
    ----------
    name : str
        File stem (``figure1_indices``) and HTML anchor.
    caption : str
        Caption; it should name the population, imputation and test convention.
    figure : matplotlib Figure
        The drawn figure (``ax.figure`` of a plotting function's Axes).
    """

    name: str
    caption: str
    figure: Figure

    def _summary_items(self) -> list[tuple[str, str]]:
        return [("name", compact(self.name)), ("caption", compact(self.caption))]

    def to_frame(self) -> pd.DataFrame:
        """One row: name and caption."""
        return pd.DataFrame([{"name": self.name, "caption": self.caption}])

    def image_bytes(self, fmt: str) -> bytes:
        """The figure rendered as ``"png"`` or ``"svg"`` with the Agg canvas (no display needed)."""
        from matplotlib.backends.backend_agg import FigureCanvasAgg

        if fmt not in ("png", "svg"):
            raise InputError(f"figure format must be 'png' or 'svg'; got {fmt!r}")
        from matplotlib import rc_context

        FigureCanvasAgg(self.figure)
        buf = io.BytesIO()
        meta = {"Date": None} if fmt == "svg" else {}
        with rc_context({"text.parse_math": False}):  # data in a text made at drawing time: no mathtext
            self.figure.savefig(buf, format=fmt, dpi=110, metadata=meta)
        return buf.getvalue()


@dataclass(frozen=True, eq=False, slots=True, repr=False)
class Report(Result):
    """Everything a written report holds.

    Attributes
    ----------
    title : str
        Report title.
    tables : sequence of Table
        In order of appearance.
    figures : sequence of ReportFigure
        In order of appearance.
    methods : sequence of str
        Paragraphs of the methods section: populations, imputations, tests, conventions.
    summary : sequence of str
        Lines about the data (study name, rows loaded, rows excluded).
    versions : mapping
        Package name to version.
    """

    title: str
    tables: Sequence[Table]
    figures: Sequence[ReportFigure]
    methods: Sequence[str]
    summary: Sequence[str] = ()
    versions: Mapping[str, str] = field(default_factory=lambda: package_versions())

    def __post_init__(self) -> None:
        names = [t.name for t in self.tables] + [f.name for f in self.figures]
        dup = sorted({n for n in names if names.count(n) > 1})
        if dup:
            raise InputError(f"table and figure names must be unique in a report; repeated: {dup}")

    def _repr_html_(self) -> str:
        return render_html(self)

    def _summary_items(self) -> list[tuple[str, str]]:
        return [
            ("title", compact(self.title)),
            ("tables", compact([t.name for t in self.tables])),
            ("figures", compact([f.name for f in self.figures])),
            ("methods", f"{len(self.methods)} paragraphs"),
        ]

    def to_frame(self) -> pd.DataFrame:
        """One row per table and figure: kind, name and title or caption."""
        rows = [{"kind": "table", "name": t.name, "title": t.title} for t in self.tables]
        rows += [{"kind": "figure", "name": f.name, "title": f.caption} for f in self.figures]
        return pd.DataFrame(rows, columns=["kind", "name", "title"])


def package_versions() -> dict[str, str]:
    """Versions of Python and of the packages the results depend on."""
    out = {"python": platform.python_version()}
    for name in _PACKAGES:
        try:
            out[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            out[name] = "not installed"
    return out


def _methods_items(report: Report) -> list[str]:
    notes: list[str] = []
    for t in report.tables:
        notes.extend(n for n in t.notes if n not in notes)
    return notes


def render_html(report: Report, *, images: Mapping[str, bytes] | None = None) -> str:
    """The whole report as one self-contained HTML document (figures as base64 PNG).

    ``images`` maps a figure name to its PNG bytes when already rendered (saves rendering twice).
    """
    images = images or {}
    esc = html.escape
    parts = [
        "<!DOCTYPE html>",
        '<html lang="en"><head><meta charset="utf-8">',
        f"<title>{esc(report.title)}</title><style>{_STYLE}</style></head><body>",
        f"<h1>{esc(report.title)}</h1>",
    ]
    if report.summary:
        parts.append("<h2>Data</h2><ul>" + "".join(f"<li>{esc(s)}</li>" for s in report.summary) + "</ul>")
    parts.append("<h2>Tables</h2>")
    parts.extend(t.to_html() for t in report.tables)
    parts.append("<h2>Figures</h2>")
    for f in report.figures:
        png = images[f.name] if f.name in images else f.image_bytes("png")
        data = base64.b64encode(png).decode("ascii")
        parts.append(
            f'<figure class="axspa-figure" id="figure-{esc(f.name)}">'
            f'<img alt="{esc(f.caption)}" src="data:image/png;base64,{data}">'
            f"<figcaption>{esc(f.caption)}</figcaption></figure>"
        )
    parts.append("<h2>Methods</h2>")
    parts.extend(f"<p>{esc(m)}</p>" for m in report.methods)
    parts.append("<h3>Populations, denominators, imputations and tests, as used in the tables</h3><ul>")
    parts.extend(f"<li>{esc(n)}</li>" for n in _methods_items(report))
    parts.append("</ul><h3>Software</h3><ul>")
    parts.extend(f"<li>{esc(k)} {esc(v)}</li>" for k, v in report.versions.items())
    parts.append("</ul></body></html>")
    return "\n".join(parts) + "\n"


def render_markdown(report: Report, *, figure_dir: str = "figures") -> str:
    """The report as Markdown; figures are linked as ``{figure_dir}/{name}.png``.

    Every text that can carry data is escaped with :func:`axspa.report.table.markdown_text`: the Markdown holds
    no live HTML, link or image other than the report's own figures.
    """
    md = markdown_text
    lines = [f"# {md(report.title)}", ""]
    if report.summary:
        lines += ["## Data", "", *(f"- {md(s)}" for s in report.summary), ""]
    lines += ["## Tables", ""]
    for t in report.tables:
        lines += [t.to_markdown()]
    lines += ["## Figures", ""]
    for f in report.figures:
        lines += [f"![{md(f.caption)}]({figure_dir}/{quote(f.name)}.png)", "", f"*{md(f.caption)}*", ""]
    lines += ["## Methods", "", *(f"{md(m)}\n" for m in report.methods)]
    lines += ["### Populations, denominators, imputations and tests, as used in the tables", ""]
    lines += [f"- {md(n)}" for n in _methods_items(report)]
    lines += ["", "### Software", "", *(f"- {md(k)} {md(v)}" for k, v in report.versions.items()), ""]
    return "\n".join(lines)


def write_report(report: Report, out_dir: str | Path) -> dict[str, Path]:
    """Write ``report.html``, ``report.md``, ``tables/<name>.csv`` (tidy, unrounded),
    ``tables/<name>_view.csv`` and ``figures/<name>.png`` and ``.svg`` into ``out_dir``.

    Returns
    -------
    dict
        Output kind (``"html"``, ``"markdown"``, ``"table:<name>"``, ``"view:<name>"``,
        ``"png:<name>"``, ``"svg:<name>"``) to path.

    Raises
    ------
    InputError
        If ``out_dir`` exists and is not a folder.
    """
    out = Path(out_dir)
    if out.exists() and not out.is_dir():
        raise InputError(f"output {str(out)!r} exists and is not a folder")
    (out / "tables").mkdir(parents=True, exist_ok=True)
    (out / "figures").mkdir(parents=True, exist_ok=True)
    paths: dict[str, Path] = {}
    for t in report.tables:
        p = out / "tables" / f"{t.name}.csv"
        write_csv(t.data, p)
        paths[f"table:{t.name}"] = p
        p = out / "tables" / f"{t.name}_view.csv"
        write_csv(t.view, p)
        paths[f"view:{t.name}"] = p
    pngs: dict[str, bytes] = {}
    for f in report.figures:
        pngs[f.name] = f.image_bytes("png")
        engine = f.figure.get_layout_engine()
        # the layout found drawing the PNG serves the SVG too (laying out again costs a third of a drawing);
        # the figure gets its layout engine back afterwards
        f.figure.set_layout_engine("none")
        svg = f.image_bytes("svg")
        f.figure.set_layout_engine(engine)
        for fmt, content in (("png", pngs[f.name]), ("svg", svg)):
            p = out / "figures" / f"{f.name}.{fmt}"
            p.write_bytes(content)
            paths[f"{fmt}:{f.name}"] = p
    p = out / "report.md"
    p.write_text(render_markdown(report), encoding="utf-8")
    paths["markdown"] = p
    p = out / "report.html"
    p.write_text(render_html(report, images=pngs), encoding="utf-8")
    paths["html"] = p
    return paths
