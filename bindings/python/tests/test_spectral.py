"""Lomb-Scargle periodograms against astropy.timeseries.LombScargle on the same inputs.

The first half compares powers (every normalisation, nterms 1..3, every fit_mean/center_data
combination, with and without dy, on regular grids and scattered frequencies) with astropy's
exact methods ("cython" and "slow" for nterms = 1, "chi2" otherwise), the automatic grid, the
model and its parameters, the false-alarm probabilities and levels, the fast method's error
against the exact one, batches and thread independence. Where the normal equations are
ill-conditioned (frequencies far below 1/baseline) astropy itself loses digits; there the
reference is a QR solution of the weighted design (numpy.linalg.lstsq). The second half feeds
the bad inputs and asserts the exception class, its ``.code`` and that the message names the
culprit.
"""

import ctypes

import numpy as np
import pytest
from astropy.timeseries import LombScargle as AstropyLombScargle

import inferkit
from conftest import assert_error, squash
from inferkit import _capi
from inferkit._library import lib

DOUBLE_P = ctypes.POINTER(ctypes.c_double)
NORMALIZATIONS = ["standard", "model", "log", "psd"]


def assert_close(got, want, rtol=1e-10, atol_factor=1e-15):
    """|got - want| <= rtol |want| + atol_factor max|want| elementwise (the absolute part is
    the rounding floor of powers near 0, where both libraries lose relative digits)."""
    got = np.asarray(got, dtype=float)
    want = np.asarray(want, dtype=float)
    assert got.shape == want.shape, (got.shape, want.shape)
    scale = float(np.max(np.abs(want))) if want.size else 1.0
    np.testing.assert_allclose(got, want, rtol=rtol, atol=atol_factor * max(scale, 1e-300))


def pointer(array):
    """``double*`` to a contiguous float64 array."""
    return array.ctypes.data_as(DOUBLE_P)


# ------------------------------------------------------------------------------------------
# Data
# ------------------------------------------------------------------------------------------


def make_data(seed=0, n=240, span=60.0, f0=0.27):
    """Irregular times, a two-harmonic signal with an offset, noise and uncertainties."""
    rng = np.random.default_rng(seed)
    t = np.sort(rng.uniform(0.0, span, n))
    dy = rng.uniform(0.3, 0.9, n)
    y = (1.7 + 1.2 * np.sin(2 * np.pi * f0 * t + 0.3) + 0.4 * np.cos(4 * np.pi * f0 * t)
         + rng.normal(0.0, 1.0, n) * dy)
    return t, y, dy


@pytest.fixture(scope="module")
def data():
    """The shared test series."""
    return make_data()


def astropy_method(nterms):
    """astropy's exact implementation for nterms."""
    return "cython" if nterms == 1 else "chi2"


def lstsq_power(t, y, dy, f, fit_mean=True, center_data=True, nterms=1):
    """Standard power from a QR (lstsq) solution of the weighted design: a reference that
    stays accurate where the normal equations are ill-conditioned."""
    w = np.ones_like(y) if dy is None else 1.0 / dy**2
    if fit_mean or center_data:
        y = y - np.dot(w, y) / w.sum()
    cols = [np.ones_like(t)] if fit_mean else []
    for k in range(1, nterms + 1):
        cols += [np.sin(2 * np.pi * k * f * t), np.cos(2 * np.pi * k * f * t)]
    a = np.column_stack(cols) * np.sqrt(w)[:, None]
    b = y * np.sqrt(w)
    theta = np.linalg.lstsq(a, b, rcond=None)[0]
    r = b - a @ theta
    return 1.0 - np.dot(r, r) / np.dot(b, b)


# ------------------------------------------------------------------------------------------
# Powers against astropy
# ------------------------------------------------------------------------------------------


@pytest.mark.parametrize("nterms", [1, 2, 3])
@pytest.mark.parametrize("fit_mean,center_data", [(True, True), (True, False), (False, True),
                                                  (False, False)])
@pytest.mark.parametrize("with_dy", [True, False])
def test_power_matches_astropy(data, nterms, fit_mean, center_data, with_dy):
    """Every normalisation on a regular grid and on scattered frequencies agrees to 1e-10."""
    t, y, dy = data
    dy = dy if with_dy else None
    grid = np.linspace(1.0 / 60, 2.0, 1500)
    scattered = np.sort(np.random.default_rng(1).uniform(0.02, 2.0, 60))
    for normalization in NORMALIZATIONS:
        ours = inferkit.LombScargle(t, y, dy, fit_mean=fit_mean, center_data=center_data,
                                    nterms=nterms, normalization=normalization)
        ref = AstropyLombScargle(t, y, dy, fit_mean=fit_mean, center_data=center_data,
                                 nterms=nterms, normalization=normalization)
        methods = [astropy_method(nterms)] + (["slow"] if nterms == 1 else [])
        for method in methods:
            assert_close(ours.power(grid), ref.power(grid, method=method))
            assert_close(ours.power(scattered), ref.power(scattered, method=method))


def test_autopower_matches_astropy(data):
    """autofrequency, its limits and autopower are astropy's, for default and custom grids."""
    t, y, dy = data
    ours, ref = inferkit.LombScargle(t, y, dy), AstropyLombScargle(t, y, dy)
    for kwargs in [{}, dict(samples_per_peak=10, nyquist_factor=2),
                   dict(minimum_frequency=0.1, maximum_frequency=0.9),
                   dict(samples_per_peak=3, maximum_frequency=4.0)]:
        np.testing.assert_array_equal(ours.autofrequency(**kwargs), ref.autofrequency(**kwargs))
        assert ours.autofrequency(return_freq_limits=True, **kwargs) == pytest.approx(
            ref.autofrequency(return_freq_limits=True, **kwargs), rel=1e-15)
        f_ours, p_ours = ours.autopower(**kwargs)
        f_ref, p_ref = ref.autopower(method="cython", **kwargs)
        np.testing.assert_array_equal(f_ours, f_ref)
        assert_close(p_ours, p_ref)


def test_power_keeps_the_frequency_shape(data):
    """power() returns the shape of its frequency argument, as astropy."""
    t, y, dy = data
    ours, ref = inferkit.LombScargle(t, y, dy), AstropyLombScargle(t, y, dy)
    f = np.linspace(0.1, 1.0, 12).reshape(3, 4)
    assert ours.power(f).shape == (3, 4)
    assert_close(ours.power(f), ref.power(f, method="cython"))
    assert ours.power(0.27).shape == ()


@pytest.mark.parametrize("nterms", [1, 2, 3])
def test_ill_conditioned_low_frequencies(data, nterms):
    """Far below 1/baseline the normal equations lose digits; the library switches to a QR
    of the weighted design there and stays within 1e-9 of an lstsq reference (down to
    f baseline = 0.03 for nterms <= 2, 0.12 for nterms = 3, below which even a QR of the
    design with columns this collinear has no 9 digits left)."""
    t, y, dy = data
    f = np.array([0.002, 0.004, 0.008, 0.016] + ([0.0005, 0.001] if nterms < 3 else []))
    ours = inferkit.LombScargle(t, y, dy, nterms=nterms).power(f)
    ref = np.array([lstsq_power(t, y, dy, fi, nterms=nterms) for fi in f])
    assert_close(ours, ref, rtol=1e-9, atol_factor=1e-13)


# ------------------------------------------------------------------------------------------
# Fast method, batches, threads
# ------------------------------------------------------------------------------------------


@pytest.mark.parametrize("nterms", [1, 2, 3])
def test_fast_method_error_bound(nterms):
    """The fast method's standard powers are within 1e-9 of the exact ones (stated ~1e-12)."""
    rng = np.random.default_rng(0)
    t = rng.uniform(0, 100, 3000)
    y = np.sin(2 * np.pi * 0.37 * t) + rng.normal(0, 0.5, t.size)
    dy = np.full(t.size, 0.5)
    f = np.linspace(0.01, 5, 6000)
    ls = inferkit.LombScargle(t, y, dy, nterms=nterms)
    exact = ls.power(f)
    fast = ls.power(f, method="fast")
    assert np.max(np.abs(fast - exact)) < 1e-9
    freq, power = ls.autopower(method="fast")
    assert np.max(np.abs(power - ls.power(freq))) < 1e-9
    if nterms == 1:
        astropy_fast = AstropyLombScargle(t, y, dy).power(f, method="fast")
        assert np.max(np.abs(astropy_fast - exact)) < 1e-9


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_fast_method_with_few_points_and_large_phases(seed):
    """Few points for many parameters, a large time offset and 20,000 frequencies up to
    f T = 10^4: ill-conditioned fits, where the fast method falls back to exact sums."""
    rng = np.random.default_rng(seed)
    n = 9
    t = rng.uniform(-700.0, -600.0, 1) + np.sort(rng.uniform(0, 2.0, n))
    y = rng.normal(size=n)
    dy = rng.uniform(0.1, 3.0, n)
    f = 0.3 + 0.25 * np.arange(20000)
    for nterms, fit_mean in [(3, True), (3, False), (2, True)]:
        ls = inferkit.LombScargle(t, y, dy, nterms=nterms, fit_mean=fit_mean)
        assert np.max(np.abs(ls.power(f, method="fast") - ls.power(f))) < 1e-9


def test_batch_equals_single_series(data):
    """lomb_scargle_batch row s is LombScargle(t, y[s], dy[s]).power(frequency)."""
    t, y, dy = data
    rng = np.random.default_rng(5)
    ys = np.stack([y, 2 * y + 1, rng.normal(size=y.size), np.cos(t)])
    dys = np.stack([dy, dy * 1.5, np.full(y.size, 0.7), dy[::-1].copy()])
    f = np.linspace(0.02, 1.5, 700)
    for dy_arg, rows in [(None, [None] * 4), (dy, [dy] * 4), (dys, list(dys)), (0.5, [0.5] * 4)]:
        for method in ("exact", "fast"):
            batch = inferkit.lomb_scargle_batch(t, ys, f, dy=dy_arg, nterms=2, method=method)
            assert batch.shape == (4, f.size)
            for s in range(4):
                single = inferkit.LombScargle(t, ys[s], rows[s], nterms=2).power(f, method=method)
                assert_close(batch[s], single, rtol=1e-12)
    one = inferkit.lomb_scargle_batch(t, y, f, dy=dy)
    assert_close(one, inferkit.LombScargle(t, y, dy).power(f), rtol=1e-12)


@pytest.mark.parametrize("method", ["exact", "fast"])
def test_results_do_not_depend_on_threads(data, method):
    """Bit-identical powers for 1, 2, 3 and all threads (regular and scattered frequencies)."""
    t, y, dy = data
    ls = inferkit.LombScargle(t, y, dy, nterms=2)
    f = np.linspace(0.01, 3.0, 2500)
    results = [ls.power(f, method=method, n_threads=k) for k in (1, 2, 3, 0)]
    for r in results[1:]:
        np.testing.assert_array_equal(r, results[0])
    if method == "exact":
        g = np.sort(np.random.default_rng(2).uniform(0.01, 3.0, 700))
        results = [ls.power(g, n_threads=k) for k in (1, 3)]
        np.testing.assert_array_equal(results[0], results[1])


# ------------------------------------------------------------------------------------------
# The model
# ------------------------------------------------------------------------------------------


@pytest.mark.parametrize("nterms", [1, 2, 3])
@pytest.mark.parametrize("fit_mean,center_data", [(True, True), (True, False), (False, True)])
def test_model_matches_astropy(data, nterms, fit_mean, center_data):
    """model(), model_parameters() and offset() agree with astropy's."""
    t, y, dy = data
    ours = inferkit.LombScargle(t, y, dy, fit_mean=fit_mean, center_data=center_data,
                                nterms=nterms)
    ref = AstropyLombScargle(t, y, dy, fit_mean=fit_mean, center_data=center_data,
                             nterms=nterms)
    t_fit = np.linspace(-10, 80, 101)
    for f in (0.27, 0.1, 1.3):
        assert_close(ours.model(t_fit, f), ref.model(t_fit, f), rtol=1e-10, atol_factor=1e-12)
        assert_close(ours.model_parameters(f), ref.model_parameters(f), rtol=1e-10,
                     atol_factor=1e-12)
    assert ours.offset() == pytest.approx(ref.offset(), rel=1e-14, abs=1e-15)


def test_model_without_dy_and_shapes(data):
    """Without dy, and with a 2-D t_fit (the shape is kept)."""
    t, y, _ = data
    ours, ref = inferkit.LombScargle(t, y), AstropyLombScargle(t, y)
    t_fit = np.linspace(0, 60, 24).reshape(4, 6)
    got = ours.model(t_fit, 0.27)
    assert got.shape == (4, 6)
    assert_close(got.ravel(), ref.model(t_fit.ravel(), 0.27), atol_factor=1e-12)


# ------------------------------------------------------------------------------------------
# False-alarm probabilities and levels
# ------------------------------------------------------------------------------------------


@pytest.mark.parametrize("normalization", NORMALIZATIONS)
@pytest.mark.parametrize("with_dy", [True, False])
def test_false_alarm_probability_matches_astropy(data, normalization, with_dy):
    """Baluev, Davies, naive and single-frequency probabilities agree to 1e-10, and the
    levels (astropy finds them by Levenberg-Marquardt to ~1e-8) to 1e-7."""
    t, y, dy = data
    dy = dy if with_dy else None
    ours = inferkit.LombScargle(t, y, dy, normalization=normalization)
    ref = AstropyLombScargle(t, y, dy, normalization=normalization)
    peak = float(ours.power(0.27))
    z = peak * np.array([0.02, 0.05, 0.1, 0.3])
    for kwargs in [{}, dict(maximum_frequency=3.0), dict(samples_per_peak=10, nyquist_factor=2)]:
        for method in ("baluev", "davies", "naive", "single"):
            assert_close(ours.false_alarm_probability(z, method=method, **kwargs),
                         ref.false_alarm_probability(z, method=method, **kwargs), atol_factor=1e-14)
        for method in ("baluev", "davies", "naive"):
            p = np.array([0.001, 0.01, 0.1, 0.5])
            got = ours.false_alarm_level(p, method=method, **kwargs)
            assert_close(got, ref.false_alarm_level(p, method=method, **kwargs), rtol=1e-7)
            assert_close(ours.false_alarm_probability(got, method=method, **kwargs), p, rtol=1e-9)
    assert isinstance(ours.false_alarm_probability(z[0]), float)


def test_bootstrap_agrees_statistically_and_is_reproducible():
    """Bootstrap probabilities agree with astropy's within the sampling error of both; the
    same seed gives the same result, another seed another one."""
    rng = np.random.default_rng(11)
    t = np.sort(rng.uniform(0, 20, 50))
    y = rng.normal(0, 1, t.size)
    dy = rng.uniform(0.5, 1.5, t.size)
    ours, ref = inferkit.LombScargle(t, y, dy), AstropyLombScargle(t, y, dy)
    level = ours.false_alarm_level([0.5, 0.1], method="baluev")
    n_boot = 300
    kw = dict(method="bootstrap", method_kwds=dict(n_bootstraps=n_boot, random_seed=3))
    got = ours.false_alarm_probability(level, **kw)
    want = ref.false_alarm_probability(level, **kw)
    sampling = np.sqrt(np.maximum(want * (1 - want), 0.05) / n_boot)
    assert np.all(np.abs(got - want) < 5 * np.sqrt(2) * sampling), (got, want)
    np.testing.assert_array_equal(got, ours.false_alarm_probability(level, **kw))
    other = ours.false_alarm_probability(
        level, method="bootstrap", method_kwds=dict(n_bootstraps=n_boot, random_seed=4))
    assert not np.array_equal(got, other)
    lev = ours.false_alarm_level([0.5, 0.1], **kw)
    lev_ref = ref.false_alarm_level([0.5, 0.1], **kw)
    assert np.all(np.abs(lev - lev_ref) < 0.25 * lev_ref)
    np.testing.assert_array_equal(lev, ours.false_alarm_level([0.5, 0.1], **kw))


# ------------------------------------------------------------------------------------------
# Bad inputs
# ------------------------------------------------------------------------------------------

E = _capi


def test_nonfinite_inputs(data):
    """NaN/Inf in t, y, dy or frequency: NonFiniteError naming the element."""
    t, y, dy = data
    for name, index in [("t", 17), ("y", 3), ("dy", 40)]:
        arrays = {"t": t.copy(), "y": y.copy(), "dy": dy.copy()}
        arrays[name][index] = np.nan
        with pytest.raises(inferkit.NonFiniteError) as e:
            inferkit.LombScargle(arrays["t"], arrays["y"], arrays["dy"]).power([0.1, 0.2])
        assert_error(e, inferkit.NonFiniteError, E.IK_ERR_NONFINITE, f"{name}[{index}]", "nan")
    with pytest.raises(inferkit.NonFiniteError) as e:
        inferkit.LombScargle(t, y, dy).power([0.1, np.inf, 0.3])
    assert_error(e, inferkit.NonFiniteError, E.IK_ERR_NONFINITE, "frequency[1]", "inf")
    with pytest.raises(inferkit.NonFiniteError) as e:
        inferkit.LombScargle(t, y, dy).model([1.0, np.nan], 0.2)
    assert_error(e, inferkit.NonFiniteError, E.IK_ERR_NONFINITE, "t_fit[1]")
    bad = np.stack([y, y])
    bad[1, 7] = np.inf
    with pytest.raises(inferkit.NonFiniteError) as e:
        inferkit.lomb_scargle_batch(t, bad, [0.1, 0.2])
    assert_error(e, inferkit.NonFiniteError, E.IK_ERR_NONFINITE, "y[1,7]")


def test_nonpositive_dy_and_frequency(data):
    """dy <= 0 and frequency <= 0 or NaN: the exception names the element and the value."""
    t, y, dy = data
    for value in (0.0, -0.5):
        bad = dy.copy()
        bad[4] = value
        with pytest.raises(inferkit.InvalidArgumentError) as e:
            inferkit.LombScargle(t, y, bad).power([0.1])
        assert_error(e, inferkit.InvalidArgumentError, E.IK_ERR_INVALID_ARGUMENT, f"dy[4] is {value:g}")
    for f, culprit, cls in [([0.1, 0.0], "frequency[1] is 0", inferkit.InvalidArgumentError),
                            ([-1.0, 0.2], "frequency[0] is -1", inferkit.InvalidArgumentError),
                            ([0.3, np.nan], "frequency[1] is nan", inferkit.NonFiniteError)]:
        with pytest.raises(cls) as e:
            inferkit.LombScargle(t, y, dy).power(f)
        assert_error(e, cls, cls.default_code, culprit)
    with pytest.raises(inferkit.InvalidArgumentError) as e:
        inferkit.LombScargle(t, y, dy).model(t, 0.0)
    assert_error(e, inferkit.InvalidArgumentError, E.IK_ERR_INVALID_ARGUMENT, "frequency is 0")


def test_mismatched_lengths_and_too_few_points(data):
    """Mismatched t/y/dy lengths, 2-D inputs, empty frequency and too few points."""
    t, y, dy = data
    with pytest.raises(inferkit.DimensionError) as e:
        inferkit.LombScargle(t, y[:-1])
    assert_error(e, inferkit.DimensionError, E.IK_ERR_DIMENSION, "t has 240", "y has 239")
    with pytest.raises(inferkit.DimensionError) as e:
        inferkit.LombScargle(t, y, dy[:10])
    assert_error(e, inferkit.DimensionError, E.IK_ERR_DIMENSION, "dy has 10")
    with pytest.raises(inferkit.DimensionError) as e:
        inferkit.LombScargle(t.reshape(2, -1), y)
    assert_error(e, inferkit.DimensionError, E.IK_ERR_DIMENSION, "t must be 1-D")
    with pytest.raises(inferkit.DimensionError) as e:
        inferkit.LombScargle(t, y, dy).power([])
    assert_error(e, inferkit.DimensionError, E.IK_ERR_DIMENSION, "n_freq is 0")
    with pytest.raises(inferkit.DimensionError) as e:
        inferkit.LombScargle(t[:3], y[:3]).power([0.1])
    assert_error(e, inferkit.DimensionError, E.IK_ERR_DIMENSION, "n is 3", "at least 4")
    with pytest.raises(inferkit.DimensionError) as e:
        inferkit.LombScargle(t[:7], y[:7], nterms=3).power([0.1])
    assert_error(e, inferkit.DimensionError, E.IK_ERR_DIMENSION, "n is 7", "at least 8")
    with pytest.raises(inferkit.DimensionError) as e:
        inferkit.lomb_scargle_batch(t, np.stack([y, y])[:, :-1], [0.1])
    assert_error(e, inferkit.DimensionError, E.IK_ERR_DIMENSION, "t has 240")
    with pytest.raises(inferkit.DimensionError) as e:
        inferkit.lomb_scargle_batch(t, np.stack([y, y]), [0.1], dy=np.ones((3, t.size)))
    assert_error(e, inferkit.DimensionError, E.IK_ERR_DIMENSION, "dy has shape (3, 240)")


def test_bad_options(data):
    """nterms < 1, unknown normalization/method names: the exception names the option."""
    t, y, dy = data
    for nterms in (0, -2, 1000):
        with pytest.raises(inferkit.InvalidArgumentError) as e:
            inferkit.LombScargle(t, y, dy, nterms=nterms).power([0.1])
        assert_error(e, inferkit.InvalidArgumentError, E.IK_ERR_INVALID_ARGUMENT, f"nterms is {nterms}")
    with pytest.raises(inferkit.InvalidArgumentError) as e:
        inferkit.LombScargle(t, y, dy, normalization="loud").power([0.1])
    assert_error(e, inferkit.InvalidArgumentError, E.IK_ERR_INVALID_ARGUMENT, "normalization", "loud")
    with pytest.raises(inferkit.InvalidArgumentError) as e:
        inferkit.LombScargle(t, y, dy).power([0.1], method="fastest")
    assert_error(e, inferkit.InvalidArgumentError, E.IK_ERR_INVALID_ARGUMENT, "method", "fastest")
    with pytest.raises(inferkit.InvalidArgumentError) as e:
        inferkit.LombScargle(t, y, dy).false_alarm_probability(0.1, method="guess")
    assert_error(e, inferkit.InvalidArgumentError, E.IK_ERR_INVALID_ARGUMENT, "method", "guess")
    with pytest.raises(inferkit.InvalidArgumentError) as e:
        inferkit.LombScargle(t, y, dy).autofrequency(samples_per_peak=0)
    assert_error(e, inferkit.InvalidArgumentError, E.IK_ERR_INVALID_ARGUMENT, "samples_per_peak is 0")
    with pytest.raises(inferkit.InvalidArgumentError) as e:
        inferkit.LombScargle(t, y, dy).autofrequency(minimum_frequency=2, maximum_frequency=1)
    assert_error(e, inferkit.InvalidArgumentError, E.IK_ERR_INVALID_ARGUMENT, "maximum_frequency")


def c_options(**fields):
    """An ik_lomb_scargle_options_t with defaults, then ``fields``."""
    options = _capi.ik_lomb_scargle_options_t()
    assert lib.ik_lomb_scargle_options_default(ctypes.byref(options)) == 0
    for key, value in fields.items():
        setattr(options, key, value)
    return options


@pytest.mark.parametrize("field,value,culprit", [
    ("normalization", 9, "options->normalization is 9"),
    ("normalization", -1, "options->normalization is -1"),
    ("method", 2, "options->method is 2"),
    ("fap_method", 5, "options->fap_method is 5"),
    ("nterms", 0, "options->nterms is 0"),
    ("fit_mean", 3, "options->fit_mean is 3"),
    ("n_threads", -4, "options->n_threads is -4"),
    ("struct_size", 4, "options->struct_size is 4"),
])
def test_bad_option_codes_through_the_c_interface(data, field, value, culprit):
    """Codes out of range in the options struct: IK_ERR_INVALID_ARGUMENT naming the field."""
    t, y, dy = data
    f = np.array([0.1, 0.2])
    out = np.empty(2)
    options = c_options(**{field: value})
    status = lib.ik_lomb_scargle_power(pointer(t), pointer(y), pointer(dy), t.size, pointer(f),
                                       f.size, ctypes.byref(options), pointer(out))
    assert status == E.IK_ERR_INVALID_ARGUMENT
    assert squash(culprit) in squash(inferkit.last_error())
    status = lib.ik_lomb_scargle_power(None, pointer(y), None, t.size, pointer(f), f.size, None,
                                       pointer(out))
    assert status == E.IK_ERR_INVALID_ARGUMENT
    assert "t is NULL" in inferkit.last_error()


def test_degenerate_data_and_method_limits(data):
    """Constant y, no baseline, the fast method off a grid, and the limits of the false-alarm
    functions (nterms = 1, centred data, power and probability ranges)."""
    t, y, dy = data
    with pytest.raises(inferkit.SingularError) as e:
        inferkit.LombScargle(t, np.full(t.size, 3.0), dy).power([0.1, 0.2])
    assert_error(e, inferkit.SingularError, E.IK_ERR_SINGULAR, "constant")
    psd = inferkit.LombScargle(t, np.full(t.size, 3.0), dy, normalization="psd").power([0.1])
    np.testing.assert_array_equal(psd, [0.0])
    with pytest.raises(inferkit.InvalidArgumentError) as e:
        inferkit.LombScargle(np.full(10, 2.0), y[:10]).autofrequency()
    assert_error(e, inferkit.InvalidArgumentError, E.IK_ERR_INVALID_ARGUMENT, "baseline")
    with pytest.raises(inferkit.InvalidArgumentError) as e:
        inferkit.LombScargle(t, y, dy).power([0.1, 0.2, 0.35, 0.4], method="fast")
    assert_error(e, inferkit.InvalidArgumentError, E.IK_ERR_INVALID_ARGUMENT, "regular grid", "frequency[2]")
    with pytest.raises(inferkit.InvalidArgumentError) as e:
        inferkit.LombScargle(t, y, dy, nterms=2).false_alarm_probability(0.1)
    assert_error(e, inferkit.InvalidArgumentError, E.IK_ERR_INVALID_ARGUMENT, "nterms is 2")
    with pytest.raises(inferkit.InvalidArgumentError) as e:
        inferkit.LombScargle(t, y, dy, fit_mean=False, center_data=False).false_alarm_level(0.1)
    assert_error(e, inferkit.InvalidArgumentError, E.IK_ERR_INVALID_ARGUMENT, "center_data")
    with pytest.raises(inferkit.InvalidArgumentError) as e:
        inferkit.LombScargle(t, y, dy).false_alarm_probability([0.1, 1.5])
    assert_error(e, inferkit.InvalidArgumentError, E.IK_ERR_INVALID_ARGUMENT, "power[1] is 1.5")
    with pytest.raises(inferkit.NonFiniteError) as e:
        inferkit.LombScargle(t, y, dy).false_alarm_probability([np.nan])
    assert_error(e, inferkit.NonFiniteError, E.IK_ERR_NONFINITE, "power[0]")
    for p in (0.0, 1.0, -0.1):
        with pytest.raises(inferkit.InvalidArgumentError) as e:
            inferkit.LombScargle(t, y, dy).false_alarm_level([0.5, p])
        assert_error(e, inferkit.InvalidArgumentError, E.IK_ERR_INVALID_ARGUMENT, "probability[1]")
    with pytest.raises(inferkit.InvalidArgumentError) as e:
        inferkit.LombScargle(t, y, dy).false_alarm_probability(
            0.1, method="bootstrap", method_kwds=dict(n_bootstraps=0))
    assert_error(e, inferkit.InvalidArgumentError, E.IK_ERR_INVALID_ARGUMENT, "n_bootstraps is 0")
