"""How long rendering a batch of labels takes.

Run from the repository root: ``python -m bench.labels_bench [count] [layout]``
or ``python bench/labels_bench.py``.

Most of the time goes into encoding the QR codes (the pure-Python qrcode
package), which grows with the URL length: URLs up to 42 bytes give 29 x 29
module codes, 43 to 62 bytes 33 x 33 ones that take about a third longer.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

if __package__ in (None, ""):
    # Run as a script: make the repository root importable.
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from labels import LabelData, get_layout, render_pdf  # noqa: E402

# The URL form of the labels API contract; the second is a longer real-looking host.
SHORT_URL_PREFIX = "https://example.org/d/"
LONG_URL_PREFIX = "https://ordi-pratique.agglo-exemple.fr/d/"


def sample_labels(n: int, url_prefix: str = SHORT_URL_PREFIX) -> list[LabelData]:
    """``n`` distinct labels that look like the real ones."""
    return [
        LabelData(
            asset_tag=f"OP-{number:06d}",
            url=f"{url_prefix}OP-{number:06d}",
            title="Portable Dell Latitude E7450 Core i5 8 Go",
            subtitle="Don Mairie 2026-11",
            programme="Ordi-pratique",
        )
        for number in range(1, n + 1)
    ]


def measure_labels(n: int = 1000, layout: str = "L7160", *, url_prefix: str = SHORT_URL_PREFIX) -> dict:
    """Render ``n`` distinct labels on ``layout`` once; return {"seconds": ..., "pages": ...}.

    Only ``render_pdf`` is timed, not building the label data.
    """
    labels = sample_labels(n, url_prefix)
    per_page = get_layout(layout).labels_per_page
    started = time.perf_counter()
    cpu_started = time.process_time()
    pdf = render_pdf(labels, layout)
    cpu_seconds = time.process_time() - cpu_started
    seconds = time.perf_counter() - started
    return {
        "seconds": round(seconds, 3),
        # Less disturbed than wall time when other processes share the cores.
        "cpu_seconds": round(cpu_seconds, 3),
        "pages": -(-n // per_page),
        "labels": n,
        "layout": layout,
        "url_bytes": len(labels[0].url),
        "pdf_bytes": len(pdf),
    }


if __name__ == "__main__":
    count = int(sys.argv[1]) if len(sys.argv) > 1 else 1000
    layout_name = sys.argv[2] if len(sys.argv) > 2 else "L7160"
    print(measure_labels(count, layout_name))
    print(measure_labels(count, layout_name, url_prefix=LONG_URL_PREFIX))
