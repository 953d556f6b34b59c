"""``python -m bench --scale 0.1 --json results.json [--database-url ...] [--only ...] [--compare 0.1]``

Builds (or reuses) a dedicated benchmark database of the given scale, runs the measures and
writes the results as JSON: ``{"scale", "database", "machine", "dataset", "measures": [...]}``
with one ``{"name", "value", "unit", "target", "met", ...}`` entry per measure.

The database is never the developer's: by default a SQLite file under /tmp named after the
scale; with ``--database-url`` a PostgreSQL database whose name contains "bench", created
(and dropped on ``--rebuild``) by the bench itself.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import platform
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parents[1]
MARKER_DIR = Path(tempfile.gettempdir()) / "ordi-bench"


def parse_args(argv=None):
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__.splitlines()[0])
    parser.add_argument("--scale", type=float, default=0.1, help="1 = the full territory (100,000 devices)")
    parser.add_argument("--json", type=Path, help="write the results to this file")
    parser.add_argument(
        "--database-url",
        help="postgres://user@host:5432/ordi_bench (the name must contain 'bench'); "
        "default: a SQLite file under /tmp",
    )
    parser.add_argument("--only", help="comma-separated measure names or prefixes (device_list,export,...)")
    parser.add_argument(
        "--compare", type=float, metavar="SCALE", help="also run at SCALE and record each measure's ratio"
    )
    parser.add_argument("--rebuild", action="store_true", help="generate the dataset again even if it exists")
    parser.add_argument("--seed", type=int, default=None)
    parser.add_argument("--runs", type=int, default=20, help="timed runs per measure (default 20)")
    parser.add_argument("--warmup", type=int, default=2, help="untimed runs before them (default 2)")
    parser.add_argument(
        "--quick",
        action="store_true",
        help="fewer runs, 1,000 import rows and 200 labels: for the smoke test, not for figures",
    )
    return parser.parse_args(argv)


def database_url(args):
    if args.database_url:
        return args.database_url
    name = f"ordi-bench-scale-{args.scale:g}.sqlite3"
    return f"sqlite:///{Path(tempfile.gettempdir()) / name}"


def check_dedicated(url):
    """Refuse anything that could be a real database."""
    parts = urlsplit(url)
    if parts.scheme.startswith("sqlite"):
        path = Path(parts.path).resolve()
        if path == (ROOT / "db.sqlite3").resolve() or ROOT in path.parents:
            sys.exit(f"bench: refusing {path}: the benchmark uses its own database file, outside the project")
        return "sqlite", path
    if parts.scheme.startswith("postgres"):
        name = parts.path.lstrip("/")
        if "bench" not in name:
            sys.exit(f"bench: refusing database {name!r}: its name must contain 'bench' (e.g. ordi_bench)")
        return "postgresql", name
    sys.exit(f"bench: unsupported database URL {url}")


RANDOM_PAGE_COST = 1.1


def prepare_postgres(url, name, *, drop):
    """Create the benchmark database (dropping it first on ``drop``) from the maintenance db."""
    import psycopg

    parts = urlsplit(url)
    admin = urlunsplit((parts.scheme.replace("postgresql", "postgres"), parts.netloc, "/postgres", "", ""))
    with psycopg.connect(admin.replace("postgres://", "postgresql://", 1), autocommit=True) as conn:
        exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone()
        if exists and drop:
            conn.execute(f'DROP DATABASE "{name}" WITH (FORCE)')
            exists = None
        if not exists:
            conn.execute(f'CREATE DATABASE "{name}"')
        # The production setting of the README: the data is in memory or on SSD, where an
        # index lookup costs little more than a sequential read. With the server's default
        # of 4 (spinning disks), the planner hashes all 100,000 devices to join a year's moves.
        conn.execute(f'ALTER DATABASE "{name}" SET random_page_cost = {RANDOM_PAGE_COST}')


def marker_path(url):
    return MARKER_DIR / f"{hashlib.sha1(url.encode()).hexdigest()[:12]}.json"


def setup_django(url):
    os.environ["DATABASE_URL"] = url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ordipratique.settings")
    # Production-like settings, minus what needs a real host: the test client talks to
    # "testserver" over plain HTTP, and static files are served from the source folders.
    os.environ.setdefault("SECRET_KEY", "bench-only-not-a-secret")
    os.environ["DEBUG"] = "0"
    os.environ["HTTPS"] = "0"
    os.environ["STATIC_MANIFEST"] = "0"
    os.environ["ALLOWED_HOSTS"] = "testserver"
    os.environ.setdefault("LOG_LEVEL", "ERROR")
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()


def ensure_dataset(args, url, kind, target, log):
    """Migrate and fill the database, unless it already holds this very dataset."""
    from django.core.management import call_command

    from bench import dataset as ds

    seed = args.seed if args.seed is not None else ds.DEFAULT_SEED
    marker = marker_path(url)
    if not args.rebuild and marker.exists() and (kind != "sqlite" or Path(target).exists()):
        known = json.loads(marker.read_text())
        if (
            known.get("scale") == args.scale
            and known.get("seed") == seed
            and known.get("generator_version") == ds.GENERATOR_VERSION
            and _device_count() == known["sizes"]["devices"]
        ):
            log(f"bench: reusing the scale {args.scale:g} dataset in {target}")
            # Migrations made since the build apply to it, as they would to a live database.
            call_command("migrate", verbosity=0, interactive=False)
            if kind == "postgresql":
                # Each run's rolled-back imports leave 40,000 dead rows in the devices, moves
                # and history tables; without autovacuum they pile up run after run (230,000
                # dead rows beside 100,000 devices after a few runs: every scan read them).
                _vacuum()
            return known
    log(f"bench: building the scale {args.scale:g} dataset in {target} ...")
    if kind == "sqlite":
        from django.db import connection

        connection.close()
        for suffix in ("", "-wal", "-shm"):
            Path(f"{target}{suffix}").unlink(missing_ok=True)
    started = time.perf_counter()
    call_command("migrate", verbosity=0, interactive=False)
    migrate_seconds = time.perf_counter() - started
    data = ds.generate(args.scale, seed, log=log).as_dict()
    data["migrate_seconds"] = round(migrate_seconds, 1)
    if kind == "postgresql":
        started = time.perf_counter()
        _vacuum()
        data["analyze_seconds"] = round(time.perf_counter() - started, 1)
    log(f"bench: dataset built in {data['seconds']} s ({data['history_rows']:,} history rows)")
    MARKER_DIR.mkdir(exist_ok=True)
    marker.write_text(json.dumps(data, indent=2, default=str))
    return data


def _vacuum():
    """What autovacuum does soon after a bulk load or a burst of writes (it is switched off on
    some servers, this machine's among them): statistics for the planner, dead rows reclaimed,
    and the visibility map without which no index-only scan is possible (counts, deep pages)."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE")


def _device_count():
    from django.db import DatabaseError

    from apps.devices.models import Device

    try:
        return Device.objects.count()
    except DatabaseError:
        return -1


def machine():
    import django

    info = {
        "python": platform.python_version(),
        "django": django.get_version(),
        "platform": platform.platform(),
        "cpus": os.cpu_count(),
    }
    from django.db import connection

    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SHOW server_version")
            info["postgresql"] = cursor.fetchone()[0]
            cursor.execute("SHOW random_page_cost")
            info["random_page_cost"] = float(cursor.fetchone()[0])
    try:
        mem_kb = int(next(line for line in open("/proc/meminfo") if line.startswith("MemTotal")).split()[1])
        info["memory_gib"] = round(mem_kb / 1024 / 1024)
    except (OSError, StopIteration, ValueError):
        pass
    return info


def cpu_probe_ms():
    """The best of three runs of a fixed pure-Python loop, before and after the measures: this
    machine's speed drifts by up to 1.7× within an hour, and the probe tells a slower machine
    from slower code when comparing two runs."""
    best = None
    for _ in range(3):
        started = time.perf_counter()
        total = 0
        for number in range(2_000_000):
            total += number * number
        elapsed = (time.perf_counter() - started) * 1000
        best = elapsed if best is None else min(best, elapsed)
    return round(best, 1)


def run_one(args):
    from bench.measures import Options

    url = database_url(args)
    kind, target = check_dedicated(url)
    if kind == "postgresql":
        prepare_postgres(url, target, drop=args.rebuild)
    setup_django(url)
    log = lambda text: print(text, file=sys.stderr, flush=True)  # noqa: E731
    data = ensure_dataset(args, url, kind, target, log)

    from django.db import connection

    from bench.measures import Bench

    options = Options(runs=args.runs, warmup=args.warmup)
    if args.quick:
        options = Options(runs=2, warmup=1, import_rows=1000, import_runs=1, labels=200, label_runs=1)
    only = [name.strip() for name in args.only.split(",")] if args.only else None
    log(f"bench: measuring at scale {args.scale:g} on {connection.vendor} ({options.runs} runs each)")
    started = time.perf_counter()
    probe_before = cpu_probe_ms()
    measures = Bench(data, options, log=log).run(only)
    probe_after = cpu_probe_ms()
    log(f"bench: CPU probe {probe_before} ms before the measures, {probe_after} ms after")
    for measure in measures:
        measure.update(scale=args.scale, database=connection.vendor)
    server = None
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SHOW server_version")
            server = f"PostgreSQL {cursor.fetchone()[0]}"
        else:
            cursor.execute("SELECT sqlite_version()")
            server = f"SQLite {cursor.fetchone()[0]}"
    return {
        "scale": args.scale,
        "database": connection.vendor,
        "database_server": server,
        "machine": machine() | {"cpu_probe_ms": [probe_before, probe_after]},
        "started_at": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
        "measure_seconds": round(time.perf_counter() - started, 1),
        "options": options.__dict__,
        "dataset": data,
        "measures": measures,
    }


def compare(args, argv):
    """Run the two scales in their own processes (each has its own database), then pair them."""
    results = {}
    for scale in (args.scale, args.compare):
        with tempfile.NamedTemporaryFile(suffix=".json", delete=False) as handle:
            out = Path(handle.name)
        command = [
            sys.executable,
            "-m",
            "bench",
            *strip_args(argv),
            "--scale",
            str(scale),
            "--json",
            str(out),
        ]
        if args.database_url and scale != args.scale:
            command += ["--database-url", sibling_url(args.database_url, scale)]
        subprocess.run(command, check=True, cwd=ROOT)
        results[scale] = json.loads(out.read_text())
        out.unlink()
    main, small = results[args.scale], results[args.compare]
    from bench.measures import GROWTH_RATIO, entry

    by_name = {m["name"]: m for m in small["measures"]}
    ratios = []
    for measure in main["measures"]:
        other = by_name.get(measure["name"])
        if not other or not other["value"] or not measure["value"] or "error" in measure:
            continue
        ratio = (
            other["value"] / measure["value"]
            if measure.get("higher_is_better")
            else measure["value"] / other["value"]
        )
        basis = "measure"
        if measure.get("rows_per_s") and other.get("rows_per_s"):
            # An export of ten times the rows is ten times the file: its cost is compared
            # per row written, not per file.
            ratio, basis = other["rows_per_s"] / measure["rows_per_s"], "per row"
        measure.update(
            compare_scale=args.compare,
            compare_value=other["value"],
            ratio=round(ratio, 2),
            ratio_basis=basis,
            ratio_met=ratio <= GROWTH_RATIO,
        )
        if "queries" in measure and "queries" in other:
            measure["queries_same_at_both_scales"] = measure["queries"] == other["queries"]
        ratios.append((ratio, measure["name"]))
    if ratios:
        worst = max(ratios)
        main["measures"].append(
            entry(
                "growth_worst_ratio",
                round(worst[0], 2),
                "×",
                GROWTH_RATIO,
                worst[0] <= GROWTH_RATIO,
                target_text=f"each measure at scale {args.scale:g} within {GROWTH_RATIO}× of scale {args.compare:g}",
                worst_measure=worst[1],
                over_target=[n for r, n in sorted(ratios, reverse=True) if r > GROWTH_RATIO],
                scale=args.scale,
                database=main["database"],
            )  # fmt: skip
        )
    main["compared_with"] = {k: small[k] for k in ("scale", "dataset", "started_at")}
    return main


def strip_args(argv):
    """``argv`` without --scale, --json, --compare and --database-url (set per run)."""
    out, skip = [], False
    for arg in argv:
        if skip:
            skip = False
            continue
        name = arg.split("=", 1)[0]
        if name in ("--scale", "--json", "--compare", "--database-url"):
            skip = "=" not in arg
            continue
        out.append(arg)
    if "--database-url" in " ".join(argv):
        url = next(
            (a.split("=", 1)[1] if "=" in a else argv[i + 1])
            for i, a in enumerate(argv)
            if a.split("=", 1)[0] == "--database-url"
        )
        out += ["--database-url", url]
    return out


def sibling_url(url, scale):
    """The compared scale gets its own PostgreSQL database: ordi_bench -> ordi_bench_0_1."""
    parts = urlsplit(url)
    name = parts.path.lstrip("/") + "_" + f"{scale:g}".replace(".", "_")
    return urlunsplit((parts.scheme, parts.netloc, "/" + name, parts.query, parts.fragment))


def main(argv=None):
    argv = sys.argv[1:] if argv is None else argv
    args = parse_args(argv)
    result = compare(args, argv) if args.compare else run_one(args)
    text = json.dumps(result, indent=2, default=str)
    if args.json:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(text + "\n")
        print(f"bench: results written to {args.json}", file=sys.stderr)
    missed = [m["name"] for m in result["measures"] if not m["met"]]
    print(
        f"bench: {len(result['measures']) - len(missed)}/{len(result['measures'])} targets met",
        file=sys.stderr,
    )
    if missed:
        print("bench: missed: " + ", ".join(missed), file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
