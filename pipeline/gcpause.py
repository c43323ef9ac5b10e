"""The cyclic garbage collector paused while one large input is turned into objects.

Loading a records file, or drafting from thousands of activities, allocates hundreds of
thousands of objects that all stay alive; every generation-2 collection on the way walks
the whole heap again, so time grew faster than the input (a 16,000-activity file: 7.6 s, of
which 5 s were collections). Those objects hold no reference cycles that need the collector
(reference counting frees them), so nothing is lost by pausing it for the span of the work.

On resuming, everything built during the pause would still sit in the youngest generation,
and the first allocation after it would scan all of it at once (a 16,000-activity file:
about 0.25 s, growing faster than the file as the heap outgrows the caches). So the pause
hands those objects to the oldest generation first: gc.freeze() then gc.unfreeze() moves
them there without scanning them. They are not exempt from collection: the next full
collection, when the collector's own thresholds call for it, sees them as usual.
"""

from __future__ import annotations

import contextlib
import gc
from collections.abc import Iterator


@contextlib.contextmanager
def paused_gc() -> Iterator[None]:
    """Pause the collector for the block; resumed after it only if it was running (nested
    uses and a caller that turned it off stay as they were)."""
    was_on = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_on:
            if gc.get_freeze_count() == 0:  # never thaw what the application itself froze
                gc.freeze()
                gc.unfreeze()
            gc.enable()
