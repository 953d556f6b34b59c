import pytest

from labels import LabelError
from labels.codes import bar_runs, code128_modules, matrix_runs, qr_matrix


def _paint(runs, size):
    grid = [[0] * size for _ in range(size)]
    for x, y, width in runs:
        for column in range(x, x + width):
            grid[y][column] += 1
    return grid


@pytest.mark.parametrize(
    "url, size",
    [
        ("https://example.org/d/OP-000123", 29),  # version 3
        ("https://ordi-pratique.example.fr/equipements/OP-000123/", 33),  # version 4
        ("https://example.org/" + "x" * 130, 49),  # version 8
        ("HTTPS://EXAMPLE.ORG/D/OP-000123", 25),  # capitals: alphanumeric mode, version 2
        ("0123456789" * 3, 21),  # digits only: numeric mode, version 1
    ],
)
def test_qr_matrix_grows_with_the_url(url, size):
    matrix = qr_matrix(url)
    assert len(matrix) == size
    assert all(len(row) == size for row in matrix)
    # Finder pattern: the top-left 7x7 square has a dark border and a light ring.
    assert all(matrix[0][:7]) and all(row[0] for row in matrix[:7])
    assert not any(matrix[1][1:6])


def test_matrix_runs_cover_exactly_the_dark_modules_once():
    matrix = qr_matrix("https://example.org/d/OP-000123")
    runs = matrix_runs(matrix)
    assert _paint(runs, len(matrix)) == [[1 if dark else 0 for dark in row] for row in matrix]
    # Runs are maximal: no two touch on the same row.
    ends = {(x + width, y) for x, y, width in runs}
    assert not any((x, y) in ends for x, y, _ in runs)
    # Runs are what keep the PDF small: far fewer rectangles than dark modules.
    assert len(runs) < 0.6 * sum(sum(row) for row in matrix)


def test_code128_modules_and_bar_runs():
    modules = code128_modules("OP-000123")
    # Start B, O, P, -, switch to C, 00, 01, 23, check = 9 symbols of 11 modules, + 13 for stop.
    assert len(modules) == 9 * 11 + 13
    assert modules.startswith("11010010000")  # Start B
    assert modules.endswith("1100011101011")  # Stop with its final bar
    rebuilt = ["0"] * len(modules)
    for start, width in bar_runs(modules):
        rebuilt[start : start + width] = ["1"] * width
    assert "".join(rebuilt) == modules
    assert all(width <= 4 for _, width in bar_runs(modules))


def test_code128_refuses_what_it_cannot_encode():
    with pytest.raises(LabelError, match="cannot be encoded as a Code 128"):
        code128_modules("OP-é")
