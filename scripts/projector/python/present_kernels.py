"""The kernel manager of `make present` (scripts/present.sh): culling that is safe with preheated kernels.

Voila gives each page its own kernel. jupyter_server's culler shuts down a kernel that has had no
connection and no activity for `cull_idle_timeout` seconds, which is what a closed page needs. But a
preheated kernel ran its notebook when the pool was filled, perhaps many minutes before a student
takes it; from that moment until the student's page opens its websocket (seconds, more under load)
it has no connection and an old last activity, so the culler could shut it down under the student,
whose page then shows "Kernel does not exist" and dead widgets (seen in benchmarks/class_load.py).

So a kernel that has never had a page connected is given the whole cull time again, counted from
the first time the culler finds it outside Voila's pool (Voila skips the kernels still in its pool
before asking this class). Once a page has connected, the usual rule holds: culled after
`cull_idle_timeout` seconds without a connection and without activity.
"""
import time

from jupyter_server.services.kernels.kernelmanager import AsyncMappingKernelManager


class PresentKernelManager(AsyncMappingKernelManager):
    """AsyncMappingKernelManager whose culler waits for a page that has not connected yet."""

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self._connected_once = set()    # kernel ids that a page has connected to
        self._unconnected_since = {}    # kernel id -> monotonic time the culler first saw it unconnected

    def notify_connect(self, kernel_id):
        self._connected_once.add(kernel_id)
        self._unconnected_since.pop(kernel_id, None)
        super().notify_connect(kernel_id)

    async def cull_kernel_if_idle(self, kernel_id):
        if kernel_id not in self._connected_once:
            first_seen = self._unconnected_since.setdefault(kernel_id, time.monotonic())
            if time.monotonic() - first_seen <= self.cull_idle_timeout:
                return None
        return await super().cull_kernel_if_idle(kernel_id)

    async def cull_kernels(self):
        running = set(self.list_kernel_ids())          # forget the kernels that are gone
        self._connected_once &= running
        for kernel_id in set(self._unconnected_since) - running:
            del self._unconnected_since[kernel_id]
        return await super().cull_kernels()
