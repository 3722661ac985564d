"""Issue 19, "Bad inputs that still pass silently or unclearly" (the core's part): each case
answered silently (or deep inside Python) before; now a TypeError/ValueError at the API
boundary whose message names the argument and what it expects. The locale cases: BP_LANG
accepts the usual locale spellings and falls back to English with a warning."""
import os
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
from messages import raises

import backprop_core as bp
from backprop_core.i18n import language_from_environment

ROOT = Path(__file__).resolve().parents[1]


def net_3_4_2():
    return bp.Sequential(bp.Dense(3, 4, "tanh", seed=0), bp.Dense(4, 2, "identity", seed=1))


X8 = np.linspace(-1, 1, 24).reshape(8, 3)
T8 = np.linspace(0, 1, 16).reshape(8, 2)


# ---------------------------------------------------------------- losses: flags and reduction words

def test_a_reduction_word_in_from_logits_place_is_refused():
    # before: BinaryCrossEntropy("sum") built from_logits=True, reduction "mean"
    with raises(TypeError, "from_logits", "'sum'", "reduction='sum'"):
        bp.BinaryCrossEntropy("sum")
    with raises(TypeError, "from_logits", "'mean'", "reduction='mean'"):
        bp.BinaryCrossEntropy("mean")
    with raises(TypeError, "eps", "'sum'", "reduction='sum'"):
        bp.BinaryCrossEntropy(True, "sum")


@pytest.mark.parametrize("value", ["False", "True", None, 1, 0.0, "yes"])
def test_from_logits_must_be_a_bool(value):
    with raises(TypeError, "from_logits must be True or False", repr(value)):
        bp.BinaryCrossEntropy(from_logits=value)


def test_from_logits_takes_python_and_numpy_bools():
    assert bp.BinaryCrossEntropy(from_logits=np.True_).from_logits is True
    assert bp.BinaryCrossEntropy(True).from_logits is True
    assert bp.BinaryCrossEntropy(np.bool_(False)).from_logits is False
    loss = bp.BinaryCrossEntropy(True, 1e-7, "sum")          # every argument in its place
    assert (loss.from_logits, loss.eps, loss.reduction) == (True, 1e-7, "sum")


@pytest.mark.parametrize("cls", [bp.MSE, bp.HalfSquaredError, bp.MAE, bp.CrossEntropy])
def test_every_loss_checks_its_positional_reduction(cls):
    assert cls("sum").reduction == "sum"
    with raises(TypeError, "reduction", "'mean' or 'sum'", "True"):
        cls(True)
    with raises(TypeError, "reduction", "['sum']"):
        cls(["sum"])
    with raises(ValueError, "reduction must be 'mean' or 'sum'", "'summ'"):
        cls("summ")


# ---------------------------------------------------------------- frozen parameters

def test_frozen_add_maps_w_to_W_and_freezes_it():
    # before: layer.frozen.add("w") froze nothing while repr showed freeze=('w',)
    layer = bp.Dense(2, 2, seed=0)
    layer.frozen.add("w")
    assert layer.frozen == {"W"} and "W" in layer.frozen and "w" in layer.frozen
    assert layer.trainable == [False, True]
    assert "freeze=('W',)" in repr(layer)
    layer.frozen.discard("w")
    assert layer.frozen == set() and layer.trainable == [True, True]
    layer.frozen |= {"b", "w"}
    assert layer.frozen == {"W", "b"} and layer.trainable == [False, False]


def test_frozen_add_of_a_name_that_is_no_parameter_raises_at_once():
    layer = bp.Dense(2, 2, seed=0)
    with raises(ValueError, "freeze", "'x' is not a parameter of Dense(2, 2)", "['W', 'b']"):
        layer.frozen.add("x")
    assert layer.frozen == set()
    no_bias = bp.Dense(2, 2, use_bias=False)
    with raises(ValueError, "'b' is not a parameter", "use_bias=False"):
        no_bias.frozen.add("b")
    with raises(ValueError, "'bias' is not a parameter"):
        layer.frozen = {"bias"}


def test_frozen_training_leaves_the_added_parameter_untouched():
    net = bp.Sequential(bp.Dense(1, 3, "tanh", seed=0), bp.Dense(3, 1, "identity", seed=1))
    net.layers[0].frozen.add("w")
    W1 = net.layers[0].W.copy()
    X, t = bp.datasets.sine(n=8, seed=0)
    bp.fit(net, X, t, optimizer=bp.SGD(lr=0.5), epochs=3, batch_size=4)
    np.testing.assert_array_equal(net.layers[0].W, W1)


@pytest.mark.parametrize("freeze", [{"W": False}, {"W": True}, {}])
def test_freeze_refuses_a_dict(freeze):
    # before: freeze={"W": False} froze W (a dict's keys were read as names)
    with raises(TypeError, "freeze must be a collection of parameter names", "dict"):
        bp.Dense(2, 2, freeze=freeze)
    layer = bp.Dense(2, 2)
    with raises(TypeError, "freeze", "dict"):
        layer.frozen = freeze


# ---------------------------------------------------------------- targets

def test_cross_entropy_refuses_boolean_labels():
    y = np.zeros((3, 2))
    labels = np.array([True, False, True])
    with raises(TypeError, "CrossEntropy", "targets t", "booleans", "astype(int)"):
        bp.CrossEntropy()(y, labels)
    with raises(TypeError, "targets t", "booleans"):
        bp.CrossEntropy().grad(y, [True, False, True])
    with raises(TypeError, "labels t", "booleans"):
        bp.CrossEntropy.one_hot(labels, 2)
    net = bp.Sequential(bp.Dense(3, 2, "identity", seed=0))
    with raises(TypeError, "CrossEntropy", "t ", "booleans"):
        bp.fit(net, X8[:3], labels, bp.CrossEntropy(), epochs=1)
    # the same labels as integers are fine
    assert bp.CrossEntropy()(y, labels.astype(int)) == pytest.approx(np.log(2.0))


def test_a_flat_target_for_a_two_output_network_is_refused():
    # before: t (16,) for 8 samples of 2 outputs was reshaped to (8, 2) without a word
    with raises(ValueError, "targets t must have shape (8, 2)", "got (16,)", "t.reshape(8, 2)"):
        bp.fit(net_3_4_2(), X8, T8.ravel(), epochs=1)
    with raises(ValueError, "MSE", "targets t", "(8, 2)", "got (16,)"):
        bp.MSE()(np.zeros((8, 2)), T8.ravel())
    with raises(ValueError, "targets t_val must have shape (8, 2)", "X_val"):
        bp.fit(net_3_4_2(), X8, T8, epochs=1, validation=(X8, T8.ravel()))


def test_a_flat_target_is_still_one_column_or_one_sample():
    net = bp.Sequential(bp.Dense(3, 1, "identity", seed=0))
    t = np.linspace(0, 1, 8)
    flat = bp.fit(net.copy(), X8, t, epochs=2, batch_size=8)
    column = bp.fit(net.copy(), X8, t.reshape(-1, 1), epochs=2, batch_size=8)
    np.testing.assert_array_equal(flat.loss, column.loss)
    assert bp.MSE()(np.zeros((8, 1)), t) == bp.MSE()(np.zeros((8, 1)), t.reshape(-1, 1))
    assert bp.MSE()(np.zeros((1, 2)), [0.5, 1.0]) == pytest.approx(0.625)   # one sample
    one = bp.fit(net_3_4_2(), X8[:1], T8[0], epochs=1)                     # one sample, flat
    assert one.steps == 1


# ---------------------------------------------------------------- modes and flags

@pytest.mark.parametrize("mode", ["no", "False", 0, 1, None])
def test_dropout_train_takes_only_a_bool(mode):
    # before: Dropout.train("no") switched dropout on
    drop = bp.Dropout(0.5)
    with raises(TypeError, "train(mode)", "mode must be True or False", repr(mode)):
        drop.train(mode)
    assert drop.training is False
    assert drop.train(np.True_).training is True and drop.train(False).training is False


def test_update_trainable_must_be_one_bool_per_parameter():
    # before: trainable="n" was read as one flag per character
    opt = bp.SGD(lr=1.0)
    a = np.ones(1)
    with raises(TypeError, "update", "trainable", "one True/False per parameter", "'n'"):
        opt.update([a], [np.ones(1)], trainable="n")
    with raises(TypeError, "trainable", "3"):
        opt.update([a], [np.ones(1)], trainable=3)
    with raises(TypeError, "trainable[1] must be True or False", "'no'"):
        opt.update([a, a.copy()], [np.ones(1), np.ones(1)], trainable=[True, "no"])
    np.testing.assert_array_equal(a, [1.0])             # nothing moved
    opt.update([a], [np.ones(1)], trainable=np.array([True]))
    np.testing.assert_array_equal(a, [0.0])


def test_fit_refuses_hard_floor_without_hard_sampling():
    X, t = np.ones((4, 1)), np.ones((4, 1))
    net = bp.Sequential(bp.Dense(1, 1, seed=0))
    with raises(ValueError, "hard_floor=0.5", "sampling='hard' only", "sampling='uniform'"):
        bp.fit(net, X, t, sampling="uniform", hard_floor=0.5)
    with raises(ValueError, "hard_floor", "sampling='hard' only"):
        bp.fit(net, X, t, hard_floor=0.1)
    with raises(ValueError, "hard_floor must be in (0.0, 1.0]", "0.0"):
        bp.fit(net, X, t, sampling="hard", hard_floor=0.0)
    with raises(TypeError, "hard_floor must be a number", "'x'"):
        bp.fit(net, X, t, sampling="hard", hard_floor="x")


def test_fit_refuses_shuffle_false_with_hard_sampling():
    X, t = np.ones((4, 1)), np.ones((4, 1))
    net = bp.Sequential(bp.Dense(1, 1, seed=0))
    with raises(ValueError, "shuffle=False", "sampling='hard'"):
        bp.fit(net, X, t, sampling="hard", shuffle=False)


def test_hard_floor_default_is_the_documented_one():
    X = np.linspace(-1, 1, 12).reshape(-1, 1)
    t = X ** 2
    runs = []
    for floor in ({}, {"hard_floor": 0.1}):
        net = bp.Sequential(bp.Dense(1, 1, "identity", seed=0))
        runs.append(bp.fit(net, X, t, epochs=3, batch_size=4, sampling="hard", **floor))
    np.testing.assert_array_equal(runs[0].draws, runs[1].draws)
    np.testing.assert_array_equal(runs[0].loss, runs[1].loss)


# ---------------------------------------------------------------- names in the messages

def test_a_validation_set_of_the_wrong_width_is_named():
    # before: "... expects inputs of width 3, got an array of shape (4, 5)" (X or X_val?)
    with raises(ValueError, "X_val (validation[0])", "width 3", "(4, 5)"):
        bp.fit(net_3_4_2(), X8, T8, epochs=1, validation=(np.zeros((4, 5)), np.zeros((4, 2))))
    with raises(ValueError, "X_val (validation[0])", "2-D"):
        bp.fit(net_3_4_2(), X8, T8, epochs=1, validation=(np.zeros((2, 2, 3)), np.zeros((4, 2))))
    with raises(ValueError, "expects inputs of width 3, got an array of shape (8, 5)"):
        bp.fit(net_3_4_2(), np.zeros((8, 5)), T8, epochs=1)       # X's message as before


@pytest.mark.parametrize("names", [5, 2.0, (["x1", "x2"], "y1"), {"x": 1}])
def test_sequential_unit_names_must_be_lists(names):
    # before: unit_names=5 failed deep with "'int' object is not iterable"
    with raises(TypeError, "unit_names must be one list of names (str) per level", "[['x1', 'x2'], ['y1']]"):
        bp.Sequential(bp.Dense(2, 1), unit_names=names)


# ---------------------------------------------------------------- BP_LANG

@pytest.mark.parametrize("value,code", [
    ("en", "en"), ("zh", "zh"), ("ZH", "zh"), ("zh_CN", "zh"), ("zh-CN", "zh"), ("zh_CN.UTF-8", "zh"),
    ("zh_CN.utf8", "zh"), ("zh-Hans", "zh"), ("zh_Hans_CN", "zh"), ("zh_CN:en", "zh"), ("en_US.UTF-8", "en"),
    ("en_GB", "en"), ("C", "en"), ("C.UTF-8", "en"), ("POSIX", "en"), ("", "en"), (None, "en"),
])
def test_bp_lang_accepts_the_usual_locale_spellings(value, code, recwarn):
    assert language_from_environment(value) == code
    assert not recwarn.list


@pytest.mark.parametrize("value", ["fr", "de_DE.UTF-8", "xx", "english please"])
def test_an_unknown_bp_lang_falls_back_to_english_with_a_warning(value):
    with pytest.warns(UserWarning, match=f"BP_LANG={value!r} is not a language of this course.*English"):
        assert language_from_environment(value) == "en"


def test_set_language_reads_locale_spellings_and_refuses_others(use_language):
    use_language("zh_CN.UTF-8")                      # use_language is bp.set_language, undone after the test
    assert bp.language() == "zh"
    use_language("en_US")
    assert bp.language() == "en"
    with raises(ValueError, "set_language(lang)", "'fr'", "zh_CN.UTF-8"):
        use_language("fr")
    with raises(TypeError, "set_language(lang)", "None"):
        use_language(None)


@pytest.mark.parametrize("value,code,warned", [("fr", "en", True), ("zh_CN.UTF-8", "zh", False)])
def test_import_with_bp_lang_from_the_environment(value, code, warned):
    # before: both made `import backprop_core` raise ValueError
    env = dict(os.environ, BP_LANG=value)
    out = subprocess.run([sys.executable, "-c", "import backprop_core as bp; print(bp.language())"],
                         cwd=ROOT, env=env, capture_output=True, text=True, timeout=120)
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip() == code
    assert ("UserWarning" in out.stderr and "using English" in out.stderr) == warned
