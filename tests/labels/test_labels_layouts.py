import pytest

from labels import LAYOUTS, LabelError, Layout, get_layout


def test_known_layouts_have_their_physical_sizes():
    sizes = {
        name: (
            layout.page_width_mm,
            layout.page_height_mm,
            layout.label_width_mm,
            layout.label_height_mm,
            layout.columns,
            layout.rows,
        )
        for name, layout in LAYOUTS.items()
    }
    assert sizes == {
        "L7160": (210.0, 297.0, 63.5, 38.1, 3, 7),
        "L7163": (210.0, 297.0, 99.1, 38.1, 2, 7),
        "L7651": (210.0, 297.0, 38.1, 21.2, 5, 13),
        "QL62": (62.0, 29.0, 62.0, 29.0, 1, 1),
        "DYMO99012": (89.0, 36.0, 89.0, 36.0, 1, 1),
    }
    assert [LAYOUTS[name].labels_per_page for name in LAYOUTS] == [21, 14, 65, 1, 1]
    assert [name for name, layout in LAYOUTS.items() if not layout.has_barcode] == ["L7651"]


def test_avery_slots_match_the_templates():
    l7160 = LAYOUTS["L7160"]
    assert l7160.slot_origin_mm(1) == (7.25, 15.15)
    assert l7160.slot_origin_mm(3) == pytest.approx((7.25 + 2 * 66.04, 15.15))
    assert l7160.slot_origin_mm(5) == pytest.approx((7.25 + 66.04, 15.15 + 38.1))
    right, bottom = l7160.slot_origin_mm(21)
    # The sheet is symmetric: same margin on both sides, top and bottom.
    assert 210 - (right + 63.5) == pytest.approx(7.17, abs=0.01)
    assert 297 - (bottom + 38.1) == pytest.approx(15.15, abs=0.01)

    l7651 = LAYOUTS["L7651"]
    left, top = l7651.slot_origin_mm(65)
    assert (left, top) == pytest.approx((4.75 + 4 * 40.64, 10.7 + 12 * 21.2))

    l7163 = LAYOUTS["L7163"]
    assert l7163.slot_origin_mm(2) == pytest.approx((4.65 + 101.6, 15.15))


def test_get_layout_by_name_or_instance():
    assert get_layout("L7160") is LAYOUTS["L7160"]
    custom = Layout(
        name="TEST",
        description="test",
        page_width_mm=50,
        page_height_mm=30,
        label_width_mm=50,
        label_height_mm=30,
    )
    assert get_layout(custom) is custom
    # Single-label layouts default their pitch to the label size.
    assert (custom.pitch_x_mm, custom.pitch_y_mm) == (50, 30)


def test_unknown_layout_lists_the_known_ones():
    with pytest.raises(LabelError) as caught:
        get_layout("L9999")
    assert str(caught.value) == (
        "Unknown label layout 'L9999'; known layouts: L7160, L7163, L7651, QL62, DYMO99012."
    )
    assert isinstance(caught.value, ValueError)


def test_a_layout_that_does_not_fit_its_page_is_refused():
    with pytest.raises(ValueError, match="do not fit"):
        Layout(
            name="BAD",
            description="",
            page_width_mm=210,
            page_height_mm=297,
            label_width_mm=70,
            label_height_mm=38.1,
            columns=3,
            rows=7,
            margin_left_mm=5,
            pitch_x_mm=70,
        )
    with pytest.raises(ValueError, match="overlap"):
        Layout(
            name="BAD",
            description="",
            page_width_mm=210,
            page_height_mm=297,
            label_width_mm=70,
            label_height_mm=38.1,
            columns=2,
            pitch_x_mm=60,
        )
