from django import template

from ..tables import format_cell

register = template.Library()


@register.filter
def cell(value):
    """A report cell as text: counts grouped, kg with two decimals, rates with one."""
    return format_cell(value)


@register.simple_tag
def table_rows(table, *, total=False):
    """The rows of ``table`` (or its total line) as lists of ``{"text", "numeric"}`` cells,
    so a template can align numbers without zipping columns and values itself."""
    rows = [table.total] if total else table.rows
    return [
        [
            {"text": format_cell(value), "numeric": column.numeric}
            for column, value in zip(table.columns, row, strict=True)
        ]
        for row in rows
        if row
    ]
