"""paused_gc: the collector is resumed as it was, what was built during the pause is not
left in the youngest generation for one large scan, and nothing escapes collection."""

from __future__ import annotations

import gc
import sys
import weakref

import pytest

from pipeline.gcpause import paused_gc


class _Node:
    pass


def _generation_of(obj) -> int | None:
    return next((g for g in range(3) if any(o is obj for o in gc.get_objects(generation=g))), None)


@pytest.mark.skipif(sys.version_info >= (3, 14), reason="Python 3.14 的增量回收器分代不同")
def test_objects_built_in_the_pause_skip_the_young_scan():
    assert gc.isenabled()
    with paused_gc():
        assert not gc.isenabled()
        kept = [[i] for i in range(50_000)]
    assert gc.isenabled()
    # handed to the oldest generation unscanned, not promoted by a young collection
    assert _generation_of(kept[0]) == 2 and _generation_of(kept[-1]) == 2
    assert gc.get_freeze_count() == 0 and len(kept) == 50_000


def test_a_cycle_made_in_the_pause_is_still_collected():
    with paused_gc():
        a, b = _Node(), _Node()
        a.other, b.other = b, a
        gone = weakref.ref(a)
        del a, b
    assert gone() is not None  # reference counting alone cannot free a cycle
    gc.collect()
    assert gone() is None


def test_nested_and_disabled_callers_keep_their_state():
    with paused_gc():
        with paused_gc():
            pass
        assert not gc.isenabled()
    assert gc.isenabled()
    gc.disable()
    try:
        with paused_gc():
            pass
        assert not gc.isenabled()
    finally:
        gc.enable()


@pytest.mark.skipif(sys.version_info >= (3, 14), reason="Python 3.14 的增量回收器分代不同")
def test_what_the_application_froze_stays_frozen():
    frozen = [[1], [2]]
    gc.freeze()
    try:
        with paused_gc():
            made = [[3]]
        assert _generation_of(frozen[0]) is None  # still in the permanent generation
        assert _generation_of(made[0]) is not None and gc.isenabled()
    finally:
        gc.unfreeze()
