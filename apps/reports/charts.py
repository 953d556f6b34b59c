"""Bar charts as inline SVG, drawn by the server: no script, nothing fetched from elsewhere.

Pure rendering: numbers and labels in, SVG text out. Readable without colour: each series
has its own fill pattern (solid, hatched, dotted) with a dark outline, a legend shows the
patterns, and every bar carries its value as text. The page puts the chart in a
``<figure>`` whose caption labels it, next to the table it draws (its text alternative).
Only presentation attributes are used (no ``style``), which the content security policy allows.
"""

from dataclasses import dataclass
from xml.sax.saxutils import escape, quoteattr

from django.utils.formats import number_format
from django.utils.safestring import mark_safe

# Narrow on purpose: drawn at its own size on a wide screen, it shrinks little on a phone.
WIDTH = 400
FONT = 14
CHAR = 7.8  # average width of a character at FONT, for laying out the legend
BAR = 16
BAR_GAP = 3
LABEL_HEIGHT = 20
GROUP_GAP = 10
VALUE_ROOM = 56
INK = "#1b1f23"
BRAND = "#1f5f8b"
MAX_LABEL = 48

# Darkest first: the first series stands out most, in colour and in grey alike.
PATTERNS = ("solid", "hatch", "dots")


@dataclass(frozen=True)
class Series:
    label: str
    values: tuple


def _defs(chart_id):
    return (
        f'<defs><pattern id="{chart_id}-hatch" width="6" height="6" patternUnits="userSpaceOnUse" '
        f'patternTransform="rotate(45)"><rect width="6" height="6" fill="#ffffff"/>'
        f'<line x1="0" y1="0" x2="0" y2="6" stroke="{BRAND}" stroke-width="3"/></pattern>'
        f'<pattern id="{chart_id}-dots" width="6" height="6" patternUnits="userSpaceOnUse">'
        f'<rect width="6" height="6" fill="#ffffff"/><circle cx="3" cy="3" r="1.4" fill="{INK}"/></pattern></defs>'
    )


def _fill(chart_id, index):
    pattern = PATTERNS[index % len(PATTERNS)]
    return BRAND if pattern == "solid" else f"url(#{chart_id}-{pattern})"


def _format(value):
    if isinstance(value, float):
        return number_format(value, 1, force_grouping=True)
    return number_format(value, force_grouping=True)


def _short(label):
    label = str(label)
    return label if len(label) <= MAX_LABEL else label[: MAX_LABEL - 1] + "…"


def _text(x, y, content, *, anchor="start", weight="normal", full=None):
    title = f"<title>{escape(str(full))}</title>" if full and full != content else ""
    return (
        f'<text x="{x:.1f}" y="{y:.1f}" font-size="{FONT}" font-weight="{weight}" fill="{INK}" '
        f'text-anchor="{anchor}" dominant-baseline="middle">{title}{escape(str(content))}</text>'
    )


def bar_chart(*, chart_id, labelledby, categories, series):
    """Horizontal bars, one group per category (its name above its bars) and one bar per
    series in each group; the value is written at the end of every bar.

    ``chart_id`` keeps the pattern ids of several charts on one page apart; ``labelledby``
    is the id of the caption that names the chart.
    """
    categories = [str(category) for category in categories]
    series = [Series(str(s.label), tuple(s.values)) for s in series]
    plot = WIDTH - VALUE_ROOM
    highest = max((v or 0 for s in series for v in s.values), default=0) or 1
    parts = []
    y = 2
    if len(series) > 1:
        x = 0
        for index, s in enumerate(series):
            width = BAR + 6 + CHAR * len(s.label) + 14
            if x and x + width > WIDTH:
                x, y = 0, y + BAR + 6
            parts.append(
                f'<rect x="{x + 0.5:.1f}" y="{y}" width="{BAR}" height="{BAR}" fill="{_fill(chart_id, index)}" '
                f'stroke="{INK}" stroke-width="1"/>'
            )
            parts.append(_text(x + BAR + 6, y + BAR / 2, s.label))
            x += width
        y += BAR + GROUP_GAP
    for position, category in enumerate(categories):
        parts.append(_text(0, y + LABEL_HEIGHT / 2, _short(category), weight="bold", full=category))
        y += LABEL_HEIGHT
        for index, s in enumerate(series):
            value = s.values[position] or 0
            width = plot * value / highest
            parts.append(
                f'<rect x="1" y="{y:.1f}" width="{width:.1f}" height="{BAR}" '
                f'fill="{_fill(chart_id, index)}" stroke="{INK}" stroke-width="1"/>'
            )
            parts.append(_text(width + 7, y + BAR / 2, _format(value)))
            y += BAR + BAR_GAP
        # The axis the bars of the group grow from.
        top = y - len(series) * (BAR + BAR_GAP)
        parts.append(f'<line x1="1" y1="{top - 2:.1f}" x2="1" y2="{y:.1f}" stroke="{INK}" stroke-width="2"/>')
        y += GROUP_GAP
    height = y
    svg = (
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chart" role="img" aria-labelledby={quoteattr(labelledby)} '
        f'viewBox="0 0 {WIDTH} {height:.0f}" width="{WIDTH}" height="{height:.0f}" '
        f'font-family="system-ui, -apple-system, Segoe UI, Roboto, Arial, sans-serif">'
        f"{_defs(chart_id)}{''.join(parts)}</svg>"
    )
    # Every text in it went through escape() or quoteattr().
    return mark_safe(svg)
