"""Exercises of "backprop by hand" and "build the engine": check a student's code, never
show the answer.

    def mul_backward(a, b, grad_out):          # the student's code
        return ..., ...
    check_mul_backward(mul_backward)            # prints: right, or a hint

Each checker runs the student's function (or takes their arrays) on test inputs, compares
with what `backprop_core.graph` or the vectorised core computes, and prints "right" or a
hint in the current language (bp.set_language). `...` or None means "not answered yet":
a reminder is printed, no error, so a notebook runs from top to bottom. The expected
numbers are never printed. The engine's pieces (topological order, backward pass, neuron,
central difference, relative error) are tried on random graphs and random inputs made
from fixed seeds. Each checker returns a Verdict: true when right (and shows
nothing in a notebook, so a check can end a cell).
"""
import ast
import inspect
import math
import textwrap

import numpy as np

from . import examples, finite_differences
from .exercises import Verdict
from .graph import Value, topological_order
from .i18n import Catalogue

TEXT = Catalogue(
    en={
        "todo": "{name}: not answered yet — replace the ... with your code and run the cell again",
        "right": "{name}: right ✓ (checked on {n} test inputs)",
        "right_arrays": "{name}: right ✓ (equal to the core's gradient)",
        "right_value": "{name}: right ✓ (the post's sign, δ = (t − o)·f'(z) = −∂L/∂z: "
                       "minus the core's layer.delta, within {tol})",
        "right_cases": "{name}: right ✓ (dW1 and dW2 equal to the core's Dense.backward on "
                       "E3 and on {n} random networks)",
        "not_pair_arrays": "{name}: not yet — return two arrays: (dW1, dW2)",
        "case_random": "{name}: not yet — right on E3's numbers, wrong on a random network "
                       "({shape}): use the arguments x, W1, W2, t, not E3's numbers",
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
        "right_graphs": "{name}: right ✓ (checked on {n} random graphs)",
        "not_list": "{name}: not yet — return a list of the graph's nodes (Values), "
                    "got {kind}",
        "order_twice": "{name}: not yet — a node appears more than once: a node reached "
                       "along two paths must be listed once (keep a set of visited nodes)",
        "order_missing": "{name}: not yet — {bad} of the graph's {n} nodes are missing or "
                         "foreign: visit every input (node.parents) of every node",
        "order_reversed": "{name}: not yet — the order is reversed: the output must come "
                          "last, each node after all of its inputs",
        "order_before": "{name}: not yet — a node comes before one of its inputs: append a "
                        "node only after all of its inputs have been appended",
        "nothing": "{name}: not yet — no gradient reached the leaves: write the loop over "
                   "the nodes and their inputs",
        "assign": "{name}: not yet — right on graphs where no node is used twice, wrong "
                  "where one is: a node used twice adds up (+=) its contributions",
        "forward_order": "{name}: not yet — visit the nodes from the output back to the "
                         "leaves (reversed topological order): a node's gradient must be "
                         "complete before it is sent on",
        "no_upstream": "{name}: not yet — each edge adds local × node.grad: the node's own "
                       "gradient is missing (chain rule)",
        "leaves_reset": "{name}: not yet — right once, but a second call must ADD to the "
                        "leaves' gradients (as PyTorch): reset only the computed nodes",
        "stale": "{name}: not yet — right once, but the second call gives other numbers "
                 "for the computed nodes: set their grad to 0 before each pass",
        "not_value": "{name}: not yet — return a Value (built from the weights with "
                     "Value operations), got {kind}",
        "detached": "{name}: not yet — the value is right but no gradient reaches the "
                    "weights: compute with the Values themselves, not with .data",
        "no_tanh": "{name}: not yet — the weighted sum is right: now apply tanh",
        "no_bias": "{name}: not yet — the bias b is missing",
        "params_kind": "{name}: not yet — parameters() must return a list of the "
                       "neuron's own Values (the weights w, then the bias b)",
        "params_count": "{name}: not yet — {have} parameters; a neuron with {n_in} inputs "
                        "has {want}: every weight and the bias",
        "shape_grad": "{name}: not yet — return one number per entry of x: shape {want}, "
                      "got {have}",
        "changed_x": "{name}: not yet — your function changed x: put each entry back "
                     "(or work on a copy)",
        "one_sided": "{name}: not yet — that is the one-sided difference (f(x + h) − "
                     "f(x)) / h: use both sides, x + h and x − h",
        "no_half": "{name}: not yet — off by a factor of 2: the two points are 2h apart",
        "rel_tiny": "{name}: not yet — two zeros must give 0, not an error or nan: the "
                    "tiny in max(|a|, |b|, tiny) is there for that",
        "rel_one_side": "{name}: not yet — divide by max(|a|, |b|, tiny), the larger of "
                        "the two, so that the error does not depend on their order",
        "rel_abs": "{name}: not yet — take absolute values: |a − b| and |a|, |b|",
        "wrong_graph": "{name}: not yet — the gradients differ from the engine's on a random "
                       "graph: each edge does parent.grad += local × node.grad",
        "wrong_case": "{name}: not yet — wrong on a random test input; work it out for one "
                      "input on paper first",
        "bug_todo": "not answered yet — write the name between quotes, e.g. \"tanh\", "
                    "and run the cell again",
        "bug_right": "right ✓: the gradient of {name} has the planted bug",
        "bug_wrong": "not yet — the gradient of {name} passes the check; which one fails it?",
        "bug_unknown": "not yet — answer with one of the names {names}",
    },
    zh={
        "todo": "{name}：还没有作答——把 ... 换成你的代码，再运行这个单元格",
        "right": "{name}：正确 ✓（已在 {n} 组测试输入上检查）",
        "right_arrays": "{name}：正确 ✓（与核心库算出的梯度相同）",
        "right_value": "{name}：正确 ✓（文章的符号，δ = (t − o)·f'(z) = −∂L/∂z："
                       "与核心库的 layer.delta 取负后相差不到 {tol}）",
        "right_cases": "{name}：正确 ✓（在 E3 和 {n} 个随机网络上，dW1、dW2 都与核心库的 "
                       "Dense.backward 相同）",
        "not_pair_arrays": "{name}：还不对——要返回两个数组：(dW1, dW2)",
        "case_random": "{name}：还不对——在 E3 的数上对了，在一个随机网络（{shape}）上错了："
                       "要用参数 x、W1、W2、t 来算，不要用 E3 的数",
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
        "delta_sign": "{name}：还不对——检查正负号：文章里的 δ = (t − o)·f'(z)，"
                      "输出偏小时它是正的",
        "delta_wrong": "{name}：还不对——误差超过了 {tol}",
        "right_graphs": "{name}：正确 ✓（已在 {n} 个随机计算图上检查）",
        "not_list": "{name}：还不对——要返回由图中节点（Value）组成的列表，你返回的是 {kind}",
        "order_twice": "{name}：还不对——有节点出现了不止一次：沿两条路径到达的节点只能列出一次"
                       "（用一个集合记住访问过的节点）",
        "order_missing": "{name}：还不对——图中 {n} 个节点里有 {bad} 个缺失或不属于这张图："
                         "要访问每个节点的每个输入（node.parents）",
        "order_reversed": "{name}：还不对——顺序反了：输出应当在最后，每个节点都排在它的所有输入之后",
        "order_before": "{name}：还不对——有节点排在了它的某个输入之前：一个节点要等它的所有输入"
                        "都加进列表之后才能加进去",
        "nothing": "{name}：还不对——没有梯度传到叶子节点：写出遍历节点及其输入的循环",
        "assign": "{name}：还不对——在没有节点被用两次的图上对了，有的图上错了："
                  "被用了两次的节点要把两份贡献加起来（+=）",
        "forward_order": "{name}：还不对——要从输出往回走到叶子（拓扑顺序倒过来）："
                         "一个节点的梯度要先算完整，再往下传",
        "no_upstream": "{name}：还不对——每条边加上的是 局部导数 × node.grad：少了节点自己的梯度"
                       "（链式法则）",
        "leaves_reset": "{name}：还不对——调用一次是对的，但第二次调用要把梯度【加到】叶子节点"
                        "已有的梯度上（和 PyTorch 一样）：只把计算出来的节点清零",
        "stale": "{name}：还不对——调用一次是对的，但第二次调用时计算出来的节点得到了别的数："
                 "每次反向传播之前先把它们的 grad 设为 0",
        "not_value": "{name}：还不对——要返回一个 Value（用 Value 的运算由权重算出来），"
                     "你返回的是 {kind}",
        "detached": "{name}：还不对——数值对了，但梯度传不到权重：要用 Value 本身来计算，"
                    "不要用 .data",
        "no_tanh": "{name}：还不对——加权和已经对了：再套上 tanh",
        "no_bias": "{name}：还不对——少了偏置 b",
        "params_kind": "{name}：还不对——parameters() 要返回这个神经元自己的 Value 组成的列表"
                       "（先是权重 w，再是偏置 b）",
        "params_count": "{name}：还不对——你给出了 {have} 个参数；有 {n_in} 个输入的神经元有 {want} "
                        "个参数：每个权重，再加上偏置",
        "shape_grad": "{name}：还不对——x 的每个分量对应一个数：形状应当是 {want}，你的是 {have}",
        "changed_x": "{name}：还不对——你的函数改动了 x：把每个分量改回去（或者在副本上计算）",
        "one_sided": "{name}：还不对——这是单侧差分 (f(x + h) − f(x)) / h：两侧都要用，"
                     "x + h 和 x − h",
        "no_half": "{name}：还不对——差了 2 倍：两个点相距 2h",
        "rel_tiny": "{name}：还不对——两个 0 应当得到 0，而不是报错或 nan："
                    "max(|a|, |b|, tiny) 里的 tiny 就是为此准备的",
        "rel_one_side": "{name}：还不对——要除以 max(|a|, |b|, tiny)，即两者中较大的那个，"
                        "这样误差才与两者的先后无关",
        "rel_abs": "{name}：还不对——要取绝对值：|a − b| 以及 |a|、|b|",
        "wrong_graph": "{name}：还不对——在一个随机计算图上，你的梯度和引擎算的不一样："
                       "每条边做的是 parent.grad += 局部导数 × node.grad",
        "wrong_case": "{name}：还不对——在一组随机测试输入上算错了；先拿一组输入在纸上算一算",
        "bug_todo": "还没有作答——在引号里写上名字，例如 \"tanh\"，再运行这个单元格",
        "bug_right": "正确 ✓：{name} 的梯度里埋着那个错误",
        "bug_wrong": "还不对——{name} 的梯度通过了检查；哪一个没有通过？",
        "bug_unknown": "还不对——请用这几个名字之一作答：{names}",
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


def _array_message(name, answer, expected, tol=1e-9):
    """(True, "right" line) or (False, a hint) for one gradient array vs the expected one."""
    if _unanswered(answer):
        return False, TEXT("todo", name=name)
    try:
        have = np.asarray(answer, dtype=float)
    except (TypeError, ValueError):
        return False, TEXT("not_number", name=name, kind=type(answer).__name__)
    want = np.asarray(expected, dtype=float)
    if have.shape != want.shape:
        if have.shape == want.T.shape and want.ndim == 2 and want.shape[0] != want.shape[1]:
            return False, TEXT("transposed", name=name, want=want.shape)
        return False, TEXT("shape", name=name, want=want.shape, have=have.shape)
    scale = max(1.0, float(np.max(np.abs(want))))
    if np.allclose(have, want, rtol=0, atol=tol * scale):
        return True, TEXT("right_arrays", name=name)
    if np.any(want) and np.allclose(have, -want, rtol=0, atol=tol * scale):
        return False, TEXT("sign", name=name)
    if np.any(want) and (np.allclose(2 * have, want, rtol=0, atol=tol * scale)
                         or np.allclose(have, 2 * want, rtol=0, atol=tol * scale)):
        return False, TEXT("twice", name=name)
    bad = int(np.sum(~np.isclose(have, want, rtol=0, atol=tol * scale)))
    return False, TEXT("array_wrong", name=name, bad=bad, n=want.size)


def check_arrays(name, answer, expected, tol=1e-9):
    """Compare one gradient array with the expected one: prints right or a hint."""
    ok, message = _array_message(name, answer, expected, tol)
    return _report(message, ok)


def check_e3_backward(dW1, dW2):
    """E3's backward pass by hand, checked against the core: dW1 (3, 2), dW2 (2, 1) for the
    loss (y - 3.2)² (MSE) at the post's weights. Prints one line per array."""
    want = _core_gradients(examples.e3_network())
    ok2 = check_arrays("dW2", dW2, want["dW2"])
    ok1 = check_arrays("dW1", dW1, want["dW1"])
    return Verdict(ok1 and ok2)


N_NETWORKS = 6


def linear_cases():
    """E3 (x, W1, W2, t) first, then N_NETWORKS random no-bias linear n-m-1 networks
    (seeded; n in 2..5, m in 1..4; one sample), none with E3's shapes and numbers."""
    ex = examples.e3_network()
    cases = [(ex.X, ex.net.layers[0].W, ex.net.layers[1].W, ex.t)]
    rng = np.random.default_rng(20)
    for _ in range(N_NETWORKS):
        n, m = int(rng.integers(2, 6)), int(rng.integers(1, 5))
        cases.append((rng.uniform(-2, 2, (1, n)), rng.uniform(-1, 1, (n, m)),
                      rng.uniform(-1, 1, (m, 1)), rng.uniform(-2, 2, (1, 1))))
    return cases


def _linear_gradients(x, W1, W2, t):
    """dW1, dW2 of the core's Dense.backward for the no-bias linear net x @ W1 @ W2, MSE."""
    from .layers import Dense
    from .losses import MSE
    from .network import Sequential
    net = Sequential(Dense(W1.shape[0], W1.shape[1], "identity", weights=W1, use_bias=False),
                     Dense(W2.shape[0], 1, "identity", weights=W2, use_bias=False))
    y = net.forward(x)
    net.backward(MSE().grad(y, t))
    return net.layers[0].dW.copy(), net.layers[1].dW.copy()


def check_linear_backward(fn, name="backward_321"):
    """fn(x, W1, W2, t) -> (dW1, dW2) for y = x @ W1 @ W2 (no bias, no activation) and
    L = (y − t)²: x (1, n), W1 (n, m), W2 (m, 1), t (1, 1); dW1 (n, m), dW2 (m, 1).
    Tried on E3 (seed 002's 3-2-1) and on N_NETWORKS random networks of other sizes
    against the core's Dense.backward; prints right or a hint, never a number."""
    if _unanswered(fn):
        return _report(TEXT("todo", name=name), False)
    cases = linear_cases()
    for k, (x, W1, W2, t) in enumerate(cases):
        args = tuple(np.array(a, dtype=float) for a in (x, W1, W2, t))
        result, error = _call(fn, name, args)
        if error:
            return _report(error, False)
        if _unanswered(result) or (isinstance(result, (tuple, list))
                                   and any(_unanswered(r) for r in result)):
            key = "todo" if k == 0 or _has_placeholder(fn) else "not_pair_arrays"
            return _report(TEXT(key, name=name), False)
        if not isinstance(result, (tuple, list)) or len(result) != 2:
            return _report(TEXT("not_pair_arrays", name=name), False)
        want1, want2 = _linear_gradients(*args)
        ok2, message2 = _array_message("dW2", result[1], want2)
        ok1, message1 = _array_message("dW1", result[0], want1)
        if ok1 and ok2:
            continue
        if k > 0:
            shape = f"{W1.shape[0]}-{W1.shape[1]}-1"
            return _report(TEXT("case_random", name=name, shape=shape), False)
        return _report("\n".join(m for ok, m in ((ok2, message2), (ok1, message1))
                                  if not ok), False)
    return _report(TEXT("right_cases", name=name, n=len(cases) - 1), True)


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


# --- "build the engine" (notebook 01c): checked on random graphs and random inputs ------
N_GRAPHS = 12


def random_graph(seed):
    """A random small graph (seeded): 2-4 leaves, 4-12 operations (+ − × tanh sigmoid **2)
    whose operands are drawn from every node made so far, so nodes are used more than once.
    Returns the output Value (the last node, summed with every node nothing used)."""
    rng = np.random.default_rng([seed, 1])
    nodes = [Value(float(v), f"x{i + 1}") for i, v in
             enumerate(rng.uniform(-1.5, 1.5, int(rng.integers(2, 5))))]
    for _ in range(int(rng.integers(4, 13))):
        a, b = (nodes[int(k)] for k in rng.integers(0, len(nodes), 2))
        op = int(rng.integers(0, 6))
        nodes.append([a + b, a - b, a * b, a.tanh(), a.sigmoid(), a ** 2][op])
    used = {id(p) for n in nodes for p in n.parents}
    tops = [n for n in nodes if id(n) not in used and n.parents]
    out = tops[0]
    for n in tops[1:]:
        out = out + n
    return out


def _graphs():
    """N_GRAPHS random graphs, the first a chain where a node is used twice (x · x)."""
    x = Value(0.8, "x")
    first = ((x * x).tanh() * 2.0 + x).sigmoid()
    return [first] + [random_graph(seed) for seed in range(N_GRAPHS - 1)]


def _has_placeholder(fn):
    """True when the source of fn still has a bare `...` statement (the notebook's
    "your code" line); False when it has none or the source cannot be read."""
    try:
        tree = ast.parse(textwrap.dedent(inspect.getsource(fn)))
    except (OSError, TypeError, SyntaxError):
        return False
    return any(isinstance(node, ast.Expr) and isinstance(node.value, ast.Constant)
               and node.value.value is Ellipsis for node in ast.walk(tree))


def _kind(value):
    return type(value).__name__


def check_topological_order(fn, name="topological_order"):
    """fn(out) -> a list of every node of the graph below out, each after all of its
    inputs (out last). Tried on random graphs; prints right or a hint."""
    if _unanswered(fn):
        return _report(TEXT("todo", name=name), False)
    graphs = _graphs()
    for out in graphs:
        want = topological_order(out)
        result, error = _call(fn, name, (out,))
        if error:
            return _report(error, False)
        if _unanswered(result):
            return _report(TEXT("todo", name=name), False)
        if not isinstance(result, (list, tuple)) or not all(isinstance(v, Value) for v in result):
            return _report(TEXT("not_list", name=name, kind=_kind(result)), False)
        ids = [id(v) for v in result]
        if len(set(ids)) != len(ids):
            return _report(TEXT("order_twice", name=name), False)
        bad = len(set(ids) ^ {id(v) for v in want})
        if bad:
            return _report(TEXT("order_missing", name=name, bad=bad, n=len(want)), False)
        position = {id(v): i for i, v in enumerate(result)}
        if any(position[id(p)] > position[id(v)] for v in result for p in v.parents):
            if all(position[id(p)] > position[id(v)] for v in result for p in v.parents):
                return _report(TEXT("order_reversed", name=name), False)
            return _report(TEXT("order_before", name=name), False)
    return _report(TEXT("right_graphs", name=name, n=len(graphs)), True)


def _pass(out, variant="right"):
    """A backward pass: "right" (this package's), or one of the usual mistakes, for hints:
    "assign" (= not +=), "forward" (leaves first), "no_upstream" (local only), "reset"
    (leaves reset too), "stale" (nothing reset: micrograd)."""
    order = topological_order(out)
    for node in order:
        if variant == "reset" or (node.parents and variant != "stale"):
            node.grad = 0.0
    out.grad = 1.0 if variant == "stale" else out.grad + 1.0
    for node in (order if variant == "forward" else reversed(order)):
        for parent, local in zip(node.parents, node.local):
            share = local if variant == "no_upstream" else local * node.grad
            parent.grad = share if variant == "assign" else parent.grad + share
    return order


def _grads_after(variant, seed_index, passes):
    """The grads of every node (in topological order) of graph `seed_index` after
    `passes` passes of `variant`, on a fresh copy of the graph."""
    out = _graphs()[seed_index]
    for _ in range(passes):
        order = _pass(out, variant)
    return [v.grad for v in order]


def _same(a, b):
    return len(a) == len(b) and all(_close(x, y) for x, y in zip(a, b))


def check_backward_pass(fn, name="backward_pass"):
    """fn(out) adds ∂out/∂node to every node's .grad (leaves accumulate, computed nodes
    start from 0), as out.backward(). Tried twice on each random graph; prints right or
    a hint (= for +=, the wrong order, a missing factor, leaves reset, nodes not reset)."""
    if _unanswered(fn):
        return _report(TEXT("todo", name=name), False)
    graphs = _graphs()
    for k, out in enumerate(graphs):
        order = topological_order(out)
        for passes in (1, 2):
            result, error = _call(fn, name, (out,))
            if error:
                return _report(error, False)
            have = [v.grad for v in order]
            if _same(have, _grads_after("right", k, passes)):
                continue
            for variant, key in (("assign", "assign"), ("forward", "forward_order"),
                                 ("no_upstream", "no_upstream"), ("reset", "leaves_reset"),
                                 ("stale", "stale")):
                if _same(have, _grads_after(variant, k, passes)):
                    return _report(TEXT(key, name=name), False)
            if passes == 1 and all(v.grad == 0 for v in order if not v.parents):
                key = "todo" if _has_placeholder(fn) else "nothing"
                return _report(TEXT(key, name=name), False)
            return _report(TEXT("wrong_graph", name=name), False)
    return _report(TEXT("right_graphs", name=name, n=len(graphs)), True)


def check_neuron(neuron_class, name="Neuron"):
    """neuron_class(n_in, rng) with .w (n_in Values), .b (a Value); n(x) = tanh(Σ w_i x_i
    + b) as a Value; n.parameters() = w + [b]. Tried on random sizes, weights and inputs."""
    if _unanswered(neuron_class):
        return _report(TEXT("todo", name=name), False)
    rng = np.random.default_rng(2)
    cases = 8
    for _ in range(cases):
        n_in = int(rng.integers(1, 5))
        neuron, error = _call(neuron_class, name, (n_in, np.random.default_rng(0)))
        if error:
            return _report(error, False)
        w, b = rng.uniform(-1, 1, n_in), float(rng.uniform(-1, 1))
        for wi, value in zip(neuron.w, w):
            wi.data, wi.grad = float(value), 0.0
        neuron.b.data, neuron.b.grad = b, 0.0
        x = [float(v) for v in rng.uniform(-2, 2, n_in)]
        out, error = _call(neuron, name, (x,))
        if error:
            return _report(error, False)
        if _unanswered(out):
            return _report(TEXT("todo", name=name), False)
        if not isinstance(out, Value):
            return _report(TEXT("not_value", name=name, kind=_kind(out)), False)
        z = float(np.dot(w, x)) + b
        if not _close(out.data, math.tanh(z)):
            key = ("no_tanh" if _close(out.data, z) else
                   "no_bias" if _close(out.data, math.tanh(z - b)) else "wrong_case")
            return _report(TEXT(key, name=name), False)
        out.backward()
        slope = 1.0 - math.tanh(z) ** 2
        if not all(_close(wi.grad, xi * slope) for wi, xi in zip(neuron.w, x)):
            return _report(TEXT("detached", name=name), False)
        params, error = _call(neuron.parameters, name, ())
        if error:
            return _report(error, False)
        if _unanswered(params):
            return _report(TEXT("todo", name=name), False)
        if not isinstance(params, (list, tuple)) or not all(isinstance(p, Value) for p in params):
            return _report(TEXT("params_kind", name=name), False)
        if len(params) != n_in + 1:
            return _report(TEXT("params_count", name=name, have=len(params), n_in=n_in,
                                want=n_in + 1), False)
        if [id(p) for p in params] != [id(v) for v in list(neuron.w) + [neuron.b]]:
            return _report(TEXT("params_kind", name=name), False)
    return _report(TEXT("right", name=name, n=cases), True)


def _polynomial(rng, n):
    """A random cubic of n variables f(x) = Σ a_i x_i³ + Σ B_ij x_i x_j + c·x and its
    exact gradient."""
    a, B, c = rng.uniform(-1, 1, n), rng.uniform(-1, 1, (n, n)), rng.uniform(-1, 1, n)

    def f(x):
        x = np.asarray(x, dtype=float)
        return float(np.sum(a * x ** 3) + x @ B @ x + c @ x)

    def grad(x):
        return 3 * a * x ** 2 + (B + B.T) @ x + c

    return f, grad


def check_numerical_gradient(fn, name="numerical_gradient", h=1e-5):
    """fn(f, x, h) -> the central difference (f(x + h e_i) − f(x − h e_i)) / 2h, shape
    x.shape, x unchanged. Tried on random cubics of 1-5 variables at random points."""
    if _unanswered(fn):
        return _report(TEXT("todo", name=name), False)
    rng = np.random.default_rng(3)
    cases = 8
    for _ in range(cases):
        n = int(rng.integers(1, 6))
        f, grad = _polynomial(rng, n)
        x = rng.uniform(-1.5, 1.5, n)
        x_given = x.copy()
        result, error = _call(fn, name, (f, x_given, h))
        if error:
            return _report(error, False)
        if _unanswered(result):
            return _report(TEXT("todo", name=name), False)
        if not np.array_equal(x_given, x):
            return _report(TEXT("changed_x", name=name), False)
        try:
            have = np.asarray(result, dtype=float)
        except (TypeError, ValueError):
            return _report(TEXT("not_number", name=name, kind=_kind(result)), False)
        if have.shape != x.shape:
            return _report(TEXT("shape_grad", name=name, want=x.shape, have=have.shape), False)
        exact = grad(x)
        if finite_differences.relative_error(have, exact) <= 1e-7:
            continue
        one_sided = np.array([(f(x + h * e) - f(x)) / h for e in np.eye(n)])
        if finite_differences.relative_error(have, one_sided) <= 1e-9:
            return _report(TEXT("one_sided", name=name), False)
        if finite_differences.relative_error(have, 2 * exact) <= 1e-7:
            return _report(TEXT("no_half", name=name), False)
        if finite_differences.relative_error(have, -exact) <= 1e-7:
            return _report(TEXT("sign", name=name), False)
        return _report(TEXT("wrong_case", name=name), False)
    return _report(TEXT("right", name=name, n=cases), True)


_REL_CASES = [(1.0, 1.0), (2.0, 1.0), (1.0, 2.0), (-3.0, 3.0), (0.0, 0.0), (1e-3, 0.0),
              (0.0, -5.0), (-0.5, -0.25), (1e-20, 2e-20)]


def check_relative_error(fn, name="relative_error", tiny=1e-12):
    """fn(a, b) -> |a − b| / max(|a|, |b|, tiny) for numbers a, b (tiny = 1e-12)."""
    if _unanswered(fn):
        return _report(TEXT("todo", name=name), False)
    for a, b in _REL_CASES:
        want = abs(a - b) / max(abs(a), abs(b), tiny)
        try:
            with np.errstate(all="ignore"):
                result = fn(a, b)
        except ZeroDivisionError:
            return _report(TEXT("rel_tiny", name=name), False)
        except Exception as error:              # a student's bug: report it
            return _report(TEXT("crash", name=name, error=f"{type(error).__name__}: {error}"),
                           False)
        if _unanswered(result):
            return _report(TEXT("todo", name=name), False)
        value = _scalar(result)
        if value is None:
            return _report(TEXT("not_number", name=name, kind=_kind(result)), False)
        if _close(value, want, 1e-12):
            continue
        if a == b == 0.0:
            return _report(TEXT("rel_tiny", name=name), False)
        if abs(a) != abs(b) and (_close(value, abs(a - b) / max(abs(a), tiny), 1e-12)
                                 or _close(value, abs(a - b) / max(abs(b), tiny), 1e-12)):
            return _report(TEXT("rel_one_side", name=name), False)
        if _close(abs(value), want, 1e-12) or (a < 0 or b < 0):
            return _report(TEXT("rel_abs", name=name), False)
        return _report(TEXT("wrong_case", name=name), False)
    return _report(TEXT("right", name=name, n=len(_REL_CASES)), True)


def check_planted_bug(answer):
    """answer: the name of the suspect (bp.finite_differences.suspects()) whose gradient
    has the planted bug. Prints right or not yet; never the name."""
    names = sorted(finite_differences.suspects())
    if _unanswered(answer):
        return _report(TEXT("bug_todo"), False)
    if not isinstance(answer, str) or answer.strip().lower() not in names:
        return _report(TEXT("bug_unknown", names=", ".join(names)), False)
    answer = answer.strip().lower()
    if answer == finite_differences.buggy_suspect():
        return _report(TEXT("bug_right", name=answer), True)
    return _report(TEXT("bug_wrong", name=answer), False)
