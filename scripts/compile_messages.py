"""Compile every translation catalog (.po -> .mo) with polib, so no GNU gettext is needed.

Run through `make messages`. The .mo files are committed; a test checks they match the .po.
"""

from pathlib import Path

import polib

ROOT = Path(__file__).resolve().parent.parent


def catalogs():
    yield from sorted(ROOT.glob("locale/*/LC_MESSAGES/*.po"))
    yield from sorted(ROOT.glob("apps/*/locale/*/LC_MESSAGES/*.po"))


def main():
    for po_path in catalogs():
        polib.pofile(str(po_path)).save_as_mofile(str(po_path.with_suffix(".mo")))
        print(f"compiled {po_path.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
