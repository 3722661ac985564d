"""A small least-recently-used cache: the one the package's caches are made of.

    cache = LRU(128)
    cache[key] = value          # the newest; over 128 entries the oldest goes
    cache.get(key)              # the value (now the newest) or None
    LRU(8, evicted=f)           # f(value) for each value that goes (e.g. remove an artist)
"""
from collections import OrderedDict


class LRU:
    """At most `size` entries; reading or writing a key makes it the newest, and the oldest
    goes when a new key would exceed the size (passed to `evicted`, if given)."""

    def __init__(self, size, evicted=None):
        if int(size) < 1:
            raise ValueError(f"size must be a whole number >= 1, got {size!r}")
        self.size = int(size)
        self.evicted = evicted
        self._items = OrderedDict()

    def __contains__(self, key):
        return key in self._items

    def __len__(self):
        return len(self._items)

    def __getitem__(self, key):
        self._items.move_to_end(key)
        return self._items[key]

    def __setitem__(self, key, value):
        self._items[key] = value
        self._items.move_to_end(key)
        if len(self._items) > self.size:
            _, value = self._items.popitem(last=False)
            if self.evicted is not None:
                self.evicted(value)

    def get(self, key, default=None):
        """The value of `key` (now the newest), or `default` when it is not kept."""
        return self[key] if key in self._items else default

    def pop(self, key):
        """Remove `key` and return its value (KeyError when it is not kept)."""
        return self._items.pop(key)

    def __iter__(self):
        """The keys kept, oldest first (iterating changes no order)."""
        return iter(list(self._items))

    def clear(self):
        """Forget every entry."""
        self._items.clear()
