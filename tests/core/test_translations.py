"""The committed French catalog is compiled and up to date, so screens are never half English."""

from pathlib import Path

import polib

ROOT = Path(__file__).resolve().parents[2]
CATALOGS = sorted(ROOT.glob("locale/*/LC_MESSAGES/django.po"))


def test_french_catalog_exists():
    assert [p.parent.parent.name for p in CATALOGS] == ["fr"]


def test_every_catalog_is_compiled_and_current():
    for po_path in CATALOGS:
        po = polib.pofile(str(po_path))
        mo = polib.mofile(str(po_path.with_suffix(".mo")))
        # Keyed by context too: "Reserved" is « Réservé » for a device, « Réservée » for a dotation.
        compiled = {(entry.msgctxt, entry.msgid): entry.msgstr for entry in mo}
        expected = {(e.msgctxt, e.msgid): e.msgstr for e in po.translated_entries() if "fuzzy" not in e.flags}
        stale = {k for k, v in expected.items() if compiled.get(k) != v}
        assert not stale, f"{po_path}: run `make messages`; stale: {sorted(stale)[:5]}"


def test_every_string_is_translated():
    for po_path in CATALOGS:
        po = polib.pofile(str(po_path))
        untranslated = [e.msgid for e in po.untranslated_entries()] + [e.msgid for e in po.fuzzy_entries()]
        assert not untranslated, f"{po_path}: untranslated {untranslated[:5]}"
