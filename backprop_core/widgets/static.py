"""Static export: every picture a reader can reach on a web page with no kernel behind it.

A widget that can be exported has two public methods (and one optional):

    widget.static_controls() -> [Control, ...]   the controls a static page offers, in order,
                                                  each with its positions (its grid)
    widget.static_frame(state) -> Frame          set the widget to `state` (a dict control
                                                  name -> value) through its live API and
                                                  return its picture and its status HTML
    widget.static_state() -> dict                 its settings now (the page starts there)

A control either is precomputed (`precomputed=True`: its `values` are the positions a page
offers) or shows its one current value, disabled ("live notebook only"). `states(controls)`
enumerates every combination of the precomputed positions (the product: any position of
one control works with any of the others); `state_key` names a state as the page's
`data-state` does ("lr=0.07;mu=0.9;B=20;steps=200"). `export(widget, folder)` draws every
state once and writes the frames (one PNG per distinct picture, named by its content).

Frames are the live widget's own pixels, encoded as a notebook stores a widget's picture
(`drawing.small_png_bytes`: a 256-colour PNG): `frame_png(figure)` decodes the picture the
widget shows now and encodes it so.

Recording which widgets a notebook shows: `start_recording()` (in a kernel) makes every
displayed exportable widget also append itself and its state to `RECORDED`, in display order.
"""
import hashlib
import io
import itertools
import json
import pathlib
from dataclasses import asdict, dataclass, replace

import numpy as np
from PIL import Image

from ..i18n import Catalogue, language
from .drawing import small_png_bytes

KINDS = ("range", "select", "checkbox", "steps")
TRIES = '<span class="bp-sw-tries"></span>'     # a status' count of settings tried: the page counts

TEXT = Catalogue(
    en={"live_only": "live notebook only", "step_of": "step {i} of {n}"},
    zh={"live_only": "仅在实时笔记本中可用", "step_of": "第 {i} 步，共 {n} 步"},
)


@dataclass(frozen=True)
class Control:
    """One control of a static widget.

    name: the state's key and the data-state's name ("lr"); label: the live control's label
    in the widget's language; kind: "range" (a slider over `values`), "select" (a menu or
    toggle over `values`), "checkbox" (values (False, True)) or "steps" (Next / Back / Start
    over through `values` = 0..n-1, the `buttons` their labels); labels: the text shown for
    each value (a slider's readout, a menu's option); value: where the page starts;
    precomputed: False for a control shown disabled at its value ("live notebook only");
    grid: how the positions were chosen (documentation)."""
    name: str
    label: str
    kind: str
    values: tuple
    labels: tuple
    value: object
    precomputed: bool = True
    grid: str = ""
    buttons: tuple = ()

    def __post_init__(self):
        if self.kind not in KINDS:
            raise ValueError(f"Control kind must be one of {KINDS}, got {self.kind!r}")
        if len(self.values) != len(self.labels) or not self.values:
            raise ValueError(f"Control {self.name!r}: values and labels must be non-empty and of one "
                             f"length, got {len(self.values)} and {len(self.labels)}")
        if self.value not in self.values:
            raise ValueError(f"Control {self.name!r}: value {self.value!r} is not one of its positions")

    def as_dict(self):
        """JSON-able, with `keys`: each value as data-state writes it."""
        out = {k: list(v) if isinstance(v, tuple) else v for k, v in asdict(self).items()}
        out["keys"] = [fmt(v) for v in self.values]
        return out


@dataclass(frozen=True)
class Frame:
    """One precomputed state: the picture (PNG bytes) and the status HTML shown with it."""
    png: bytes
    status: str = ""


def fixed(name, label, kind, value, text=None):
    """A control shown disabled at its one value (not precomputed)."""
    return Control(name, label, kind, (value,), (text if text is not None else fmt(value),), value,
                   precomputed=False)


def choices(name, label, options, value, keep=None, grid=""):
    """A select control over a live dropdown's (label, value) options, all of them or the
    values in `keep` (in the options' order); the value must be one of them."""
    options = [(str(lab), val) for lab, val in options if keep is None or val in keep]
    return Control(name, label, "select", tuple(v for _, v in options), tuple(lab for lab, _ in options),
                   value, grid=grid)


def slider(name, label, values, value, fmt_=None, grid=""):
    """A range control over `values` (sorted, the live value added if missing)."""
    values = tuple(sorted(set(values) | {value}))
    form = fmt_ or fmt
    return Control(name, label, "range", values, tuple(form(v) for v in values), value, grid=grid)


def fmt(value):
    """A value as data-state writes it: floats with %g (0.07, 1e-06), pairs as 'a..b',
    others as str."""
    if isinstance(value, bool):
        return "1" if value else "0"
    if isinstance(value, float):
        return f"{value:g}"
    if isinstance(value, (tuple, list)):
        return "..".join(fmt(v) for v in value)
    return str(value)


def state_key(state, controls):
    """'name=value;...' over every control, in the controls' order."""
    return ";".join(f"{c.name}={fmt(state[c.name])}" for c in controls)


def states(controls):
    """Every state the page can reach: each precomputed control at each position, the
    others at their value (dicts, the first control varying slowest)."""
    names = [c.name for c in controls]
    grids = [c.values if c.precomputed else (c.value,) for c in controls]
    for combo in itertools.product(*grids):
        yield dict(zip(names, combo))


def check_controls(controls):
    """Raise ValueError unless `controls` is a list of Control with distinct names."""
    if not controls or not all(isinstance(c, Control) for c in controls):
        raise ValueError("static_controls() must return a non-empty list of Control")
    names = [c.name for c in controls]
    if len(set(names)) != len(names):
        raise ValueError(f"static control names must be distinct, got {names}")


def rgb_of_png(png):
    """The (height, width, 3) uint8 pixels of PNG bytes."""
    with Image.open(io.BytesIO(png)) as im:
        return np.asarray(im.convert("RGB"))


def frame_png(figure):
    """The picture a FigureImage shows now, encoded as a notebook stores it (small_png_bytes)."""
    return small_png_bytes(rgb_of_png(figure.image.value))


def quick_controls(controls, start):
    """Fewer positions, for a quick build (CI): a slider keeps its start position and the two
    beside it, a menu its start and the next option; a stepper keeps every step."""
    out = []
    for c in controls:
        if not c.precomputed or c.kind == "steps" or len(c.values) <= 2:
            out.append(c)
            continue
        i = c.values.index(start.get(c.name, c.value))
        if c.kind == "range":
            keep = range(max(0, i - 1), min(len(c.values), i + 2))
        else:
            keep = sorted({i, (i + 1) % len(c.values)})
        out.append(replace(c, values=tuple(c.values[k] for k in keep), labels=tuple(c.labels[k] for k in keep),
                           value=c.values[i], grid=c.grid + " (quick build: fewer positions)"))
    return out


def export(widget, folder, prefix="w", initial=None, quick=False, max_states=2000):
    """Draw every state of `widget` and write its frames into `folder` (one file per
    distinct picture, named `prefix-<hash>.png`). Returns the record (JSON-able): kind,
    lang, controls, initial (the state key shown first), frames {state key: [file, status]},
    count (states), files, bytes (of the distinct files). quick: see quick_controls."""
    controls = list(widget.static_controls())
    check_controls(controls)
    if quick:
        controls = quick_controls(controls, dict(initial or {}))
    folder = pathlib.Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    all_states = list(states(controls))
    if len(all_states) > max_states:
        raise ValueError(f"{type(widget).__name__}: {len(all_states)} static states, more than "
                         f"max_states={max_states}")
    frames, files, total = {}, {}, 0
    for state in all_states:
        frame = widget.static_frame(state)
        digest = hashlib.sha1(frame.png).hexdigest()[:16]
        name = f"{prefix}-{digest}.png"
        if name not in files:
            (folder / name).write_bytes(frame.png)
            files[name] = len(frame.png)
            total += len(frame.png)
        key = state_key(state, controls)
        if key in frames:
            raise ValueError(f"{type(widget).__name__}: two states are both named {key!r}")
        frames[key] = [name, frame.status]
    start = dict(initial or {})
    start = {c.name: start.get(c.name, c.value) for c in controls}
    for c in controls:
        if start[c.name] not in c.values:
            raise ValueError(f"{type(widget).__name__}: initial {c.name}={start[c.name]!r} is not a "
                             f"position of its control")
    widget.static_frame(start)                  # leave the widget as it was shown
    lang = widget_language(widget)
    return {"kind": type(widget).__name__, "lang": lang,
            "controls": [c.as_dict() for c in controls], "initial": state_key(start, controls),
            "frames": frames, "count": len(frames), "files": len(files), "bytes": total,
            "live_only": TEXT("live_only", lang=lang)}


def widget_language(widget):
    """The language a widget speaks: its own (`language` or `lang`), else the current one."""
    return getattr(widget, "language", None) or getattr(widget, "lang", None) or language()


def steps_control(positions, buttons):
    """The control of a stepper: positions = the text of each step ("step 3 of 12"),
    buttons = ((label, tooltip) of Back, Next, Start over)."""
    return Control("step", "", "steps", tuple(range(len(positions))), tuple(positions), 0,
                   grid="every step", buttons=tuple(tuple(b) for b in buttons))


# --- the training lab's grids: the controls each experiment of notebook 07 asks to move --------
EDGE = (0.6, 0.62, 0.64, 0.66, 0.68, 0.7)       # "try learning rates between 0.6 and 0.7"


def lab_grid(settings):
    """{control name: (positions, why)} for a lab configured as `settings` (runs.Settings):
    the controls its lesson asks the student to move, at the positions the lesson names and a
    few between (notebook 07's page, seven labs, must stay within 8 MB with every frame: about
    100 frames of ~33 KB). Every other control is shown at its value, disabled."""
    lr = settings.lr
    if settings.compare == "lr":                    # 07, experiment 1: η/10, η, 10η; exercise 1
        named = {0.007, 0.02, 0.07, 0.2, 0.5, 0.9} | set(EDGE)
        return {"compare": (("lr", "off"), "the comparison, or one run (exercise 1)"),
                "lr": (tuple(sorted(named | {lr})),
                       "0.007, 0.02, 0.07, 0.2, 0.5, 0.6 ... 0.7 in steps of 0.02 (exercise 1), 0.9")}
    if settings.compare == "momentum":              # experiment 2: μ = 0, 0.5, 0.9 side by side
        return {"lr": (tuple(sorted({0.05, 0.1, 0.2, 0.5, 1.0} | {lr})),
                       "η = 0.05, 0.1, 0.2, 0.5, 1 (μ = 0, 0.5, 0.9 compared at each)")}
    if settings.compare == "batch" and settings.unit == "epochs":    # experiment 3, in epochs
        return {"batch_size": (tuple(sorted({2, 5, 10} | {settings.batch_size})), "B = 2, 5, 10"),
                "steps": (tuple(sorted({5, 10, 20, 50} | {settings.steps})), "5, 10, 20, 50 epochs")}
    if settings.compare == "batch":                 # experiment 3: batch 1, B, full
        return {"batch_size": (tuple(sorted({2, 5, 10} | {settings.batch_size})), "B = 2, 5, 10"),
                "lr": (tuple(sorted({0.05, 0.1, 0.2} | {lr})), "η = 0.05, 0.1, 0.2"),
                "seed": ((0, 1), "seeds 0, 1 (the order of the samples)")}
    if settings.compare == "schedule":              # experiment 4: constant, exponential, 1/t
        return {"lr": (tuple(sorted({0.05, 0.1, 0.2} | {lr})), "η = 0.05, 0.1, 0.2"),
                "seed": ((0, 1), "seeds 0, 1 (the order of the samples)")}
    # a fresh lab (experiment 5): every problem, the largest stable η on each
    return {"problem": (None, "the four problems"),
            "lr": (tuple(sorted({0.01, 0.05, 0.1, 0.5, 0.7, 1.0, 2.0} | {lr})),
                   "η = 0.01, 0.05, 0.1, 0.5, 0.7, 1, 2 (one run each)")}


# --- recording the widgets a notebook displays ---------------------------------------------
RECORDED = []           # [(widget, state at display time, source of the cell)], in display order


def exportable(obj):
    """True when `obj` has the static-export protocol (static_controls and static_frame)."""
    return callable(getattr(obj, "static_controls", None)) and callable(getattr(obj, "static_frame", None))


def _recording_bundle(obj, include=None, exclude=None):
    from IPython import get_ipython
    ip = get_ipython()
    state = obj.static_state() if callable(getattr(obj, "static_state", None)) else {}
    source = ip.history_manager.input_hist_raw[-1] if ip is not None else None   # the running cell
    RECORDED.append((obj, dict(state), source))
    return obj._repr_mimebundle_(include=include, exclude=exclude)


def start_recording(classes=None):
    """In an IPython kernel: every displayed instance of `classes` (default: every exportable
    widget class of the package) is appended to RECORDED as it is displayed."""
    from IPython import get_ipython
    ip = get_ipython()
    if ip is None:
        raise RuntimeError("start_recording() needs an IPython kernel")
    if classes is None:
        from . import GraphStepper, PictureWidget, Stepper
        classes = (PictureWidget, Stepper, GraphStepper)
    formatter = ip.display_formatter.mimebundle_formatter
    for cls in classes:
        formatter.for_type(cls, _recording_bundle)
    RECORDED.clear()


def export_recorded(folder, stem, manifest, quick=False):
    """Export every recorded widget (frames in `folder`, prefixes w0, w1 ...) and write the
    records, with the source of the cell that displayed each, as JSON to `manifest`."""
    records = []
    for k, (widget, state, source) in enumerate(RECORDED):
        record = export(widget, folder, prefix=f"w{k}", initial=state, quick=quick)
        record.update(stem=stem, index=k, cell_source=source)
        records.append(record)
    pathlib.Path(manifest).write_text(json.dumps(records, ensure_ascii=False), encoding="utf-8")
    return records


def lab_controls(lab):
    """The static controls of a widgets.TrainingLab: its live controls in order, those of
    `lab_grid(lab.settings())` at their grid's positions, the others fixed."""
    import ipywidgets as widgets
    grid = lab_grid(lab.settings())
    out = []
    for name, control in lab.controls.items():
        label, value = control.description, control.value
        menu = isinstance(control, (widgets.Dropdown, widgets.ToggleButtons))
        if name in grid:
            values, why = grid[name]
            if menu:
                out.append(choices(name, label, control.options, value, keep=values, grid=why))
            else:
                out.append(slider(name, label, values, value, grid=why))
        elif menu:
            text = {v: str(lab_) for lab_, v in control.options}[value]
            out.append(fixed(name, label, "select", value, text))
        elif isinstance(control, widgets.Checkbox):
            out.append(fixed(name, label, "checkbox", bool(value)))
        else:
            out.append(fixed(name, label, "range", value))
    return out


# --- the explorers' grids: the positions of the controls each lesson asks the student to move ---
def ladder(lo_exp, hi_exp, mantissas=(1, 2, 5)):
    """1, 2, 5 times every power of ten from 10**lo_exp to 10**hi_exp (exact as written)."""
    return tuple(v for v in sorted(float(f"{m}e{e}") for e in range(lo_exp, hi_exp + 1) for m in mantissas)
                 if v <= float(f"1e{hi_exp}"))


# 01a: η over a 1-2-5 ladder 1e-7..0.1 with the lesson's 3e-6 (exercise) and the edge of stability
# 3.8e-6..4.2e-6 (4e-6: the error factor is -1); the steps k; both update rules
LR_EXPLORER = {"lr": tuple(sorted(set(ladder(-7, -1)) | {3e-6, 3.8e-6, 3.9e-6, 4e-6, 4.1e-6, 4.2e-6})),
               "steps": (1, 3, 10, 30)}
# 03: each weight from its start - 0.04 to its start + 0.08 in steps of 0.02 (7 positions each)
TRIAL_OFFSETS = tuple(round(0.02 * k, 2) for k in range(-2, 5))
# 08: every activation; z0 from -10 to 10 in steps of 2, and -1, 1; the input range [-6, 6] or [-10, 10]
ACTIVATION = {"z0": tuple(sorted(float(z) for z in [*range(-10, 11, 2), -1, 1])),
              "z_range": ((-6.0, 6.0), (-10.0, 10.0))}
# 08a: the prediction y from -2 to 4 in steps of 0.5; both labels; p over 0.01 ... 0.99; t fixed
LOSS = {"prediction": tuple(round(-2.0 + 0.5 * k, 1) for k in range(13)),
        "probability": (0.01, 0.05, 0.1, 0.2, 0.5, 0.8, 0.99)}
# 09: depth 2..20 (6 positions), every activation and initialisation, seeds 0, 1, 2
DEPTH = {"depth": (2, 4, 6, 10, 15, 20), "seed": (0, 1, 2)}


def range_text(pair):
    """'[-6, 6]' for (-6.0, 6.0)."""
    return f"[{pair[0]:g}, {pair[1]:g}]"
