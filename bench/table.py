"""``python -m bench.table sqlite.json [postgresql.json]``: the results as the Markdown table of
``bench/README.md`` ("Latest results"), one column pair per file (each run with ``--compare``)."""

import json
import sys
from pathlib import Path


def cell(measure):
    mark = "✅" if measure["met"] else "❌"
    if measure["name"] == "growth_worst_ratio":
        return f"{mark} {measure['value']}× (`{measure.get('worst_measure', '')}`)"
    value = f"{measure['value']:,}" if measure["unit"] == "rows/s" else measure["value"]
    text = f"{mark} {value} {measure['unit']}"
    if measure.get("p95") is not None:
        text += f" (p95 {measure['p95']})"
    if measure["name"].startswith("export"):
        text += f", {measure['peak_mb']} MB"
    elif measure.get("queries") is not None:
        text += f", {measure['queries']} q"
    return text


def ratio(measure):
    if measure.get("ratio") is None:
        return ""
    basis = " per row" if measure.get("ratio_basis") == "per row" else ""
    missed = "" if measure.get("ratio_met", True) else " ❌"
    return f"{measure['compare_value']} → {measure['ratio']}×{basis}{missed}"


def table(results):
    databases = [r["measures"][0]["database"] for r in results]
    names = [m["name"] for m in results[0]["measures"]]
    by_name = [{m["name"]: m for m in r["measures"]} for r in results]
    head = ["measure"]
    for database in databases:
        label = "SQLite" if database == "sqlite" else "PostgreSQL"
        head += [f"{label} ×1", f"{label} ×0.1 → ratio"]
    lines = ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
    for name in names:
        first = by_name[0][name]
        title = f"`{name}`" + (f" ({first['rows']:,} rows)" if name.startswith("export") else "")
        row = [title]
        for measures in by_name:
            measure = measures.get(name)
            row += [cell(measure), ratio(measure)] if measure else ["", ""]
        lines.append("| " + " | ".join(row) + " |")
    return "\n".join(lines)


if __name__ == "__main__":
    print(table([json.loads(Path(path).read_text()) for path in sys.argv[1:]]))
