"""The scheduler keeps input order whatever runs ahead, and never runs more ahead than asked."""

from __future__ import annotations

import threading
import time

from hypothesis import given, settings
from hypothesis import strategies as st

from belnews.check.scheduler import read_ahead, windows


@settings(max_examples=60, deadline=None)
@given(st.lists(st.integers(-5, 5), max_size=20), st.integers(1, 3))
def test_read_ahead_keeps_the_order_and_skips_what_it_need_not_prepare(items, depth):
    got = list(read_ahead(items, lambda x: x * 10, lambda x: x >= 0, depth=depth))
    assert got == [(x, x * 10 if x >= 0 else None) for x in items]


def test_no_more_than_depth_items_are_prepared_at_once():
    lock, running, peak = threading.Lock(), [0], [0]

    def prepare(x: int) -> int:
        with lock:
            running[0] += 1
            peak[0] = max(peak[0], running[0])
        time.sleep(0.01)
        with lock:
            running[0] -= 1
        return x

    for depth in (1, 2):
        peak[0] = 0
        assert [x for x, _ in read_ahead(range(12), prepare, lambda _x: True, depth=depth)] == [
            *range(12)
        ]
        assert peak[0] == depth


def test_windows_put_a_large_item_alone():
    items = [1, 2, 100, 3, 4, 5]
    assert list(windows(items, size=2, alone=lambda x: x >= 100)) == [[1, 2], [100], [3, 4], [5]]
