"""Exercises of "backprop by hand": check a student's backward code, never show the answer.

    def mul_backward(a, b, grad_out):          # the student's code
        return ..., ...
    check_mul_backward(mul_backward)            # prints: right, or a hint

Each checker runs the student's function (or takes their arrays) on test inputs, compares
with what `backprop_core.graph` or the vectorised core computes, and prints "right" or a
hint in the current language (bp.set_language). `...` or None means "not answered yet":
a reminder is printed, no error, so a notebook runs from top to bottom. The expected
numbers are never printed. Each checker returns a Verdict: true when right (and shows
nothing in a notebook, so a check can end a cell).
"""
import math

import numpy as np

from . import examples
from .exercises import Verdict
from .i18n import Catalogue

TEXT = Catalogue(
    en={
        "todo": "{name}: not answered yet — replace the ... with your code and run the cell again",
        "right": "{name}: right ✓ (checked on {n} test inputs)",
        "right_arrays": "{name}: right ✓ (equal to the core's gradient)",
        "right_value": "{name}: right ✓ (equal to the core's δ within {tol})",
        "crash": "{name}: not yet — your code raised {error}",
        "pair": "{name}: not yet — return two numbers: (gradient for a, gradient for b)",
        "not_number": "{name}: not yet — return a number, got {kind}",
        "mul_own": "{name}: not yet — each input's gradient uses the OTHER input: "
                   "∂(a·b)/∂a is b, not a",
        "forgot_upstream": "{name}: not yet — multiply by grad_out, the gradient that "
                           "arrives from above (chain rule)",
        "sign": "{name}: not yet — check the sign",
        "sig_z": "{name}: not yet — the derivative of the sigmoid uses σ(z), the output, "
                 "not z itself: σ(z)·(1 − σ(z))",
        "sig_half": "{name}: not yet — the sigmoid's derivative is σ(z)·(1 − σ(z)): a factor "
                    "is missing",
        "wrong": "{name}: not yet — wrong on {bad} of {n} test inputs; work out the "
                 "local derivative on paper first",
        "shape": "{name}: not yet — it should have the shape {want} (the shape of the "
                 "weights it belongs to), yours has {have}",
        "transposed": "{name}: not yet — the shape is transposed: the gradient of W has "
                      "W's shape {want} (input p in rows, unit q in columns)",
        "twice": "{name}: not yet — off by a factor of 2: where does the 2 of (y − t)² go?",
        "array_wrong": "{name}: not yet — {bad} of {n} entries are off; a weight's "
                       "gradient is (its input) × (the gradient arriving at its unit)",
        "delta_sign": "{name}: not yet — check the sign: the post's δ = (t − o)·f'(z) "
                      "is positive when the output is too small",
        "delta_wrong": "{name}: not yet — off by more than {tol}",
    },
    zh={
        "todo": "{name}：还没有作答——把 ... 换成你的代码，再运行这个单元格",
        "right": "{name}：正确 ✓（已在 {n} 组测试输入上检查）",
        "right_arrays": "{name}：正确 ✓（与核心库算出的梯度相同）",
        "right_value": "{name}：正确 ✓（与核心库算出的 δ 相差不到 {tol}）",
        "crash": "{name}：还不对——你的代码报错：{error}",
        "pair": "{name}：还不对——要返回两个数：（a 的梯度, b 的梯度）",
        "not_number": "{name}：还不对——要返回一个数，你返回的是 {kind}",
        "mul_own": "{name}：还不对——每个输入的梯度用的是【另一个】输入：∂(a·b)/∂a 是 b，不是 a",
        "forgot_upstream": "{name}：还不对——还要乘上 grad_out，也就是从上面传下来的梯度（链式法则）",
        "sign": "{name}：还不对——检查一下正负号",
        "sig_z": "{name}：还不对——sigmoid 的导数用的是输出 σ(z)，不是 z 本身：σ(z)·(1 − σ(z))",
        "sig_half": "{name}：还不对——sigmoid 的导数是 σ(z)·(1 − σ(z))：少了一个因子",
        "wrong": "{name}：还不对——{n} 组测试输入中有 {bad} 组算错了；先在纸上推一推局部导数",
        "shape": "{name}：还不对——形状应当是 {want}（和它对应的权重形状一样），你的是 {have}",
        "transposed": "{name}：还不对——形状转置了：W 的梯度和 W 的形状 {want} 相同"
                      "（行是输入 p，列是单元 q）",
        "twice": "{name}：还不对——差了 2 倍：(y − t)² 求导得到的那个 2 去哪儿了？",
        "array_wrong": "{name}：还不对——{n} 个元素中有 {bad} 个不对；一个权重的梯度 ="
                       "（它的输入）×（传到它所在单元的梯度）",
        "delta_sign": "{name}：还不对——检查正负号：帖子里的 δ = (t − o)·f'(z)，"
                      "输出偏小时它是正的",
        "delta_wrong": "{name}：还不对——误差超过了 {tol}",
    },
)

_MUL_CASES = [(2.0, -3.0, 1.0), (1.5, 4.0, -2.0), (-0.5, 0.25, 3.0), (3.0, 7.0, 0.5)]
_SIG_CASES = [(0.0, 1.0), (1.5, 2.0), (-2.0, -0.5), (0.3, 0.7)]


def _unanswered(value):
    if value is None or value is Ellipsis:
        return True
    if isinstance(value, (tuple, list)):
        return any(_unanswered(v) for v in value)
    return False


def _close(a, b, tol=1e-9):
    return abs(a - b) <= tol * max(1.0, abs(b))


def _scalar(value):
    """float(value) for a number or a size-1 array; None if it is not one number."""
    if isinstance(value, (bool, np.bool_)):
        return None
    try:
        arr = np.asarray(value, dtype=float)
    except (TypeError, ValueError):
        return None
    return float(arr.reshape(-1)[0]) if arr.size == 1 else None


def _call(fn, name, args):
    """(result, None) or (None, message) when fn raised."""
    try:
        return fn(*args), None
    except Exception as error:                     # a student's bug: report it, do not crash
        return None, TEXT("crash", name=name, error=f"{type(error).__name__}: {error}")


def _report(message, ok):
    print(message)
    return Verdict(ok)


def check_mul_backward(fn, name="mul_backward"):
    """fn(a, b, grad_out) -> (grad_a, grad_b) for out = a·b. Prints right or a hint."""
    if _unanswered(fn):
        return _report(TEXT("todo", name=name), False)
    bad, hints = 0, []
    for a, b, g in _MUL_CASES:
        result, error = _call(fn, name, (a, b, g))
        if error:
            return _report(error, False)
        if _unanswered(result):
            return _report(TEXT("todo", name=name), False)
        if not isinstance(result, (tuple, list)) or len(result) != 2:
            return _report(TEXT("pair", name=name), False)
        ga, gb = (_scalar(v) for v in result)
        if ga is None or gb is None:
            return _report(TEXT("pair", name=name), False)
        if _close(ga, b * g) and _close(gb, a * g):
            continue
        bad += 1
        if _close(ga, a * g) and _close(gb, b * g):
            hints.append("mul_own")
        elif _close(ga, b) and _close(gb, a):
            hints.append("forgot_upstream")
        elif _close(ga, -b * g) and _close(gb, -a * g):
            hints.append("sign")
    if not bad:
        return _report(TEXT("right", name=name, n=len(_MUL_CASES)), True)
    key = hints[0] if hints and len(hints) == bad and len(set(hints)) == 1 else "wrong"
    return _report(TEXT(key, name=name, bad=bad, n=len(_MUL_CASES)), False)


def _sig(z):
    return 1.0 / (1.0 + math.exp(-z))


def check_sigmoid_backward(fn, name="sigmoid_backward"):
    """fn(z, grad_out) -> grad_z for out = σ(z). Prints right or a hint."""
    if _unanswered(fn):
        return _report(TEXT("todo", name=name), False)
    bad, hints = 0, []
    for z, g in _SIG_CASES:
        result, error = _call(fn, name, (z, g))
        if error:
            return _report(error, False)
        if _unanswered(result):
            return _report(TEXT("todo", name=name), False)
        value = _scalar(result)
        if value is None:
            return _report(TEXT("not_number", name=name, kind=type(result).__name__), False)
        s = _sig(z)
        if _close(value, g * s * (1 - s)):
            continue
        bad += 1
        if _close(value, s * (1 - s)):
            hints.append("forgot_upstream")
        elif _close(value, -g * s * (1 - s)):
            hints.append("sign")
        elif _close(value, g * z * (1 - z)):
            hints.append("sig_z")
        elif _close(value, g * s) or _close(value, g * (1 - s)):
            hints.append("sig_half")
    if not bad:
        return _report(TEXT("right", name=name, n=len(_SIG_CASES)), True)
    key = hints[0] if hints and len(set(hints)) == 1 else "wrong"
    return _report(TEXT(key, name=name, bad=bad, n=len(_SIG_CASES)), False)


def _core_gradients(example):
    """The core's dW, db of an Example on its own data and loss: {"dW1": ..., "db1": ...}."""
    net = example.net.copy()
    y = net.forward(example.X)
    net.backward(example.loss.grad(y, example.t))
    found = {}
    for li, layer in enumerate(net.layers, start=1):
        found[f"dW{li}"] = layer.dW.copy()
        if layer.use_bias:
            found[f"db{li}"] = layer.db.copy()
    return found


def check_arrays(name, answer, expected, tol=1e-9):
    """Compare one gradient array with the expected one: prints right or a hint."""
    if _unanswered(answer):
        return _report(TEXT("todo", name=name), False)
    try:
        have = np.asarray(answer, dtype=float)
    except (TypeError, ValueError):
        return _report(TEXT("not_number", name=name, kind=type(answer).__name__), False)
    want = np.asarray(expected, dtype=float)
    if have.shape != want.shape:
        if have.shape == want.T.shape and want.ndim == 2 and want.shape[0] != want.shape[1]:
            return _report(TEXT("transposed", name=name, want=want.shape), False)
        return _report(TEXT("shape", name=name, want=want.shape, have=have.shape), False)
    scale = max(1.0, float(np.max(np.abs(want))))
    if np.allclose(have, want, rtol=0, atol=tol * scale):
        return _report(TEXT("right_arrays", name=name), True)
    if np.any(want) and np.allclose(have, -want, rtol=0, atol=tol * scale):
        return _report(TEXT("sign", name=name), False)
    if np.any(want) and (np.allclose(2 * have, want, rtol=0, atol=tol * scale)
                         or np.allclose(have, 2 * want, rtol=0, atol=tol * scale)):
        return _report(TEXT("twice", name=name), False)
    bad = int(np.sum(~np.isclose(have, want, rtol=0, atol=tol * scale)))
    return _report(TEXT("array_wrong", name=name, bad=bad, n=want.size), False)


def check_e3_backward(dW1, dW2):
    """E3's backward pass by hand, checked against the core: dW1 (3, 2), dW2 (2, 1) for the
    loss (y - 3.2)² (MSE) at the post's weights. Prints one line per array."""
    want = _core_gradients(examples.e3_network())
    ok2 = check_arrays("dW2", dW2, want["dW2"])
    ok1 = check_arrays("dW1", dW1, want["dW1"])
    return Verdict(ok1 and ok2)


def check_e5_deltas(delta4, delta5, delta6, tol=1e-6):
    """Seed 004's δ of units 4, 5, 6, with the post's sign: δ = (t − o)·f'(z) = −∂L/∂z
    for L = ½(t − o)². Checked against the core's layer.delta (which is ∂L/∂z)."""
    ex = examples.e5_network()
    net = ex.net.copy()
    y = net.forward(ex.X)
    net.backward(ex.loss.grad(y, ex.t))
    want = {"delta4": -net.layers[0].delta[0, 0], "delta5": -net.layers[0].delta[0, 1],
            "delta6": -net.layers[1].delta[0, 0]}
    ok = True
    for name, answer in (("delta6", delta6), ("delta4", delta4), ("delta5", delta5)):
        if _unanswered(answer):
            ok = _report(TEXT("todo", name=name), False)
            continue
        value = _scalar(answer)
        if value is None:
            ok = _report(TEXT("not_number", name=name, kind=type(answer).__name__), False)
            continue
        if abs(value - want[name]) <= tol:
            print(TEXT("right_value", name=name, tol=f"{tol:g}"))
        elif abs(value + want[name]) <= tol:
            ok = _report(TEXT("delta_sign", name=name), False)
        else:
            ok = _report(TEXT("delta_wrong", name=name, tol=f"{tol:g}"), False)
    return Verdict(ok)
