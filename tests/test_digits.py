"""Notebook 12's pieces: the digits loader and split, the recipe's numbers against independent
computations, the pictures in both languages without a missing glyph, the width widget."""
import gzip
import io
import re

import matplotlib

matplotlib.use("Agg")

import numpy as np  # noqa: E402
import pytest  # noqa: E402
from checked_drawing import checked_backgrounds  # noqa: E402, F401 (autouse: every restored background checked)

import backprop_core as bp  # noqa: E402
from backprop_core import datasets, recipe  # noqa: E402
from backprop_core.plotting import digits as pictures  # noqa: E402

CJK = re.compile(r"[\u4e00-\u9fff]")


@pytest.fixture(scope="module")
def digits():
    return datasets.load_digits()


@pytest.fixture(scope="module")
def split(digits):
    return datasets.stratified_split(*digits, 0.2, seed=0)


@pytest.fixture(scope="module")
def small_runs(split):
    X_train, y_train, X_test, y_test = split
    return recipe.width_sweep(X_train[:300], y_train[:300], (4, 8), (X_test, y_test), lr=0.03,
                              epochs=3, seed=0)


# --- the loader and the split -------------------------------------------------------------------
def test_load_digits_shape_range_and_classes(digits):
    X, y = digits
    assert X.shape == (1797, 64) and X.dtype == np.float64
    assert y.shape == (1797,) and y.dtype == np.int64
    assert X.min() == 0.0 and X.max() == 1.0
    np.testing.assert_array_equal(np.bincount(y), [178, 182, 177, 183, 181, 182, 181, 179, 174, 180])
    # the first image is a 0: its first row is 0 0 5 13 9 1 0 0 (of 16)
    assert y[0] == 0
    np.testing.assert_array_equal(X[0, :8] * 16, [0, 0, 5, 13, 9, 1, 0, 0])
    assert X[0, 2] == 5 / 16 and X[1796, 64 - 1] * 16 == 0 and y[1796] == 8


def test_load_digits_unscaled_is_the_file_itself(digits):
    X16, y = datasets.load_digits(scaled=False)
    assert X16.max() == 16.0 and np.all(X16 == np.round(X16))  # noqa: SIM300 - X16 is data, not a constant
    np.testing.assert_array_equal(X16 / 16, digits[0])
    with gzip.open(datasets.DIGITS_FILE, "rt") as f:          # an independent reading
        rows = [line.split(",") for line in f.read().splitlines()]
    assert len(rows) == 1797 and all(len(r) == 65 for r in rows)
    assert [int(v) for v in rows[100][:64]] == X16[100].astype(int).tolist()
    assert int(rows[100][64]) == y[100]
    with pytest.raises(TypeError, match="scaled"):
        datasets.load_digits(scaled="yes")


def test_the_data_states_its_origin_and_licence():
    readme = (datasets.DIGITS_FILE.parent / "README.md").read_text(encoding="utf-8")
    for words in ("Alpaydin", "Kaynak", "CC BY 4.0", "BSD 3-Clause", "scikit-learn", "UCI"):
        assert words in readme


def test_stratified_split_keeps_each_class_share(digits):
    X, y = digits
    X_train, y_train, X_test, y_test = datasets.stratified_split(X, y, 0.2, seed=0)
    assert len(y_train) + len(y_test) == 1797 and y_test.dtype == np.int64
    np.testing.assert_array_equal(np.bincount(y_test), np.round(np.bincount(y) * 0.2).astype(int))
    # no image in both sets: the rows are a partition of the data
    both = np.vstack([X_train, X_test])
    assert len(np.unique(both, axis=0)) == len(np.unique(X, axis=0))
    again = datasets.stratified_split(X, y, 0.2, seed=0)
    np.testing.assert_array_equal(again[3], y_test)
    np.testing.assert_array_equal(again[2], X_test)
    other = datasets.stratified_split(X, y, 0.2, seed=1)
    assert not np.array_equal(other[2], X_test)


@pytest.mark.parametrize("labels, fraction, message", [
    ([0, 0, 1, 1.5], 0.5, "whole numbers"), ([0, 0, 1], 0.5, "class 1 has 1"),
    ([0, 0, 1, 1], 1.0, "test_fraction"), (np.zeros((4, 1)), 0.5, "shape"),
])
def test_stratified_split_bad_input(labels, fraction, message):
    with pytest.raises(ValueError, match=message):
        datasets.stratified_split(np.zeros((len(labels), 2)), labels, fraction)


# --- the recipe's numbers -----------------------------------------------------------------------
def test_confusion_matrix_counts_pairs():
    y = np.array([0, 0, 1, 2, 2, 2])
    p = np.array([0, 1, 1, 2, 0, 2])
    C = recipe.confusion_matrix(y, p, 3)
    expected = np.zeros((3, 3), int)
    for a, b in zip(y, p):                          # one by one, no numpy indexing tricks
        expected[a][b] += 1
    np.testing.assert_array_equal(C, expected)
    assert recipe.most_confused(C) == (0, 1, 1)
    assert recipe.most_confused(np.eye(3, dtype=int)) == (0, 1, 0)
    with pytest.raises(ValueError, match="predicted must be in 0..2"):
        recipe.confusion_matrix([0], [3], 3)
    with pytest.raises(ValueError, match="same shape"):
        recipe.confusion_matrix([0, 1], [0], 3)


def test_predict_and_count_correct_against_a_loop():
    net = recipe.mlp(4, 5, 3, seed=2)
    X = np.random.default_rng(0).normal(size=(20, 4))
    y = np.random.default_rng(1).integers(0, 3, size=20)
    out = net.forward(X)
    guess = [max(range(3), key=lambda k: out[i, k]) for i in range(20)]
    np.testing.assert_array_equal(recipe.predict(net, X), guess)
    assert recipe.count_correct(net, X, y) == sum(int(g == t) for g, t in zip(guess, y))


def test_chance_loss_is_ln_k():
    for k in (2, 10, 26):
        assert recipe.chance_loss(k) == pytest.approx(np.log(k), abs=1e-12)


def test_first_of_each_class():
    y = np.array([2, 0, 1, 0, 2, 1, 1])
    np.testing.assert_array_equal(recipe.first_of_each_class(y, 2), [1, 2, 0, 3, 5, 4])
    with pytest.raises(ValueError, match="fewer than k=3"):
        recipe.first_of_each_class(y, 3)


def test_update_ratios_against_the_norms_of_the_steps():
    net = recipe.mlp(3, 4, 2, seed=0)
    rng = np.random.default_rng(0)
    X, y = rng.normal(size=(16, 3)), rng.integers(0, 2, size=16)
    hist = bp.fit(net, X, y, loss="cross_entropy", optimizer=bp.SGD(lr=0.5), epochs=2,
                  batch_size=8, record_params=True)
    r = recipe.update_ratios(net, hist.params)
    assert r.shape == (4, 2)
    # W1 is the first 12 numbers of the flat vector, W2 the 8 after b1's 4
    for s in range(4):
        for k, (lo, hi) in enumerate([(0, 12), (16, 24)]):
            step = hist.params[s + 1, lo:hi] - hist.params[s, lo:hi]
            assert r[s, k] == pytest.approx(np.sqrt(np.sum(step ** 2) / np.sum(hist.params[s, lo:hi] ** 2)))
    with pytest.raises(ValueError, match="trajectory"):
        recipe.update_ratios(net, hist.params[:1])


def test_train_counts_each_epoch_on_that_epochs_weights(split):
    X_train, y_train, X_test, y_test = split
    X_train, y_train = X_train[:200], y_train[:200]
    run = recipe.train(recipe.mlp(64, 8, 10, seed=0), X_train, y_train, bp.Adam(lr=0.03), epochs=3,
                       batch_size=50, seed=0, validation=(X_test, y_test))
    assert run.steps_per_epoch == 4 and run.ratios.shape == (12, 2)
    assert run.train_correct.shape == (4,) and run.n_test == len(y_test)
    # the same training, stopped after each epoch by hand: the counts agree
    for epochs in (1, 2, 3):
        net = recipe.mlp(64, 8, 10, seed=0)
        bp.fit(net, X_train, y_train, loss="cross_entropy", optimizer=bp.Adam(lr=0.03), epochs=epochs,
               batch_size=50, seed=0)
        assert run.train_correct[epochs] == recipe.count_correct(net, X_train, y_train)
        assert run.test_correct[epochs] == recipe.count_correct(net, X_test, y_test)
    assert run.train_correct[0] == recipe.count_correct(recipe.mlp(64, 8, 10, seed=0), X_train, y_train)
    np.testing.assert_allclose(run.test_accuracy, run.test_correct / len(y_test))


def test_the_capstone_run_learns_the_digits(split):
    """The notebook's run: well above 90 % held out (issue 21), deterministic."""
    X_train, y_train, X_test, y_test = split
    runs = [recipe.train(recipe.mlp(64, 32, 10, seed=0), X_train, y_train, bp.Adam(lr=0.01), epochs=20,
                         validation=(X_test, y_test)) for _ in range(2)]
    assert runs[0].test_correct[-1] / len(y_test) > 0.93
    assert runs[0].train_correct[-1] >= runs[0].test_correct[-1] * len(y_train) / len(y_test)
    np.testing.assert_array_equal(runs[0].test_correct, runs[1].test_correct)
    np.testing.assert_array_equal(runs[0].ratios, runs[1].ratios)


def test_lr_sweep_is_a_valley(split):
    X_train, y_train, _, _ = split
    sweep = recipe.lr_sweep(X_train, y_train, [1e-4, 1e-2, 3.0], hidden=16, epochs=1)
    assert sweep.best_lr == 1e-2
    assert sweep.loss[0] > 2.0 and sweep.loss[1] < 1.0
    with pytest.raises(ValueError, match="positive learning rates"):
        recipe.lr_sweep(X_train, y_train, [0.1, -1.0])
    with pytest.raises(ValueError, match="optimizer"):
        recipe.lr_sweep(X_train, y_train, [0.1], optimizer="adagrad")


def test_exercises_of_notebook_12():
    assert bp.exercises.exercise("12.chance26").compute() == pytest.approx(np.log(26))
    with io.StringIO() as buf:
        import contextlib
        with contextlib.redirect_stdout(buf):
            assert not bp.exercises.check("12.chance26", 3.0)
            assert bp.exercises.check("12.chance26", float(np.log(26)))


# --- the pictures, both languages ---------------------------------------------------------------
def _texts(fig):
    return " ".join(t.get_text() for t in fig.findobj(matplotlib.text.Text))


def _pictures(split):
    """Every picture of the digits lesson, in the current language."""
    X_train, y_train, X_test, y_test = split
    run = recipe.train(recipe.mlp(64, 8, 10, seed=0), X_train[:200], y_train[:200], epochs=2,
                       validation=(X_test, y_test))
    net = recipe.mlp(64, 8, 10, seed=0)
    guess = recipe.predict(net, X_test)
    wrong = np.flatnonzero(guess != y_test)[:12]
    return [pictures.plot_digits(X_test[:20], labels=y_test[:20]),
            pictures.plot_digits(X_test[wrong], titles=pictures.mistake_titles(y_test[wrong], guess[wrong])),
            pictures.plot_start_probabilities(np.full(10, 0.1)),
            pictures.plot_lr_sweep([1e-3, 1e-2, 1e-1, 1.0], [2.0, 0.5, 0.3, np.inf], 2, chosen=1e-2),
            pictures.plot_accuracy(run.train_accuracy, run.test_accuracy),
            pictures.plot_confusion(recipe.confusion_matrix(y_test, guess, 10)),
            pictures.plot_first_layer(net.layers[0].W),
            pictures.plot_update_ratios(run.ratios, run.steps_per_epoch),
            pictures.plot_width_accuracy([4, 8, 16], [0.8, 0.9, 0.95])]


def test_pictures_draw_without_missing_glyphs(split, lang, png, caplog):
    figs = _pictures(split)
    for fig in figs:
        with caplog.at_level("WARNING", logger="matplotlib.font_manager"):
            assert png(fig).startswith(b"\x89PNG")      # a warning ("Glyph ... missing") fails
    assert not caplog.records
    words = " ".join(_texts(f) for f in figs)
    assert bool(CJK.search(words)) == (lang == "zh")


def test_picture_bad_input():
    with pytest.raises(ValueError, match=r"\(n, 64\)"):
        pictures.mosaic(np.zeros((3, 10)))
    with pytest.raises(ValueError, match=r"\(64, hidden\)"):
        pictures.plot_first_layer(np.zeros((10, 3)))


def test_mosaic_places_each_image():
    images = np.arange(3 * 64, dtype=float).reshape(3, 64)
    m = pictures.mosaic(images, ncols=2, gap=1)
    assert m.shape == (17, 17)
    np.testing.assert_array_equal(m[:8, :8], images[0].reshape(8, 8))
    np.testing.assert_array_equal(m[:8, 9:], images[1].reshape(8, 8))
    np.testing.assert_array_equal(m[9:, :8], images[2].reshape(8, 8))
    assert np.isnan(m[9:, 9:]).all() and np.isnan(m[8]).all()


# --- the widget ---------------------------------------------------------------------------------
@pytest.mark.parametrize("made_in", ["en", "zh"])
def test_width_widget_moves(small_runs, made_in, english):
    from backprop_core.widgets.digits import DigitsWidthExplorer
    w = DigitsWidthExplorer(small_runs, lang=made_in)  # made in that language, moved in English
    assert w.width.value == 4 and w.figure.renders == 1
    first_png, first_summary = w.figure.image.value, w.summary.value
    w.width.value = 8                               # from code: redrawn at once
    assert w.figure.renders == 2 and w.figure.image.value != first_png
    assert w.summary.value != first_summary
    run = small_runs[8]
    np.testing.assert_array_equal(w.test_line.get_ydata(), run.test_accuracy)
    assert f"{int(run.test_correct[-1])}" in w.summary.value
    assert bool(CJK.search(w.summary.value)) == (made_in == "zh")
    assert bool(CJK.search(w.figure.axes[0].get_title())) == (made_in == "zh")
    assert "image/png" in w._repr_mimebundle_()
    with pytest.raises(ValueError, match="swept widths"):
        DigitsWidthExplorer(small_runs, width=5)
    with pytest.raises(ValueError, match="non-empty dict"):
        DigitsWidthExplorer({})


def test_width_widget_static_export(small_runs, tmp_path):
    static = pytest.importorskip("backprop_core.widgets.static")
    from backprop_core.widgets.digits import DigitsWidthExplorer
    w = DigitsWidthExplorer(small_runs, width=8)
    assert w.static_state() == {"width": 8}
    record = static.export(w, tmp_path, initial=w.static_state())
    assert record["count"] == 2 and record["files"] == 2
    assert w.width.value == 8                       # left as it was shown


def test_width_sweep_trains_each_width_as_train_does(split, small_runs):
    X_train, y_train, X_test, y_test = split
    fresh = recipe.train(recipe.mlp(64, 8, 10, seed=0), X_train[:300], y_train[:300], bp.Adam(lr=0.03),
                         epochs=3, seed=0, validation=(X_test, y_test))
    np.testing.assert_array_equal(small_runs[8].test_correct, fresh.test_correct)
    np.testing.assert_array_equal(small_runs[8].ratios, fresh.ratios)
    reused = recipe.width_sweep(X_train[:300], y_train[:300], (4, 8), (X_test, y_test), lr=0.03, epochs=3,
                                seed=0, done={8: fresh})
    assert reused[8] is fresh
    np.testing.assert_array_equal(reused[4].test_correct, small_runs[4].test_correct)
