"""Widgets draw on the kernel's main thread only.

JupyterLab (4.4 and later) sends widget messages to kernel subshells, threads of their own
(ipykernel 7 and later), while cells run on the main thread; matplotlib is not thread-safe,
and a figure drawn by two threads at once can crash the kernel (the likely cause of a kernel's
death in CI's browser test of notebook 07, where one widget's changes arrived in turn on the
main thread and on a subshell thread). Here a thread with its own running event loop stands for a subshell: what it
sets, as a comm message does, must be drawn by the main thread's loop, and not while a
"cell" (the main thread, busy) runs.
"""
import asyncio
import threading
import time

import backprop_core as bp
from backprop_core.widgets.graph_stepper import GraphStepper


def in_a_subshell(action):
    """Run action() on another thread inside that thread's own running event loop, which
    keeps running a while after it (as a subshell's does); returns the thread, started."""
    async def subshell():
        action()
        await asyncio.sleep(0.3)           # its loop runs on: timers set on it would fire here

    thread = threading.Thread(target=lambda: asyncio.run(subshell()), name="subshell")
    thread.start()
    return thread


def recording_threads(widget, *methods):
    """Wrap widget's `methods` (on the instance) to record (method, name of the thread) for
    each call; returns the list."""
    calls = []
    for method in methods:
        inner = getattr(widget, method)

        def recorded(*args, _inner=inner, _method=method, **kwargs):
            calls.append((_method, threading.current_thread().name))
            return _inner(*args, **kwargs)
        setattr(widget, method, recorded)
    return calls


def test_a_front_end_change_on_another_thread_is_drawn_on_the_main_thread(strict):
    async def cell():
        lab = bp.widgets.TrainingLab(problem="linear", lr=0.1)      # made in a cell: main thread
        lab.idle_delay_s = 0.05
        threads = recording_threads(lab, "changes_arrived", "idle_work")
        start = lab.renders
        positions = [v for _, v in lab.lr.options]
        moved_to = positions[positions.index(0.1) + 1]
        subshell = in_a_subshell(lambda: lab.lr.set_state({"index": positions.index(moved_to)}))
        time.sleep(0.2)                    # a cell running on the main thread: nothing drawn meanwhile
        drawn_during_the_cell = lab.renders - start
        subshell.join()
        await asyncio.sleep(0.2)           # the main loop's turn: the change, then the idle work
        return lab, start, drawn_during_the_cell, threads, moved_to

    lab, start, drawn_during_the_cell, threads, moved_to = asyncio.run(cell())
    assert drawn_during_the_cell == 0
    assert lab.renders == start + 1 and lab.runs[0].lr == moved_to
    assert {method for method, _ in threads} == {"changes_arrived", "idle_work"}, threads
    assert {thread for _, thread in threads} == {"MainThread"}, threads


def test_a_button_clicked_on_another_thread_steps_on_the_main_thread(strict):
    async def cell():
        x = bp.graph.Value(3.0, "x")
        stepper = GraphStepper(x * x + x)
        threads = recording_threads(stepper, "go")
        in_a_subshell(stepper.next_button.click).join()
        await asyncio.sleep(0.05)
        return stepper, threads

    stepper, threads = asyncio.run(cell())
    assert stepper.index == 1 and threads == [("go", "MainThread")]


def test_outside_a_kernel_a_change_is_drawn_where_it_is_set(strict):
    """No event loop on the main thread (a script): nothing to hand over to, so a change
    made on another thread is drawn at once, on that thread."""
    lab = bp.widgets.TrainingLab(problem="linear", lr=0.1)
    start = lab.renders
    thread = threading.Thread(target=lambda: lab.set(lr=0.05))
    thread.start()
    thread.join()
    assert lab.renders == start + 1 and lab.runs[0].lr == 0.05
