import pytest

from labels.text import ELLIPSIS, fit_text, printable_text, text_width, wrap_text

LONG_MODEL = "HP EliteBook 840 G5 Intel Core i5-8350U 16 Go RAM 512 Go SSD"  # 60 characters


def test_french_text_is_kept_as_typed():
    for text in ("Équipement réformé", "Cœur de ville, à l'Œil", "Prêt « 12 mois » – 20 €", "Ça coûte 0 €…"):
        assert printable_text(text) == text


@pytest.mark.parametrize(
    "raw, expected",
    [
        ("Dell 💻 Latitude", "Dell Latitude"),
        ("👨‍👩‍👧 Famille", "Famille"),  # emoji joined by zero-width joiners
        ("Kód Łódź Őrség", "Kód ódz Orség"),  # what Windows-1252 lacks loses its accent or goes
        ("ﬁlm ½", "film ½"),
        ("Ligne 1\nLigne 2\tfin\x00", "Ligne 1 Ligne 2 fin"),
        ("  espaces   en\u00a0trop  ", "espaces en trop"),
        ("中文 ThinkPad", "ThinkPad"),
        ("x\u2212y \u2011", "x-y -"),
        ("", ""),
        (None, ""),
    ],
)
def test_undrawable_characters_are_approximated_or_dropped(raw, expected):
    assert printable_text(raw) == expected


def test_printable_text_only_keeps_windows_1252():
    text = printable_text("Équipement 💻 Őr ☃ ✓ ‘ok’ 𝔘𝔫𝔦𝔠𝔬𝔡𝔢 \u200b")
    text.encode("cp1252")  # raises if anything undrawable is left
    assert text == "Équipement Or ‘ok’ Unicode"


def test_helvetica_has_a_width_for_every_kept_character():
    characters = "".join(chr(code) for code in range(0x20, 0x100)) + "œŒ€…‘’“”–—šŠžŽŸƒ"
    kept = printable_text(characters)
    for char in kept.replace(" ", ""):
        assert text_width(char, "Helvetica", 10) > 0, repr(char)


def test_fit_text_keeps_short_text_and_shortens_long_text():
    assert fit_text("Dell Latitude", "Helvetica", 8, 200) == "Dell Latitude"
    width = 90
    fitted = fit_text(LONG_MODEL, "Helvetica", 8, width)
    assert fitted.endswith(ELLIPSIS)
    assert LONG_MODEL.startswith(fitted[:-1])
    assert text_width(fitted, "Helvetica", 8) <= width
    # As long as possible: one more character would not fit.
    longer = LONG_MODEL[: len(fitted)].rstrip() + ELLIPSIS
    assert text_width(longer, "Helvetica", 8) > width


def test_fit_text_on_a_tiny_width():
    assert fit_text("Dell", "Helvetica", 8, 1) == ""
    assert fit_text("Dell", "Helvetica", 8, text_width(ELLIPSIS, "Helvetica", 8)) == ELLIPSIS


def test_wrap_text_breaks_between_words():
    lines = wrap_text("Portable Dell Latitude E7450", "Helvetica", 8, 80, 2)
    assert lines == ["Portable Dell Latitude", "E7450"]
    assert wrap_text("Dell", "Helvetica", 8, 80, 2) == ["Dell"]
    assert wrap_text("", "Helvetica", 8, 80, 2) == []


def test_wrap_text_shortens_the_last_line_and_cuts_long_words():
    for text in (LONG_MODEL, "W" * 60, "ThinkPad-X1-Carbon-Gen9-20XW-00ABFR-Intel-Core-i7-1165G7-16Go"):
        for max_lines in (1, 2, 3):
            lines = wrap_text(text, "Helvetica", 8, 80, max_lines)
            assert 1 <= len(lines) <= max_lines
            assert all(text_width(line, "Helvetica", 8) <= 80 for line in lines)
            assert lines[-1].endswith(ELLIPSIS)
    lines = wrap_text("W" * 60, "Helvetica", 8, 80, 2)
    assert lines[0] == "W" * len(lines[0]) and len(lines[0]) > 5


def test_wrap_text_keeps_every_word_when_it_fits():
    text = "Unité centrale HP ProDesk 400 G4 reconditionnée"
    lines = wrap_text(text, "Helvetica", 8, 100, 3)
    assert " ".join(lines) == text
