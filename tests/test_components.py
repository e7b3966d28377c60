"""Connected components with 16-bit labels, and the 32-bit fallback when a mask holds more."""

from __future__ import annotations

import cv2
import numpy as np

from table_reconstruct.grid.components import drop_components, few_seeds, label, label_with_stats, select, select_labels


def dots(count_per_side: int) -> np.ndarray:
    mask = np.zeros((3 * count_per_side, 3 * count_per_side), np.uint8)
    mask[::3, ::3] = 255
    return mask


def test_labels_match_opencvs_32_bit_labels_below_and_above_the_16_bit_limit():
    for mask in (dots(20), dots(300)):  # 400 and 90,000 components
        expected_count, expected, expected_stats, _ = cv2.connectedComponentsWithStats(mask, connectivity=8)
        count, labels = label(mask)
        count_s, labels_s, stats = label_with_stats(mask)
        assert count == count_s == expected_count
        assert np.array_equal(labels, expected) and np.array_equal(labels_s, expected)
        assert np.array_equal(stats, expected_stats)
    assert label(dots(20))[1].dtype == np.uint16 and label(dots(300))[1].dtype == np.int32


def test_selecting_components_keeps_exactly_their_pixels():
    mask = np.zeros((10, 30), np.uint8)
    mask[2:4, 1:5] = mask[5:9, 10:12] = mask[1, 20:29] = 255
    count, labels = label(mask)
    assert count == 4
    keep = np.array([True, False, True, False])  # the background is never selected by select_labels
    chosen = select_labels(labels, count, np.array([0, 2, 2]))
    assert np.array_equal(chosen, select(labels, keep & (np.arange(count) > 0)))
    assert chosen.dtype == np.uint8 and set(np.unique(chosen)) == {0, 255}
    assert np.array_equal(chosen > 0, labels == 2)


def test_selection_is_the_same_with_few_and_many_components():
    few, many = dots(10), dots(40)  # 100 and 1,600 components: the 8-bit LUT path and np.take
    for mask in (few, many):
        count, labels = label(mask)
        keep = np.arange(count) % 3 == 1
        expected = np.where(keep[labels], 255, 0).astype(np.uint8)
        assert np.array_equal(select(labels, keep), expected)


def test_flood_filled_components_equal_labelled_ones():
    """Dropping the seeded components a test refuses, one flood fill each, equals choosing by label."""
    rng = np.random.default_rng(7)
    mask = np.where(rng.random((60, 80)) < 0.35, 255, 0).astype(np.uint8)  # a few hundred components, diagonal links
    count, labels, stats = label_with_stats(mask)
    seeds = few_seeds(np.where(rng.random(mask.shape) < 0.05, mask, 0).astype(np.uint8))
    seeded = np.zeros(count, dtype=bool)
    seeded[labels[seeds[:, 1], seeds[:, 0]]] = True
    wide = stats[:, cv2.CC_STAT_WIDTH] >= 3
    expected = select(labels, (~seeded | wide) & (np.arange(count) > 0))
    kept = drop_components(mask, seeds, lambda window, part: window[1].stop - window[1].start >= 3)
    assert np.array_equal(kept, expected)
    assert np.array_equal(few_seeds(mask, mask.size), np.argwhere(mask)[:, ::-1]) and len(few_seeds(mask * 0)) == 0
    assert few_seeds(mask, 10) is None
    # What the test sees is the component itself: its window and its own pixels there.
    biggest = 1 + int(np.argmax(stats[1:, cv2.CC_STAT_AREA]))
    y, x = np.argwhere(labels == biggest)[0]
    sizes = []
    drop_components(mask, np.array([[x, y]]), lambda window, part: sizes.append(cv2.countNonZero(part)) or True)
    assert sizes == [stats[biggest, cv2.CC_STAT_AREA]]
