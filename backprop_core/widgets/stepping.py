"""The base of the steppers: Next / Back / Start over through a fixed list of steps.

Each step is a picture and a caption (a title, an explanation, formulas with the numbers
put in). The steps never change, so each picture is drawn on its first visit and its PNG
kept: going back (or forward again) to a step seen before only sends the kept pixels.
A subclass (widgets.Stepper, widgets.GraphStepper) makes `steps` and `figure` in an
__init__ wrapped in picture.made_in_language, calls `StepperBase.__init__`, and defines
`caption_of(i)` (a Caption) and `draw_step(i)` (the PNG bytes of step i's picture).

One language per stepper: it takes `lang=` ("en" or "zh"; None: the current language,
bp.set_language), keeps it as `self.lang`, and every word and picture is in it.
"""
import html
from dataclasses import dataclass

import ipywidgets as widgets

from ..i18n import Catalogue
from .picture import PictureWidget, bundle_with_png, note_home_loop, on_home_loop, running_loop, speaking

NAVIGATION = Catalogue(
    en={"back": "◀ Back", "back_tip": "previous step", "next": "Next ▶", "next_tip": "next step",
        "start": "⟲ Start over", "start_tip": "back to step 1", "position": "step {i} of {n}"},
    zh={"back": "◀ 上一步", "back_tip": "上一步", "next": "下一步 ▶", "next_tip": "下一步",
        "start": "⟲ 从头开始", "start_tip": "回到第 1 步", "position": "第 {i} 步，共 {n} 步"},
)


@dataclass(frozen=True)
class Caption:
    """What a step says under its picture: title, explain (one sentence) and lines (the
    formulas with the numbers put in), in the stepper's language."""
    title: str
    explain: str
    lines: tuple

    def html(self):
        """The HTML shown under the picture: bold title — italic explanation, then the lines."""
        lines = "<br>".join(html.escape(line) for line in self.lines)
        return (f"<div style='font-size:1.05em'><b>{html.escape(self.title)}</b>"
                f" &mdash; <i>{html.escape(self.explain)}</i><br>"
                f"<code style='font-size:1.05em'>{lines}</code></div>")


def step_index(i, n):
    """i as an int in 0..n-1 (TypeError for a non-integer, ValueError out of range)."""
    if isinstance(i, bool) or not hasattr(i, "__index__"):
        raise TypeError(f"step index must be an integer, got {type(i).__name__}")
    i = int(i)
    if not 0 <= i < n:
        raise ValueError(f"step index must be in 0..{n - 1}, got {i}")
    return i


class StepperBase(PictureWidget):
    """Next / Back / Start over through `steps`, one picture and one caption each.

    Attributes: steps, index, lang, figure (FigureImage), caption (HTML under the picture),
    label (HTML "step k of n"), back_button, next_button, start_button, widget (the VBox
    to display), prefetch (draw the next step's picture after showing one: in a kernel, in the
    event loop's next turn, once the callback that showed it has returned).
    Methods: next(), back(), go(i), picture(i). A subclass defines caption_of(i) -> Caption
    and draw_step(i) -> PNG bytes (called once per step, in the stepper's language).
    """

    def __init__(self, steps, figure, caption_height="7em", prefetch=False):
        self.steps, self.figure, lang = steps, figure, self.lang
        self.prefetch = bool(prefetch)
        self.caption = widgets.HTML(layout=widgets.Layout(min_height=caption_height))
        self.label = widgets.HTML()
        self.back_button, self.next_button, self.start_button = (
            widgets.Button(description=NAVIGATION(key, lang), tooltip=NAVIGATION(f"{key}_tip", lang),
                           button_style="primary" if key == "next" else "",
                           layout=widgets.Layout(width=width))
            for key, width in (("back", "8em"), ("next", "8em"), ("start", "9em")))
        note_home_loop()
        self.back_button.on_click(lambda _: on_home_loop(self.back))   # on the main thread
        self.next_button.on_click(lambda _: on_home_loop(self.next))
        self.start_button.on_click(lambda _: on_home_loop(self.go, 0))
        controls = widgets.HBox([self.back_button, self.next_button, self.start_button,
                                 self.label], layout=widgets.Layout(align_items="center"))
        self.widget = widgets.VBox([self.figure.image, self.caption, controls])
        self.index = 0
        self._pngs = {}                 # step index -> PNG bytes, drawn on the first visit
        self.go(0)

    def next(self):
        """One step forward (no-op at the last step)."""
        return self.go(min(self.index + 1, len(self.steps) - 1))

    def back(self):
        """One step back (no-op at the first step)."""
        return self.go(max(self.index - 1, 0))

    def go(self, i):
        """Show step i (0-based): its picture, its caption, the position; returns the step."""
        i = step_index(i, len(self.steps))
        self.index = i
        self.figure.show(self.picture(i))
        self.caption.value = self.caption_of(i).html()
        self.label.value = "&nbsp;" + html.escape(self.position(i))
        self.back_button.disabled = i == 0
        self.next_button.disabled = i == len(self.steps) - 1
        if self.prefetch and i + 1 < len(self.steps):
            loop = running_loop()               # in a kernel: after this callback has returned
            if loop is None:
                self.picture(i + 1)
            else:
                loop.call_soon(self.picture, i + 1)
        return self.steps[i]

    def position(self, i):
        """'step i+1 of n' in the stepper's language."""
        return NAVIGATION("position", self.lang, i=i + 1, n=len(self.steps))

    def picture(self, i):
        """The PNG bytes of step i's picture (drawn on the first call, then kept)."""
        if i not in self._pngs:
            with speaking(self.lang):
                self._pngs[i] = self.draw_step(i)
        return self._pngs[i]

    def caption_of(self, i):
        """The Caption of step i."""
        raise NotImplementedError

    def draw_step(self, i):
        """Draw step i's picture and return its PNG bytes."""
        raise NotImplementedError

    def _repr_mimebundle_(self, **kwargs):
        # the live widget, its one-line description, and the current picture as PNG (GitHub)
        data = bundle_with_png(self.widget, self.figure.image.value, **kwargs)
        data["text/plain"] = repr(self)
        return data

    # --- static export (widgets.static): every step, for a page without a kernel -------------
    def static_state(self):
        """{"step": the step shown now (0-based)}."""
        return {"step": self.index}

    def static_controls(self):
        """Back / Next / Start over through every step, labelled as the live buttons."""
        from .static import steps_control
        positions = [self.position(i) for i in range(len(self.steps))]
        return [steps_control(positions, [(b.description, b.tooltip) for b in
                                          (self.back_button, self.next_button, self.start_button)])]

    def static_frame(self, state):
        """go(state["step"]): the step's picture as the stepper shows it and its caption HTML."""
        from .static import Frame, frame_png
        self.go(state["step"])
        return Frame(frame_png(self.figure), self.caption.value)
