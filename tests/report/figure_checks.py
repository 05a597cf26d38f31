"""Checks on drawn figures shared by the figure tests: which texts collide, what an error bar spans."""

from itertools import combinations


def drawn_texts(fig):
    """(text, window extent) of every text the Agg canvas draws for ``fig``, after drawing it.

    Tick labels count only for ticks inside the axis' view interval (matplotlib keeps Tick objects
    for locations it does not draw); empty and invisible texts do not count.
    """
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.text import Text

    canvas = FigureCanvasAgg(fig)
    canvas.draw()
    renderer = canvas.get_renderer()
    tick_labels, drawn_tick_labels = set(), set()
    for ax in fig.axes:
        for axis in (ax.xaxis, ax.yaxis):
            lo, hi = sorted(axis.get_view_interval())
            tol = 1e-9 * max(hi - lo, 1.0)
            for ticks, locs in (
                (axis.majorTicks, axis.get_majorticklocs()),
                (axis.minorTicks, axis.get_minorticklocs()),
            ):
                tick_labels.update(id(label) for tick in ticks for label in (tick.label1, tick.label2))
                for tick, loc in zip(ticks, locs, strict=False):
                    if lo - tol <= loc <= hi + tol:
                        drawn_tick_labels.update((id(tick.label1), id(tick.label2)))
    texts = [
        t
        for t in fig.findobj(Text)
        if t.get_visible() and t.get_text().strip() and (id(t) not in tick_labels or id(t) in drawn_tick_labels)
    ]
    return [(t, t.get_window_extent(renderer)) for t in texts]


def text_collisions(fig):
    """Pairs of drawn texts whose boxes overlap, and texts that reach outside the figure."""
    boxes = drawn_texts(fig)
    overlaps = [(a.get_text(), b.get_text()) for (a, ba), (b, bb) in combinations(boxes, 2) if ba.overlaps(bb)]
    w, h = fig.bbox.width, fig.bbox.height
    outside = [t.get_text() for t, b in boxes if b.x0 < -1 or b.y0 < -1 or b.x1 > w + 1 or b.y1 > h + 1]
    return overlaps, outside


def errorbar_segments(container):
    """(x, low, high) of each vertical error bar of an ErrorbarContainer."""
    _, _, (bars,) = container.lines
    return [(s[0][0], s[0][1], s[1][1]) for s in bars.get_segments()]
