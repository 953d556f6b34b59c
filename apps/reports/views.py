"""The coordinator's dashboard, its exports and PDF, and the audit history.

Thin: every figure comes from ``selectors.report_figures``, laid out by ``tables``; the
views only read the period, pick a renderer and answer.
"""

from django.contrib.auth.decorators import permission_required
from django.http import Http404, HttpResponse, HttpResponseBadRequest
from django.shortcuts import render
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext as _

from apps.core.ids import is_id

from . import audit, charts, documents, exports, selectors, tables
from .forms import HistoryFilterForm, PeriodForm
from .periods import quick_periods

PERMISSION = "reports.view_report"
HISTORY_PAGE_SIZE = audit.PAGE_SIZE
# Beyond three years the monthly chart grows too long to read; the table lists every month.
MAX_CHART_MONTHS = 36


def _query(period, structure):
    params = {"start": period.start.isoformat(), "end": period.end.isoformat()}
    if structure is not None:
        params["structure"] = structure.pk
    return urlencode(params)


def _read_period(request):
    """``(period, structure)`` from the query string, or a 400 response listing the errors."""
    form = PeriodForm.from_query(request.GET)
    if not form.is_valid():
        errors = "; ".join(f"{name}: {' '.join(messages)}" for name, messages in form.errors.items())
        return None, None, HttpResponseBadRequest(errors, content_type="text/plain; charset=utf-8")
    return form.period, form.cleaned_data["structure"], None


def svg_charts(report, report_tables):
    """The dashboard's charts, drawn from the same tables it shows."""
    months = len(report.flows)
    data = tables.chart_data(report, report_tables)
    drawn = {}
    for key, chart in data.items():
        if not chart["categories"] or (key == "flows" and months > MAX_CHART_MONTHS):
            continue
        drawn[key] = charts.bar_chart(
            chart_id=f"chart-{key}",
            labelledby=f"caption-{key}",
            categories=chart["categories"],
            series=[charts.Series(label, values) for label, values in chart["series"]],
        )
    return drawn


@permission_required(PERMISSION, raise_exception=True)
def dashboard(request):
    form = PeriodForm.from_query(request.GET)
    structure_id = request.GET.get("structure", "")
    quick = [
        {
            "label": label,
            "url": "?"
            + urlencode({"start": p.start.isoformat(), "end": p.end.isoformat(), "structure": structure_id}),
            "period": p,
        }
        for label, p in quick_periods()
    ]
    context = {"form": form, "quick_periods": quick}
    if form.is_valid():
        period, structure = form.period, form.cleaned_data["structure"]
        report = selectors.report_figures(period=period, structure=structure)
        report_tables = tables.report_tables(report)
        for link in quick:
            link["current"] = link["period"] == period
        context.update(
            report=report,
            tables=report_tables,
            charts=svg_charts(report, report_tables),
            max_chart_months=MAX_CHART_MONTHS,
            definitions=tables.definitions(),
            query=_query(period, structure),
        )
    return render(request, "reports/dashboard.html", context)


@permission_required(PERMISSION, raise_exception=True)
def table_export(request, key, extension):
    if key not in tables.KEYS:
        raise Http404
    period, structure, error = _read_period(request)
    if error:
        return error
    table = tables.report_tables(selectors.report_figures(period=period, structure=structure))[key]
    filename = exports.filename(key, period, structure, extension)
    if extension == "csv":
        return exports.csv_response(filename, table.header, table.all_rows())
    return exports.xlsx_response(
        filename, [(table.title, table.header, table.all_rows(), exports.table_widths(table))]
    )


@permission_required(PERMISSION, raise_exception=True)
def workbook_export(request):
    """Every table of the report in one workbook, one sheet each, after a sheet that says
    which period and structure it covers."""
    period, structure, error = _read_period(request)
    if error:
        return error
    report_tables = tables.report_tables(selectors.report_figures(period=period, structure=structure))
    about = [
        (_("Period from"), period.start),
        (_("Period to (included)"), period.end),
        (_("Structure"), str(structure) if structure else _("All partner structures")),
        (_("Made on"), timezone.localdate()),
    ]
    sheets = [(_("Report"), [_("Activity report"), ""], about, [30, 40])]
    sheets += [
        (table.title, table.header, table.all_rows(), exports.table_widths(table))
        for table in report_tables.values()
    ]
    return exports.xlsx_response(exports.filename("report", period, structure, "xlsx"), sheets)


@permission_required(PERMISSION, raise_exception=True)
def handovers(request, extension):
    period, structure, error = _read_period(request)
    if error:
        return error
    return exports.handover_file(period, structure, extension)


@permission_required(PERMISSION, raise_exception=True)
def report_pdf(request):
    period, structure, error = _read_period(request)
    if error:
        return error
    report = selectors.report_figures(period=period, structure=structure)
    response = HttpResponse(documents.report_pdf(report), content_type="application/pdf")
    response["Content-Disposition"] = (
        f'inline; filename="{exports.filename("report", period, structure, "pdf")}"'
    )
    return response


# Audit -----------------------------------------------------------------------------------------


def _history(request, *, template, record=None, form=None, **filters):
    query = request.GET.copy()
    for name in ("older", "newer"):
        query.pop(name, None)
    newer = "newer" in request.GET
    page = audit.history_page(
        record=record,
        cursor=request.GET.get("newer" if newer else "older", ""),
        newer=newer,
        size=HISTORY_PAGE_SIZE,
        **filters,
    )
    audit.mask_personal(page.entries, request.user)
    return render(
        request,
        template,
        {
            "form": form,
            "page": page,
            "entries": page.entries,
            "query": query.urlencode(),
            **(record_context(record, page)),
        },
    )


def record_context(record, page):
    if record is None:
        return {}
    kind_key, pk = record
    own = [e for e in page.entries if e.kind.key == kind_key]
    return {"kind": audit.KINDS[kind_key], "pk": pk, "record_entry": own[0] if own else None}


@permission_required(PERMISSION, raise_exception=True)
def history(request):
    form = HistoryFilterForm(request.GET or None)
    filters = {}
    if form.is_bound and form.is_valid():
        data = form.cleaned_data
        filters = {
            "kinds": [data["kind"]] if data["kind"] else None,
            "actor": data["actor"],
            "since": data["since"],
            "until": data["until"],
        }
    elif form.is_bound:
        return render(request, "reports/history.html", {"form": form, "entries": [], "page": None})
    return _history(request, template="reports/history.html", form=form, **filters)


@permission_required(PERMISSION, raise_exception=True)
def object_history(request, kind, pk):
    if kind not in audit.KINDS or not is_id(pk):
        raise Http404
    return _history(request, template="reports/object_history.html", record=(kind, pk))
