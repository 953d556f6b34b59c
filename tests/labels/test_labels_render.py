"""Rendered labels, checked as a scanner and a printer would see them at 300 dpi."""

import io

import pytest
from PIL import Image, ImageChops, ImageDraw

from labels import LAYOUTS, MAX_LABELS_PER_REQUEST, LabelData, LabelError, Layout, render_pdf, render_png

LONG_MODEL = "HP EliteBook 840 G5 Intel Core i5-8350U 16 Go RAM 512 Go SSD"  # 60 characters


def mm_to_px(mm, dpi=300):
    return mm / 25.4 * dpi


def make_labels(count, start=0, **overrides):
    labels = []
    for number in range(start, start + count):
        tag = f"OP-{number:06d}"
        fields = dict(
            asset_tag=tag,
            url=f"https://example.org/d/{tag}",
            title="Portable Dell Latitude E7450",
            subtitle="Don Mairie 2026-11",
            programme="Ordi-pratique",
        )
        fields.update(overrides)
        labels.append(LabelData(**fields))
    return labels


@pytest.mark.parametrize("name", list(LAYOUTS))
def test_every_code_on_a_full_page_decodes(name, printed, scanner):
    layout = LAYOUTS[name]
    labels = make_labels(layout.labels_per_page)
    pdf = printed(render_pdf(labels, name))
    assert len(pdf.pages) == 1
    for slot, label in enumerate(labels, start=1):
        codes = scanner.codes(pdf.slot_image(0, layout, slot))
        assert codes.get("QRCode") == [label.url], f"slot {slot}"
        if layout.has_barcode:
            assert codes.get("Code128") == [label.asset_tag], f"slot {slot}"
        else:
            assert "Code128" not in codes


@pytest.mark.parametrize("name", list(LAYOUTS))
def test_odd_text_renders_and_codes_still_decode(name, printed, scanner):
    layout = LAYOUTS[name]
    labels = [
        LabelData(
            asset_tag="OP-000777",
            url="https://example.org/d/OP-000777",
            title=LONG_MODEL,
            subtitle="Équipement réformé 💻🔧",
            programme="Ordi-pratique ✨ Quartiers",
        ),
        LabelData(
            asset_tag="OP-1",
            url="https://example.org/d/OP-1",
            title="👨‍👩‍👧 Œuvre <b>gras</b> & Cie",
            subtitle="",
            programme="",
        ),
    ]
    pdf = printed(render_pdf(labels, name))
    text = " ".join("".join(pdf.texts).split())  # lines joined, as titles may wrap
    assert "OP-000777" in text
    assert "💻" not in text and "✨" not in text and "👨" not in text
    assert "Œuvre <b>gras</b> & Cie" in text  # markup printed as typed, never interpreted
    if len(pdf.pages) == 1:
        images = [pdf.slot_image(0, layout, 1), pdf.slot_image(0, layout, 2)]
    else:
        images = [pdf.pages[0], pdf.pages[1]]
    for image, label in zip(images, labels, strict=True):
        codes = scanner.codes(image)
        assert codes.get("QRCode") == [label.url]
        if layout.has_barcode:
            assert codes.get("Code128") == [label.asset_tag]


def test_long_title_is_shortened_on_the_label(printed):
    pdf = printed(render_pdf(make_labels(1, title=LONG_MODEL), "L7160"))
    text = pdf.texts[0].replace("\r\n", "\n")
    assert "HP EliteBook 840 G5" in text
    assert "…" in text
    assert "512 Go SSD" not in text
    accented = printed(render_pdf(make_labels(1, subtitle="Équipement réformé"), "L7160"))
    assert "Équipement réformé" in accented.texts[0]


def widest_tag(layout):
    """Nearly the widest asset tag the layout can print (W is the widest letter)."""
    return "W" * (10 if layout.has_barcode else 8)


@pytest.mark.parametrize("name", list(LAYOUTS))
def test_nothing_is_drawn_outside_the_labels_or_in_their_padding(name, printed):
    """Worst-case text must stay inside each label, clear of the blank border."""
    layout = LAYOUTS[name]
    wide = "W" * 70
    labels = [
        LabelData(
            asset_tag=widest_tag(layout),
            url="https://example.org/d/WWWWWWWWWW",
            title=wide,
            subtitle="ÉÇÀÙÖ" * 20,
            programme="Ordi-pratique " + wide,
        )
        for _ in range(layout.labels_per_page)
    ]
    pdf = printed(render_pdf(labels, name))
    page = pdf.pages[0].copy()
    assert page.getextrema()[0] < 50  # something was drawn
    # Blank out each label's inner area (inside its padding, less 0.2 mm for
    # anti-aliasing); whatever ink remains is an overflow.
    draw = ImageDraw.Draw(page)
    inset = mm_to_px(layout.padding_mm - 0.2)
    for slot in range(1, layout.labels_per_page + 1):
        left, top, right, bottom = pdf.slot_box(layout, slot)
        draw.rectangle((left + inset, top + inset, right - inset, bottom - inset), fill=255)
    darkest = page.getextrema()[0]
    assert darkest > 200, "ink outside a label's inner box"


@pytest.mark.parametrize("name", list(LAYOUTS))
def test_text_never_covers_the_codes_or_the_tag(name, printed):
    """Wherever long text adds ink, the label without that text was blank."""
    bare = LabelData(asset_tag=widest_tag(LAYOUTS[name]), url="https://example.org/d/WWWWWWWWWW", title="")
    full = LabelData(
        asset_tag=bare.asset_tag,
        url=bare.url,
        title="W" * 70,
        subtitle="ÉÇÀÙÖ_gjpqy" * 10,
        programme="Ordi-pratique gjpqy " + "W" * 70,
    )
    without_text = printed(render_pdf([bare], name)).pages[0]
    with_text = printed(render_pdf([full], name)).pages[0]
    added = ImageChops.difference(without_text, with_text).point(lambda value: 255 if value > 64 else 0)
    assert added.getbbox() is not None  # the text was drawn
    inked_before = without_text.point(lambda value: 255 if value < 200 else 0)
    assert ImageChops.multiply(added, inked_before).getbbox() is None


def test_start_position_fills_a_partly_used_sheet(printed, scanner):
    layout = LAYOUTS["L7160"]
    labels = make_labels(21)
    pdf = printed(render_pdf(labels, "L7160", start_position=5))
    assert len(pdf.pages) == 2

    def qr_slots(page):
        found = {}
        for format_name, text, (x, y) in scanner.symbols(pdf.pages[page]):
            if format_name == "QRCode":
                found[text] = pdf.slot_of_point(layout, x, y)
        return found

    first, second = qr_slots(0), qr_slots(1)
    assert first == {label.url: slot for slot, label in enumerate(labels[:17], start=5)}
    assert second == {label.url: slot for slot, label in enumerate(labels[17:], start=1)}
    # Slots 1-4 of the first sheet stay blank (they were used before).
    for slot in range(1, 5):
        assert pdf.slot_image(0, layout, slot).getextrema() == (255, 255)
    # The first label is inside slot 5's box: 2nd column, 2nd row.
    assert pdf.slot_of_point(layout, *_centre_of(scanner, pdf.pages[0], labels[0].url)) == 5
    left, top, right, bottom = pdf.slot_box(layout, 5)
    x, y = _centre_of(scanner, pdf.pages[0], labels[0].url)
    # The QR code sits in the left part of the label, vertically centred.
    assert left < x < left + (right - left) / 2
    assert abs(y - (top + bottom) / 2) < mm_to_px(1)


def _centre_of(scanner, image, text):
    return next(centre for _, decoded, centre in scanner.symbols(image) if decoded == text)


def test_pages_follow_the_number_of_labels(printed):
    assert len(printed(render_pdf(make_labels(21), "L7160")).pages) == 1
    assert len(printed(render_pdf(make_labels(22), "L7160")).pages) == 2
    assert len(printed(render_pdf(make_labels(21), "L7160", start_position=21)).pages) == 2
    assert len(printed(render_pdf(make_labels(3), "QL62")).pages) == 3
    assert len(printed(render_pdf(make_labels(66), "L7651")).pages) == 2


def test_label_pages_have_the_physical_size():
    import pypdfium2

    for name, expected_mm in (("L7160", (210, 297)), ("QL62", (62, 29)), ("DYMO99012", (89, 36))):
        document = pypdfium2.PdfDocument(render_pdf(make_labels(1), name))
        width, height = document[0].get_size()
        document.close()
        assert (width / 72 * 25.4, height / 72 * 25.4) == pytest.approx(expected_mm, abs=0.01)


def test_many_tags_and_url_lengths_decode(printed, scanner):
    # Odd digit counts and mixed case make Code 128 switch character sets;
    # growing URLs go through QR versions 2 to 8.
    tags = [
        "A",
        "OP-1",
        "OP-12",
        "OP-12345",
        "op-000123",
        "12345678",
        "1234567",
        "X Y/Z.+%$",
        "Z-99-Q",
        "OP-2026-0001",
    ]
    labels = [
        LabelData(
            asset_tag=tag,
            url="https://example.org/d/" + tag.replace(" ", "%20") + "?" + "q" * (index * 12),
            title=f"Label {index}",
        )
        for index, tag in enumerate(tags)
    ]
    # Capitals-only and digits-only data use the QR code's denser modes.
    labels.append(LabelData(asset_tag="OP-000123", url="HTTPS://EXAMPLE.ORG/D/OP-000123", title="x"))
    labels.append(LabelData(asset_tag="123", url="0123456789" * 3, title="x"))
    layout = LAYOUTS["L7160"]
    pdf = printed(render_pdf(labels, layout))
    for slot, label in enumerate(labels, start=1):
        codes = scanner.codes(pdf.slot_image(0, layout, slot))
        assert codes == {"QRCode": [label.url], "Code128": [label.asset_tag]}, label.asset_tag


def test_a_new_layout_is_just_data(printed, scanner):
    layout = Layout(
        name="A6-2x3",
        description="A6 sheet of 6 labels",
        page_width_mm=105,
        page_height_mm=148,
        label_width_mm=50,
        label_height_mm=45,
        columns=2,
        rows=3,
        margin_top_mm=5,
        margin_left_mm=2,
        pitch_x_mm=51,
        pitch_y_mm=46,
    )
    labels = make_labels(6)
    pdf = printed(render_pdf(labels, layout, start_position=1))
    for slot, label in enumerate(labels, start=1):
        codes = scanner.codes(pdf.slot_image(0, layout, slot))
        assert codes == {"QRCode": [label.url], "Code128": [label.asset_tag]}


def test_same_input_gives_the_same_pdf():
    assert render_pdf(make_labels(3), "L7160") == render_pdf(make_labels(3), "L7160")


# PNG for thermal printers


@pytest.mark.parametrize("name", list(LAYOUTS))
@pytest.mark.parametrize("dpi", [203, 300, 600])
def test_png_is_one_black_and_white_label_that_decodes(name, dpi, scanner):
    layout = LAYOUTS[name]
    (label,) = make_labels(1, start=4242)
    data = render_png(label, name, dpi=dpi)
    assert data.startswith(b"\x89PNG\r\n\x1a\n")
    image = Image.open(io.BytesIO(data))
    assert image.mode == "1"
    expected_size = (
        round(mm_to_px(layout.label_width_mm, dpi)),
        round(mm_to_px(layout.label_height_mm, dpi)),
    )
    assert image.size == expected_size
    assert image.info["dpi"] == pytest.approx((dpi, dpi), abs=0.01)
    codes = scanner.codes(image.convert("L"))
    assert codes.get("QRCode") == [label.url]
    if layout.has_barcode:
        assert codes.get("Code128") == [label.asset_tag]


def test_png_bars_are_whole_dots(scanner):
    """Thermal heads print whole dots: every bar and space is a multiple of the module width."""
    (label,) = make_labels(1)
    image = Image.open(io.BytesIO(render_png(label, "QL62", dpi=300))).convert("L")
    width, height = image.size
    # A row through the middle of the bars, right of the QR code.
    bars_row = None
    for y in range(height - 1, 0, -1):
        row = [image.getpixel((x, y)) for x in range(width // 2, width)]
        if row.count(0) > 60:
            bars_row = row
            break
    assert bars_row is not None
    runs, current, length = [], bars_row[0], 0
    for value in bars_row:
        if value == current:
            length += 1
        else:
            runs.append(length)
            current, length = value, 1
    inner = runs[1:-1]  # leading and trailing white are quiet zone and border
    module = min(inner)
    assert module >= 2
    assert all(run % module == 0 for run in inner)


# Errors


def test_unknown_layout():
    with pytest.raises(LabelError) as caught:
        render_pdf(make_labels(1), "A4-ANY")
    assert (
        str(caught.value)
        == "Unknown label layout 'A4-ANY'; known layouts: L7160, L7163, L7651, QL62, DYMO99012."
    )
    with pytest.raises(LabelError, match="Unknown label layout"):
        render_png(make_labels(1)[0], "nope")


def test_no_labels():
    with pytest.raises(LabelError, match=r"^No labels to print\.$"):
        render_pdf([], "L7160")
    with pytest.raises(LabelError, match=r"^No labels to print\.$"):
        render_pdf(iter(()), "L7160")


@pytest.mark.parametrize(
    "layout, position, message",
    [
        ("L7160", 0, "Start position 0 is out of range for layout L7160: choose a position from 1 to 21."),
        ("L7160", 22, "Start position 22 is out of range for layout L7160: choose a position from 1 to 21."),
        ("L7160", -3, "Start position -3 is out of range for layout L7160: choose a position from 1 to 21."),
        ("L7651", 66, "Start position 66 is out of range for layout L7651: choose a position from 1 to 65."),
        ("QL62", 2, "Start position 2 is out of range for layout QL62: choose a position from 1 to 1."),
        ("L7160", "5", "Start position must be a whole number, not '5'."),
        ("L7160", 2.0, "Start position must be a whole number, not 2.0."),
    ],
)
def test_start_position_out_of_range(layout, position, message):
    with pytest.raises(LabelError) as caught:
        render_pdf(make_labels(1), layout, start_position=position)
    assert str(caught.value) == message


def test_too_many_labels():
    assert MAX_LABELS_PER_REQUEST == 2000
    labels = make_labels(1) * (MAX_LABELS_PER_REQUEST + 1)
    with pytest.raises(LabelError) as caught:
        render_pdf(labels, "L7160")
    assert str(caught.value) == "Too many labels in one request: 2001 (the maximum is 2000)."


def test_bad_label_data():
    with pytest.raises(LabelError, match="needs an asset tag"):
        LabelData(asset_tag="  ", url="https://example.org/d/x", title="x")
    with pytest.raises(LabelError, match="printable ASCII"):
        LabelData(asset_tag="OP-é1", url="https://example.org/d/x", title="x")
    with pytest.raises(LabelError, match="needs a URL"):
        LabelData(asset_tag="OP-1", url="", title="x")
    assert LabelData(asset_tag="OP-1", url="u", title=None, subtitle=None, programme=None).subtitle == ""
    with pytest.raises(TypeError):
        render_pdf(["OP-1"], "L7160")


def test_codes_too_dense_for_the_layout_are_refused():
    long_url = LabelData(asset_tag="OP-1", url="https://example.org/d/" + "x" * 300, title="x")
    with pytest.raises(LabelError, match="too long for a readable QR code on layout L7651"):
        render_pdf([long_url], "L7651")
    render_pdf([long_url], "L7163")  # the same URL fits a bigger label
    long_tag = LabelData(asset_tag="OP-" + "ABCDEFGHIJKLMNOPQRSTUV", url="https://example.org/d/x", title="x")
    with pytest.raises(LabelError, match="too long for a readable barcode on layout L7160"):
        render_pdf([long_tag], "L7160")
    render_pdf([long_tag], "L7163")  # a wider label has room for it
    with pytest.raises(LabelError, match="URL is too long for a QR code"):
        render_pdf([LabelData(asset_tag="OP-1", url="x" * 3000, title="x")], "L7163")


def test_a_long_asset_tag_shrinks_but_is_never_cut(printed):
    long_tag = LabelData(asset_tag="OP-2026-000123", url="https://example.org/d/OP-2026-000123", title="x")
    for name in LAYOUTS:
        text = printed(render_pdf([long_tag], name)).texts[0]
        assert "OP-2026-000123" in text, name
    too_long = LabelData(asset_tag="OP-2026-000123-WWW", url="https://example.org/d/x", title="x")
    with pytest.raises(LabelError) as caught:
        render_pdf([too_long], "L7651")
    assert str(caught.value) == "Asset tag OP-2026-000123-WWW is too long to print on layout L7651."


def test_png_resolution_is_checked():
    with pytest.raises(LabelError, match="PNG resolution"):
        render_png(make_labels(1)[0], "QL62", dpi=50)
