"""The measures: pages and API lists through Django's test client (in process, no network),
service calls, exports, labels and import.

Each measure runs ``warmup`` times untimed, then ``runs`` times timed (median and p95 of the
wall time), then once more inside ``CaptureQueriesContext`` (number of SQL queries) and
once more under ``tracemalloc`` (peak of Python memory). The two instrumented runs are
kept apart from the timed ones, whose figures they would distort.
"""

from __future__ import annotations

import csv
import io
import math
import statistics
import time
import tracemalloc
from dataclasses import dataclass
from datetime import date, timedelta

from django.db import connection, transaction
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

PAGE_MS = 50  # median, every page and API list
PAGE_P95_MS = 100
SCAN_MS = 20  # scan lookup and device page
DASHBOARD_MS = 300
EXPORT_S = 10
EXPORT_PEAK_MB = 50  # "constant memory": the same bound for a year and for ten years
LABELS_S = 2
IMPORT_ROWS_PER_S = 2000
DEEP_PAGE_RATIO = 2
GROWTH_RATIO = 1.5

HTML_PAGE_SIZE = 25
API_PAGE_SIZE = 50


@dataclass
class Options:
    runs: int = 20
    warmup: int = 2
    import_rows: int = 10_000
    import_runs: int = 3
    labels: int = 1000
    label_runs: int = 3


class Rollback(Exception):
    """Raised to undo a measured write (the import), so the dataset stays as generated."""


def percentile(values, fraction):
    """Nearest-rank percentile: with 20 runs, p95 is the 19th fastest."""
    ordered = sorted(values)
    return ordered[max(0, math.ceil(fraction * len(ordered)) - 1)]


def instrumented(fn):
    """``(queries, peak_mb)`` of one more call of ``fn``."""
    with CaptureQueriesContext(connection) as captured:
        fn()
    queries = len(captured)
    tracemalloc.start()
    try:
        tracemalloc.reset_peak()
        fn()
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    return queries, round(peak / 1024 / 1024, 2)


def timed(fn, *, runs, warmup, setup=None):
    """Milliseconds of ``runs`` calls of ``fn`` after ``warmup`` untimed ones; ``setup``
    (untimed) runs before each call and its result is passed to ``fn``."""
    samples = []
    for index in range(warmup + runs):
        argument = setup() if setup else None
        started = time.perf_counter()
        fn(argument) if setup else fn()
        elapsed = (time.perf_counter() - started) * 1000
        if index >= warmup:
            samples.append(elapsed)
    return samples


def entry(name, value, unit, target, met, **extra):
    return {"name": name, "value": value, "unit": unit, "target": target, "met": bool(met), **extra}


def page_entry(name, samples, queries, peak_mb, *, target_ms=PAGE_MS, p95_ms=PAGE_P95_MS, **extra):
    median = round(statistics.median(samples), 2)
    p95 = round(percentile(samples, 0.95), 2)
    met = median < target_ms and (p95_ms is None or p95 < p95_ms)
    text = f"median < {target_ms} ms" + (f", p95 < {p95_ms} ms" if p95_ms else "")
    return entry(
        name,
        median,
        "ms",
        target_ms,
        met,
        target_text=text,
        p95=p95,
        min=round(min(samples), 2),
        runs=len(samples),
        queries=queries,
        peak_mb=peak_mb,
        **extra,
    )


class Bench:
    def __init__(self, dataset: dict, options: Options, log=print):
        from apps.accounts.choices import Role
        from apps.accounts.models import User

        self.dataset = dataset
        self.options = options
        self.log = log
        self.results = []
        self.only = None
        users = User.objects.filter(username__startswith="bench-")
        self.users = {role: users.filter(groups__name=role.value).order_by("pk").first() for role in Role}
        self.clients = {}
        for role, user in self.users.items():
            client = Client()
            client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
            self.clients[role] = client

    # Helpers ---------------------------------------------------------------------------------

    def client(self, role):
        return self.clients[role]

    def get(self, role, url, *, status=200, consume=False):
        client = self.client(role)

        def call():
            response = client.get(url)
            if response.status_code != status:
                raise AssertionError(f"GET {url}: {response.status_code}, expected {status}")
            if consume:
                self.last_bytes = sum(len(chunk) for chunk in response.streaming_content)
            else:
                self.last_bytes = len(response.content)
            return self.last_bytes

        return call

    def add(self, result):
        self.results.append(result)
        extra = f" p95 {result['p95']}" if "p95" in result else ""
        queries = f" q={result['queries']}" if "queries" in result else ""
        mark = "ok " if result["met"] else "MISS"
        if "error" in result:
            self.log(f"  ERROR {result['name']}: {result['error']}")
        self.log(f"  {mark} {result['name']:<34} {result['value']:>10} {result['unit']}{extra}{queries}")

    def page(self, name, role, url, *, status=200, target_ms=PAGE_MS, p95_ms=PAGE_P95_MS, **extra):
        call = self.get(role, url, status=status)
        samples = timed(call, runs=self.options.runs, warmup=self.options.warmup)
        queries, peak = instrumented(call)
        result = page_entry(
            name, samples, queries, peak, target_ms=target_ms, p95_ms=p95_ms, url=url, **extra
        )
        self.add(result)
        return result

    def run(self, only=None):
        steps = [
            ("device_list", self.device_lists),
            ("device_page", self.device_page),
            ("scan", self.scans),
            ("household_page", self.household_page),
            ("course_page", self.course_page),
            ("enrol_screen", self.enrol_screen),
            ("allocation_reserve", self.reserve_screen),
            ("lists", self.other_lists),
            ("hand_over", self.hand_over),
            ("dashboard", self.dashboard),
            ("export", self.exports),
            ("labels", self.labels),
            ("import", self.import_devices),
        ]
        self.only = only
        for prefix, step in steps:
            if only and not any(name.startswith(prefix) or prefix.startswith(name) for name in only):
                continue
            try:
                step()
            except Exception as exc:  # noqa: BLE001 - one broken measure must not hide the others
                self.add(entry(prefix, 0.0, "error", 0, False, error=f"{type(exc).__name__}: {exc}"))
        if only:
            self.results = [
                r
                for r in self.results
                if any(r["name"].startswith(n) or n.startswith(r["name"]) for n in only)
            ]
        return self.results

    def wanted(self, name):
        return not self.only or any(name.startswith(n) or n.startswith(name) for n in self.only)

    # Device lists ------------------------------------------------------------------------------

    def device_lists(self):
        from apps.accounts.choices import Role
        from apps.devices.models import Device

        total = Device.objects.count()
        ready = Device.objects.filter(status="ready").count()

        def deep(count, size):
            return max(1, math.ceil(count / size) // 2)

        tech = Role.TECHNICIAN
        for kind, url, size in (
            ("html", "/devices/", HTML_PAGE_SIZE),
            ("api", "/api/devices/", API_PAGE_SIZE),
        ):
            group = f"device_list_{kind}"
            if self.only and not any(group.startswith(n) or n.startswith(group) for n in self.only):
                continue
            first = self.page(f"device_list_{kind}_first", tech, url, rows=total)
            page = deep(total, size)
            self.deep(f"device_list_{kind}_deep", tech, f"{url}?page={page}", first, page=page, rows=total)
            first = self.page(f"device_list_{kind}_status_first", tech, f"{url}?status=ready", rows=ready)
            page = deep(ready, size)
            self.deep(
                f"device_list_{kind}_status_deep", tech, f"{url}?status=ready&page={page}", first, page=page
            )
            self.page(f"device_list_{kind}_search", tech, f"{url}?q=latitude")

    def deep(self, name, role, url, first, **extra):
        result = self.page(name, role, url, **extra)
        ratio = round(result["value"] / first["value"], 2) if first["value"] else None
        result["first_page_ratio"] = ratio
        result["target_text"] += f", within {DEEP_PAGE_RATIO}× the first page"
        result["met"] = bool(result["met"] and ratio is not None and ratio <= DEEP_PAGE_RATIO)
        result["queries_as_first_page"] = result["queries"] == first["queries"]
        return result

    # Device page and scans -----------------------------------------------------------------------

    def device_page(self):
        from apps.accounts.choices import Role
        from apps.devices.models import Device
        from apps.devices.timeline import device_timeline

        tag = self.dataset["timeline_tag"]
        events = len(device_timeline(Device.objects.get(asset_tag=tag)))
        self.page(
            "device_page_long_timeline",
            Role.TECHNICIAN,
            f"/devices/{tag}/",
            target_ms=SCAN_MS,
            p95_ms=None,
            events=events,
        )
        # The page shows the latest events; the whole life is on its own page, a page like
        # any other.
        self.page("device_timeline_full", Role.TECHNICIAN, f"/devices/{tag}/timeline/", events=events)

    def scans(self):
        from apps.accounts.choices import Role

        tag = self.dataset["timeline_tag"]
        self.page("scan_short_url", Role.TECHNICIAN, f"/d/{tag}", status=302, target_ms=SCAN_MS, p95_ms=None)
        # What a hurried thumb types in the search box: lower case and a stray space.
        typed = tag.lower().replace("-", "- ")
        self.page(
            "scan_find_box",
            Role.TECHNICIAN,
            f"/devices/find/?tag={typed}",
            status=302,
            target_ms=SCAN_MS,
            p95_ms=None,
        )

    # Households, courses ---------------------------------------------------------------------------

    def household_page(self):
        from apps.accounts.choices import Role

        self.page("household_page", Role.COORDINATOR, f"/households/{self.dataset['household_id']}/")

    def course_page(self):
        from apps.accounts.choices import Role
        from apps.training.models import Attendance

        course = self.dataset["course_id"]
        attendance = Attendance.objects.filter(session__course_id=course).count()
        self.page("course_page", Role.COORDINATOR, f"/training/courses/{course}/", attendance_rows=attendance)
        # A trainer's own latest course, which also offers to enrol a household.
        self.page("course_page_trainer", Role.TRAINER, f"/training/courses/{self.trainers_course().pk}/")

    def trainers_course(self):
        from apps.accounts.choices import Role
        from apps.training.models import Course

        trainer = self.users[Role.TRAINER]
        return Course.objects.filter(structure_id=trainer.structure_id).order_by("-starts_on", "-pk").first()

    def enrol_screen(self):
        from urllib.parse import urlencode

        from apps.accounts.choices import Role

        url = f"/training/courses/{self.trainers_course().pk}/enrol/"
        self.page("enrol_screen_latest", Role.TRAINER, url)
        self.page("enrol_screen_search", Role.TRAINER, f"{url}?{urlencode({'q': self.household_surname()})}")

    def household_surname(self):
        from apps.households.models import Household

        return Household.objects.get(pk=self.dataset["household_id"]).contact_name.split()[-1]

    # The other lists and forms, as the role that uses them sees them ---------------------------

    OTHER_LISTS = (
        # name, role, url
        ("lists_donations_html", "technician", "/donations/"),
        ("lists_donations_api", "technician", "/api/donations/"),
        # The donor is chosen first: the 20 recorded last, a name searched, then the form.
        ("lists_donation_form", "technician", "/donations/new/"),
        ("lists_donation_form_search", "technician", "/donations/new/?q=donateur+0001"),
        ("lists_donation_form_chosen", "technician", "/donations/new/?donor=1"),
        ("lists_households_trainer", "trainer", "/households/"),
        ("lists_allocations_html", "coordinator", "/allocations/"),
        ("lists_allocations_api", "coordinator", "/api/allocations/"),
        ("lists_follow_ups_due_trainer", "trainer", "/allocations/?view=follow_ups"),
        ("lists_overdue_loans_trainer", "trainer", "/allocations/?view=overdue"),
        ("lists_sessions_api", "coordinator", "/api/sessions/"),
        ("lists_enrolments_api", "coordinator", "/api/enrolments/"),
        ("lists_attendance_api", "coordinator", "/api/attendance/"),
        ("lists_follow_ups_api", "coordinator", "/api/follow-ups/"),
        ("lists_audit_history", "coordinator", "/reports/history/"),
    )

    def other_lists(self):
        from apps.accounts.choices import Role

        for name, role, url in self.OTHER_LISTS:
            self.page(name, Role(role), url)

    # Reservation and hand-over -------------------------------------------------------------------

    def reserve_screen(self):
        from urllib.parse import urlencode

        from apps.accounts.choices import Role

        # The coordinator sees every enrolment of the territory: the screen's worst case.
        self.page("allocation_reserve_latest", Role.COORDINATOR, "/allocations/new/")
        surname = self.household_surname()
        self.page(
            "allocation_reserve_search", Role.COORDINATOR, f"/allocations/new/?{urlencode({'q': surname})}"
        )

    def hand_over(self):
        """The whole ``hand_over`` service call, on a reservation made just before (untimed)."""
        from apps.accounts.choices import Role
        from apps.allocations import services
        from apps.allocations.choices import AllocationKind
        from apps.devices.models import Device
        from apps.training.choices import EnrolmentStatus
        from apps.training.selectors import completed_enrolments

        actor = self.users[Role.COORDINATOR]
        enrolment = (
            completed_enrolments()
            .filter(status=EnrolmentStatus.ENROLLED)
            .select_related("course", "household")
            .order_by("-pk")
            .first()
        )
        needed = self.options.warmup + self.options.runs + 2
        devices = iter(
            Device.objects.filter(status="ready", allocation_items__isnull=True).order_by("pk")[: needed * 2]
        )

        def reservation():
            return services.reserve(
                actor=actor, enrolment=enrolment, devices=[next(devices)], kind=AllocationKind.GIFT
            )

        def call(allocation):
            services.hand_over(allocation, actor=actor)

        samples = timed(call, runs=self.options.runs, warmup=self.options.warmup, setup=reservation)
        first, second = reservation(), reservation()
        with CaptureQueriesContext(connection) as captured:
            call(first)
        tracemalloc.start()
        try:
            call(second)
            peak = round(tracemalloc.get_traced_memory()[1] / 1024 / 1024, 2)
        finally:
            tracemalloc.stop()
        self.add(page_entry("allocation_hand_over", samples, len(captured), peak, devices=1))

    # Dashboard -----------------------------------------------------------------------------------

    def year(self):
        from apps.reports.periods import Period

        year = self.dataset["busy_year"]
        return Period(date(year, 1, 1), date(year, 12, 31))

    def dashboard(self):
        from apps.accounts.choices import Role
        from apps.reports import selectors

        period = self.year()

        def figures():
            return selectors.report_figures(period=period)

        samples = timed(figures, runs=self.options.runs, warmup=self.options.warmup)
        queries, peak = instrumented(figures)
        self.add(
            page_entry(
                "dashboard_year_figures",
                samples,
                queries,
                peak,
                target_ms=DASHBOARD_MS,
                p95_ms=None,
                year=period.start.year,
            )  # fmt: skip
        )
        self.page(
            "dashboard_year_page",
            Role.COORDINATOR,
            f"/reports/?start={period.start}&end={period.end}",
            target_ms=DASHBOARD_MS,
            p95_ms=None,
        )

    # Exports -------------------------------------------------------------------------------------

    def exports(self):
        from apps.accounts.choices import Role
        from apps.reports.periods import MAX_DAYS, Period

        today = timezone.localdate()
        periods = {"year": self.year(), "all": Period(today - timedelta(days=MAX_DAYS - 1), today)}
        runs = max(1, min(5, self.options.runs))
        for label, period in periods.items():
            rows = self.handover_rows(period)
            for extension in ("csv", "xlsx"):
                if not self.wanted(f"export_{label}_{extension}"):
                    continue
                url = f"/reports/handovers.{extension}?start={period.start}&end={period.end}"
                call = self.get(Role.COORDINATOR, url, consume=True)
                samples = timed(call, runs=runs, warmup=1)
                queries, peak = instrumented(call)
                seconds = round(statistics.median(samples) / 1000, 3)
                self.add(
                    entry(
                        f"export_{label}_{extension}",
                        seconds,
                        "s",
                        EXPORT_S,
                        seconds < EXPORT_S and peak < EXPORT_PEAK_MB,
                        target_text=f"< {EXPORT_S} s for 60,000 rows, peak Python memory < {EXPORT_PEAK_MB} MB "
                        "whatever the number of rows (streamed)",
                        rows=rows,
                        rows_per_s=round(rows / seconds) if seconds else None,
                        bytes=self.last_bytes,
                        queries=queries,
                        peak_mb=peak,
                        runs=runs,
                        url=url,
                    )  # fmt: skip
                )

    def handover_rows(self, period):
        from apps.reports import selectors

        return selectors.handover_lines(period, None).count()

    # Labels, import ------------------------------------------------------------------------------

    def labels(self):
        from bench.labels_bench import measure_labels

        results = [measure_labels(self.options.labels, "L7160") for _ in range(self.options.label_runs)]
        seconds = statistics.median(r["seconds"] for r in results)
        cpu = statistics.median(r["cpu_seconds"] for r in results)
        self.add(
            entry(
                f"labels_{self.options.labels}_L7160",
                seconds,
                "s",
                LABELS_S,
                seconds < LABELS_S,
                target_text=f"1,000 labels in < {LABELS_S} s",
                labels=self.options.labels,
                cpu_seconds=cpu,
                pages=results[0]["pages"],
                runs=len(results),
            )  # fmt: skip
        )

    def import_devices(self):
        """``import_devices`` of a CSV of ``import_rows`` rows, history included; each run is
        rolled back afterwards so the dataset stays the same."""
        from apps.accounts.choices import Role
        from apps.devices import services
        from apps.devices.models import Donation

        rows = self.options.import_rows
        content = import_csv(rows)
        donation = Donation.objects.order_by("-pk").first()
        actor = self.users[Role.TECHNICIAN]

        def call():
            try:
                with transaction.atomic():
                    result = services.import_devices(
                        donation=donation, content=content, filename="inventaire.csv", actor=actor
                    )
                    assert len(result.devices) == rows
                    raise Rollback
            except Rollback:
                pass

        samples = timed(call, runs=self.options.import_runs, warmup=0)
        with CaptureQueriesContext(connection) as captured:
            call()
        seconds = statistics.median(samples) / 1000
        rate = round(rows / seconds)
        self.add(
            entry(
                f"import_{rows}_rows",
                rate,
                "rows/s",
                IMPORT_ROWS_PER_S,
                rate >= IMPORT_ROWS_PER_S,
                target_text=f">= {IMPORT_ROWS_PER_S} rows/s, history included",
                higher_is_better=True,
                seconds=round(seconds, 3),
                rows=rows,
                runs=len(samples),
                queries=len(captured),
            )  # fmt: skip
        )


def import_csv(rows: int) -> bytes:
    """A donor's inventory, as French spreadsheets export it (semicolons, French headers)."""
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";")
    writer.writerow(
        ["Type", "Marque", "Modèle", "Numéro de série", "Processeur", "RAM", "Stockage", "Type de disque",
         "Système", "État", "Poids", "Emplacement"]
    )  # fmt: skip
    kinds = [("Portable", "Dell", "Latitude E7450", "1,8 kg"), ("Fixe", "HP", "ProDesk 600 G2", "6,5")]
    for n in range(rows):
        kind, brand, model, weight = kinds[n % 2]
        writer.writerow(
            [kind, brand, model, f"IMP{n:07d}", "Intel Core i5", "8 Go", "256 Go", "SSD", "Windows 10", "B",
             weight, "Arrivage"]
        )  # fmt: skip
    return out.getvalue().encode("utf-8")
