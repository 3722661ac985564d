"""The base of every live picture: controls that redraw one figure, in one language.

Live, not queued: a change that comes from the front end (a drag, a key on a handle) is
redrawn a moment later on the kernel's event loop: 1 ms when the picture has been still
for a while (`PictureWidget.still_fold_s`, `still_s`: a key press after a pause; a change
that comes with it, such as a range typed into 08's readout, is folded in), else 4 ms
(`coalesce_s`), so changes that arrive while a redraw runs (a drag) are folded into one
redraw of the latest values; a change set from code is redrawn at once (the next line of
a cell sees the new picture).

One thread: every callback runs on the kernel's main thread, where the cells run
(`on_home_loop`). JupyterLab (4.4 and later) sends widget messages to kernel subshells,
threads of their own (ipykernel 7 and later), and matplotlib is not thread-safe: two threads
drawing one figure can crash the kernel. A change that arrives on another thread is handed to
the main thread's event loop; it waits there while a cell runs, as every change did before
subshells.

One language per widget: a widget takes `lang=` ("en" or "zh"; default the current
language, bp.set_language), keeps it as `self.lang`, is made in it (`made_in_language`) and
runs its callbacks in it (`speaking`), so a widget made in 简体中文 stays Chinese when the
language is switched later.
"""
import asyncio
import base64
import functools
import sys
import threading
import traceback
from contextlib import contextmanager

from ..i18n import LANGUAGES, language, set_language


def running_loop():
    """The running asyncio loop (a kernel's), or None (a script, a test, nbval's cell code)."""
    try:
        return asyncio.get_running_loop()
    except RuntimeError:
        return None


_home_loop = None        # the main thread's running loop, a kernel's: where the widgets work


def note_home_loop():
    """On the main thread in a running loop (a cell in a kernel): keep that loop as the
    widgets' home (on_home_loop). Called by every widget as it is made."""
    global _home_loop
    if threading.current_thread() is threading.main_thread():
        loop = running_loop()
        if loop is not None:
            _home_loop = loop


def on_home_loop(callback, *args):
    """callback(*args) on the main thread: at once when called there (or when no kernel's
    loop is known), else handed to the home loop (noted by note_home_loop), which runs it
    after the cell that is running, if any (see the module's doc: subshells)."""
    home = _home_loop
    if home is None or home.is_closed() or threading.current_thread() is threading.main_thread():
        return callback(*args)
    home.call_soon_threadsafe(_reporting, callback, *args)
    return None


def _reporting(callback, *args):
    """callback(*args) as a loop's callback: an exception is printed, not raised into the loop."""
    try:
        callback(*args)
    except Exception:                                  # noqa: BLE001 - a loop callback must not raise
        traceback.print_exc(file=sys.stderr)


def bundle_with_png(widget, png, **kwargs):
    """The live widget's display data plus `png` (bytes) as image/png, so viewers without a
    kernel or widget support (GitHub, nbviewer without state) still show the picture."""
    data = widget._repr_mimebundle_(**kwargs)
    if isinstance(data, tuple):                      # (data, metadata)
        data = data[0]
    data = dict(data or {})
    if png:
        data["image/png"] = base64.b64encode(png).decode("ascii")
    return data


@contextmanager
def speaking(lang):
    """Run the body with the package's language set to `lang`, then restore the previous one:
    a widget's callbacks write in the language it was made in."""
    previous = language()
    if lang == previous:
        yield
        return
    set_language(lang)
    try:
        yield
    finally:
        set_language(previous)


def made_in_language(init):
    """Decorator of a widget's __init__(self, ..., lang=None): keeps `lang` (None: the current
    language) as self.lang and makes the widget in it."""
    @functools.wraps(init)
    def made(self, *args, **kwargs):
        lang = kwargs.get("lang")
        if lang is not None and lang not in LANGUAGES:
            raise ValueError(f"lang must be one of {list(LANGUAGES)} or None, got {lang!r}")
        self.lang = language() if lang is None else lang
        with speaking(self.lang):
            init(self, *args, **kwargs)
    return made


class PictureWidget:
    """Base of the widgets: controls that redraw one picture.

    A subclass sets `widget` (its layout) and `figure` (a FigureImage), defines `update()`,
    and calls `watch(*controls)`: any value change of those controls calls `changed(change)`,
    which calls update() (a subclass may override changed()). Callbacks run in the widget's
    language `lang` (set by made_in_language, else recorded by the first watch()).
    Displayed, it shows the live widget plus its current picture as PNG (image/png, for
    viewers without a kernel).
    """

    lang = None
    coalesce_s = 0.004          # a front-end change is redrawn this long after the last one arrived,
    still_s = 0.1               # ... unless the last front-end flush ended this long ago:
    still_fold_s = 0.001        # then this long (a change that came with it is folded in)
    _pending = None
    _timer = None
    _flushed_at = float("-inf")     # the loop's time when the last front-end flush ended (redrawn or an echo)

    def watch(self, *controls):
        """Redraw (changed() -> update()) whenever one of `controls` changes its value, on the
        main thread (on_home_loop)."""
        if self.lang is None:
            self.lang = language()
        note_home_loop()
        for control in controls:
            control.observe(self._observed, names="value")

    def _observed(self, change):
        """A value changed, on whatever thread set it: from the front end when the control
        holds the values the front end sent (ipywidgets' property lock, set on that thread)."""
        front_end = bool(getattr(change.get("owner"), "_property_lock", None))
        on_home_loop(self._on_change, change, front_end)

    def _on_change(self, change, front_end):
        loop = running_loop()
        if loop is not None and front_end:
            if self._pending is None:
                self._pending = []
            self._pending.append(change)
            if self._timer is not None:
                self._timer.cancel()
            still = loop.time() - self._flushed_at > self.still_s      # not within a drag
            self._timer = loop.call_later(self.still_fold_s if still else self.coalesce_s, self._flush)
            return
        self._pending, pending = None, self._pending or []    # from code: now, with what was pending
        if self._timer is not None:
            self._timer.cancel()
            self._timer = None
        with speaking(self.lang or language()):
            self.changes_arrived(pending + [change])

    def _flush(self):
        """The deferred redraw: every change that arrived meanwhile, folded into one."""
        self._timer = None
        changes, self._pending = self._pending or [], None
        if not changes:
            return
        try:
            renders = self.figure.renders
            with speaking(self.lang or language()):
                self.changes_arrived(changes)
            if self.figure.renders != renders:       # redrawn (not an echo of the values shown)
                self.after_flush()
        except Exception:                            # noqa: BLE001 - a loop callback must not raise
            traceback.print_exc(file=sys.stderr)
        finally:
            loop = running_loop()
            self._flushed_at = loop.time() if loop is not None else float("-inf")

    def after_flush(self):
        """Called after a deferred (front-end) redraw, on the kernel's event loop: schedules
        the widget's idle work (idle_work), idle_delay_s later."""
        self.schedule_idle()

    idle_delay_s = 0.3          # idle this long after a front-end redraw before idle_work
    _idle_timer = None
    _idle_owner = None          # the one widget with idle work scheduled (the last one moved)

    def idle_work(self):
        """One piece of work for idle time (e.g. draw the background a next move may need);
        True when it did one and may have more (it is called again after a loop turn)."""
        return False

    prefetched = 0              # backgrounds drawn in idle time (draw_ahead)

    def draw_ahead(self, states, set_up, shown):
        """idle_work's usual piece for a blitted figure: set_up(state) arranges the static part
        as `state` has it; the first of `states` whose background is not kept is drawn and kept
        (figure.prepare; `prefetched` counts them); set_up(shown) puts back the picture shown.
        True when one was drawn."""
        try:
            for state in states:
                set_up(state)
                key = self.figure.scene.key()
                if not self.figure.has_background(key):
                    self.figure.prepare(key)
                    self.prefetched += 1
                    return True
            return False
        finally:
            set_up(shown)

    def schedule_idle(self, delay=None):
        """Call idle_work `delay` s from now (default idle_delay_s) on the running loop, and
        again after each piece, until it has nothing left or a front-end change is pending.
        Only the widget moved last works in idle time: this call cancels another's."""
        loop = running_loop()
        if loop is None:
            return
        owner = PictureWidget._idle_owner
        if owner is not None and owner is not self and owner._idle_timer is not None:
            owner._idle_timer.cancel()
            owner._idle_timer = None
        PictureWidget._idle_owner = self
        if self._idle_timer is not None:
            self._idle_timer.cancel()
        self._idle_timer = loop.call_later(self.idle_delay_s if delay is None else delay, self._idle_turn)

    def _idle_turn(self):
        self._idle_timer = None
        if self.pending:                               # a change is waiting: it comes first
            return
        try:
            with speaking(self.lang or language()):
                more = self.idle_work()
        except Exception:                              # noqa: BLE001 - a loop callback must not raise
            traceback.print_exc(file=sys.stderr)
            return
        if more:
            self.schedule_idle(0.01)                   # the next piece after a loop turn

    @property
    def pending(self):
        """The front-end changes not redrawn yet (0 when the picture is up to date)."""
        return len(self._pending or ())

    def changes_arrived(self, changes):
        """One or more watched changes (oldest first) to redraw at once: changed(the last)."""
        self.changed(changes[-1])

    def changed(self, change):
        """A watched control changed: redraw."""
        self.update()

    def _repr_mimebundle_(self, **kwargs):
        return bundle_with_png(self.widget, self.figure.image.value, **kwargs)
