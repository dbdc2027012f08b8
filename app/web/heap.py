"""The worker's garbage collector, settled once the app has started.

Python's cycle collector walks every tracked object it holds in a generation. After start-up a worker holds a
quarter of a million of them (modules, routes, templates, SQLAlchemy's mappers), all alive for the process's
life; each full collection walked them all and stopped the event loop for 80–105 ms, in the middle of a rush a
few times a minute (measured with gc.callbacks during 3,000 writes on PostgreSQL): the load test's slowest
answers. Frozen (`gc.freeze`), they are left out of every collection: a full one then takes under 10 ms. The
youngest generation is collected after 10,000 new objects instead of 700: in the same 3,000 writes 14 young
collections of up to 5 ms instead of 321 of up to 1 ms, about 70 ms in all instead of 250 ms (a threshold of
50,000 made single collections of up to 26 ms). Garbage made after start-up is collected as before.
"""

import gc


def settle(young_threshold: int) -> None:
    """Freeze what start-up left alive and collect the youngest objects after `young_threshold` new ones
    (0: leave the collector as Python sets it)."""
    if young_threshold <= 0:
        return
    gc.collect()  # garbage of the start-up is freed, not frozen
    gc.freeze()
    _young, middle, old = gc.get_threshold()
    gc.set_threshold(young_threshold, middle, old)
