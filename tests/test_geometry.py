from table_reconstruct.grid.geometry import Rect, cluster_positions, merge_close_runs, overlap_fraction, runs
from table_reconstruct.grid.grid import merge_atomic_cells


def test_cluster_positions_merges_thick_lines_into_centres():
    assert cluster_positions([10, 11, 12, 50, 51, 99], gap=2) == [11, 50, 99]
    assert cluster_positions([], gap=2) == []


def test_runs_and_merging_close_runs():
    flags = [False, True, True, False, True, False, False, False, True]
    assert runs(flags) == [(1, 3), (4, 5), (8, 9)]
    assert merge_close_runs(runs(flags), gap=2) == [(1, 5), (8, 9)]


def test_shrink_never_inverts_a_box():
    assert Rect(0, 0, 100, 40).shrink(5) == Rect(5, 5, 95, 35)
    tiny = Rect(0, 0, 4, 4).shrink(10)
    assert tiny.width >= 1 and tiny.height >= 1


def test_overlap_fraction():
    assert overlap_fraction(Rect(0, 0, 10, 10), Rect(5, 0, 20, 10)) == 0.5
    assert overlap_fraction(Rect(0, 0, 10, 10), Rect(20, 20, 30, 30)) == 0.0


def test_merge_atomic_cells_builds_header_spans():
    # 2 rows x 3 cols: (0,0)-(1,0) joined vertically (rowspan 2), (0,1)-(0,2) joined (colspan 2).
    cells = merge_atomic_cells(2, 3, open_right={(0, 1)}, open_down={(0, 0)})
    assert cells == [(0, 0, 2, 1), (0, 1, 1, 2), (1, 1, 1, 1), (1, 2, 1, 1)]


def test_merge_atomic_cells_widens_l_shapes_to_rectangles():
    # An L-shaped group (missing edges right of (0,0) and below (0,0)) becomes the full 2x2 block.
    cells = merge_atomic_cells(2, 2, open_right={(0, 0)}, open_down={(0, 0)})
    assert cells == [(0, 0, 2, 2)]


def test_every_position_covered_once():
    cells = merge_atomic_cells(3, 4, open_right={(0, 0), (1, 2)}, open_down={(0, 3), (1, 1)})
    covered = [(r + i, c + j) for r, c, rs, cs in cells for i in range(rs) for j in range(cs)]
    assert sorted(covered) == [(i, j) for i in range(3) for j in range(4)]
