"""MCMC diagnostics against their anchors on the same chains: emcee's integrated_time, and
ArviZ's ess, rhat, hdi and mcse (versions recorded in the test ids' docstrings below)."""

import warnings

import numpy as np
import pytest

import inferkit
from conftest import assert_error

emcee = pytest.importorskip("emcee")
with warnings.catch_warnings():
    warnings.simplefilter("ignore")
    az = pytest.importorskip("arviz")

RTOL = 1e-10


def ar1(rng, n_steps, n_walkers, n_dim, phi):
    """AR(1) chains x_t = phi x_{t-1} + e_t, shape (steps, walkers, ndim); tau = (1+phi)/(1-phi)."""
    x = np.empty((n_steps, n_walkers, n_dim))
    x[0] = rng.normal(size=(n_walkers, n_dim)) / np.sqrt(1 - phi**2)
    for t in range(1, n_steps):
        x[t] = phi * x[t - 1] + rng.normal(size=(n_walkers, n_dim))
    return x


def close(got, want, rtol=RTOL):
    got, want = np.asarray(got, dtype=float), np.asarray(want, dtype=float)
    assert got.shape == want.shape
    np.testing.assert_allclose(got, want, rtol=rtol, atol=0)


CHAINS = [
    # (n_steps, n_walkers, n_dim, phi, seed)
    (4000, 16, 3, 0.9, 1),
    (1000, 4, 2, 0.5, 2),
    (257, 7, 1, 0.97, 3),  # odd length, long tau: too short
    (64, 3, 2, 0.8, 4),    # too short
    (2000, 1, 1, 0.0, 5),  # iid, one walker
    (33, 2, 4, -0.5, 6),   # anticorrelated
]


@pytest.mark.parametrize("n_steps,n_walkers,n_dim,phi,seed", CHAINS)
def test_autocorr_time_equals_emcee(n_steps, n_walkers, n_dim, phi, seed):
    x = ar1(np.random.default_rng(seed), n_steps, n_walkers, n_dim, phi)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        want = emcee.autocorr.integrated_time(x, quiet=True)
        got = inferkit.autocorr_time(x, quiet=True)
    close(got, want)
    too_short = 50 * want > n_steps
    if too_short.any():
        with pytest.raises(emcee.autocorr.AutocorrError) as ref:
            emcee.autocorr.integrated_time(x)
        with pytest.raises(inferkit.AutocorrError) as ours:
            inferkit.autocorr_time(x)
        close(ours.value.tau, ref.value.tau)
        assert list(ours.value.too_short) == list(too_short)
        assert isinstance(ours.value, inferkit.InferKitError)
        assert "shorter than 50" in str(ours.value)
        with pytest.warns(RuntimeWarning, match="shorter than 50"):
            inferkit.autocorr_time(x, quiet=True)
    else:
        close(inferkit.autocorr_time(x), want)


@pytest.mark.parametrize("c,tol", [(1, 0), (3.5, 10), (10, 1000)])
def test_autocorr_time_options_equal_emcee(c, tol):
    x = ar1(np.random.default_rng(11), 500, 5, 2, 0.85)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        want = emcee.autocorr.integrated_time(x, c=c, tol=tol, quiet=True)
        got = inferkit.autocorr_time(x, c=c, tol=tol, quiet=True)
    close(got, want)


def test_autocorr_time_1d_and_2d_layouts_as_emcee():
    x = ar1(np.random.default_rng(12), 3000, 4, 3, 0.6)
    close(inferkit.autocorr_time(x[:, 0, 0]), emcee.autocorr.integrated_time(x[:, 0, 0]))
    close(inferkit.autocorr_time(x[:, :, 1]), emcee.autocorr.integrated_time(x[:, :, 1]))
    close(inferkit.autocorr_time(x[:, 2, :], has_walkers=False),
          emcee.autocorr.integrated_time(x[:, 2, :], has_walkers=False))


def test_autocorr_time_of_ar1_is_near_theory():
    x = ar1(np.random.default_rng(13), 20000, 8, 1, 0.8)
    assert inferkit.autocorr_time(x)[0] == pytest.approx((1 + 0.8) / (1 - 0.8), rel=0.1)
    iid = np.random.default_rng(14).normal(size=(20000, 8, 2))
    np.testing.assert_allclose(inferkit.autocorr_time(iid), 1.0, atol=0.1)


def test_autocorr_function_equals_emcee():
    x = ar1(np.random.default_rng(15), 1001, 1, 1, 0.7)[:, 0, 0]
    got = inferkit.autocorr_function(x)
    want = emcee.autocorr.function_1d(x)
    np.testing.assert_allclose(got, want, rtol=0, atol=1e-13)
    assert got[0] == 1.0


def draws_cases():
    rng = np.random.default_rng(20)
    yield "ar1", ar1(rng, 1000, 4, 3, 0.7).swapaxes(0, 1).copy()
    yield "odd draws", ar1(rng, 101, 3, 2, 0.9).swapaxes(0, 1).copy()
    yield "minimum", rng.normal(size=(2, 4, 2))
    yield "one chain", ar1(rng, 500, 1, 2, 0.4).swapaxes(0, 1).copy()
    shifted = ar1(rng, 400, 4, 1, 0.5).swapaxes(0, 1).copy()
    shifted[0] += 2.0
    yield "not mixed", shifted
    yield "ties", np.round(rng.normal(size=(4, 300, 2)) * 2) / 2
    yield "heavy tails", rng.standard_cauchy(size=(3, 250, 2))


@pytest.mark.parametrize("name,draws", list(draws_cases()), ids=lambda v: v if isinstance(v, str) else "")
@pytest.mark.parametrize("method", ["bulk", "tail", "mean"])
def test_ess_equals_arviz(name, draws, method):
    """arviz 0.23 (classic API; arviz 1.x moved these functions to arviz-stats)."""
    want = np.array([az.ess(draws[:, :, d], method=method) for d in range(draws.shape[2])])
    close(inferkit.ess(draws, method=method), want)
    assert inferkit.ess(draws[:, :, 0], method=method) == pytest.approx(want[0], rel=RTOL)


@pytest.mark.parametrize("name,draws", list(draws_cases()), ids=lambda v: v if isinstance(v, str) else "")
def test_rhat_and_hdi_equal_arviz(name, draws):
    if draws.shape[0] >= 2:
        want = np.array([az.rhat(draws[:, :, d]) for d in range(draws.shape[2])])
        close(inferkit.rhat(draws), want)
        assert inferkit.rhat(draws[:, :, -1]) == pytest.approx(want[-1], rel=RTOL)
    for prob in (0.94, 0.5, 0.999):
        close(inferkit.hdi(draws, hdi_prob=prob), az.hdi(draws, hdi_prob=prob))
        flat = draws[:, :, 0].ravel()
        close(inferkit.hdi(flat, hdi_prob=prob), az.hdi(flat, hdi_prob=prob))


def test_rhat_flags_chains_that_disagree():
    rng = np.random.default_rng(21)
    good = rng.normal(size=(4, 1000, 1))
    bad = good.copy()
    bad[0] += 1.0
    assert inferkit.rhat(good)[0] < 1.01
    assert inferkit.rhat(bad)[0] > 1.1


@pytest.mark.parametrize("name,draws", list(draws_cases()), ids=lambda v: v if isinstance(v, str) else "")
def test_summary_equals_numpy_and_arviz(name, draws):
    probs = [0.0, 0.05, 0.25, 0.5, 0.975, 1.0]
    s = inferkit.summary(draws, quantiles=probs, hdi_prob=0.9)
    flat = draws.reshape(-1, draws.shape[2])
    np.testing.assert_allclose(s["mean"], flat.mean(axis=0), rtol=1e-12, atol=1e-14)
    close(s["sd"], flat.std(axis=0, ddof=1), rtol=1e-12)
    close(s["quantiles"], np.quantile(flat, probs, axis=0).T, rtol=1e-14)
    close(s["hdi"], az.hdi(draws, hdi_prob=0.9))
    n_dim = draws.shape[2]
    close(s["ess_bulk"], [az.ess(draws[:, :, d], method="bulk") for d in range(n_dim)])
    close(s["ess_tail"], [az.ess(draws[:, :, d], method="tail") for d in range(n_dim)])
    close(s["mcse_mean"], [az.mcse(draws[:, :, d], method="mean") for d in range(n_dim)],
          rtol=1e-9)
    if draws.shape[0] >= 2:
        close(s["r_hat"], [az.rhat(draws[:, :, d]) for d in range(n_dim)])
    else:
        assert np.isnan(s["r_hat"]).all()


def test_acceptance_fraction_and_discard_thin():
    rng = np.random.default_rng(22)
    chain = rng.normal(size=(101, 3, 2))
    chain[1:51, 1] = chain[0, 1]          # walker 1 stuck for 50 of 100 transitions
    chain[60:, 2, 0] = chain[59, 2, 0]    # walker 2 moves in one coordinate only: still moves
    np.testing.assert_array_equal(inferkit.acceptance_fraction(chain), [1.0, 0.5, 1.0])
    for discard, thin in [(0, 1), (10, 1), (10, 3), (0, 7), (99, 1), (0, 101), (50, 50)]:
        want = chain[discard + thin - 1::thin]
        np.testing.assert_array_equal(inferkit.discard_thin(chain, discard, thin), want)
        np.testing.assert_array_equal(inferkit.discard_thin(chain, discard, thin, flat=True),
                                      want.reshape(-1, 2))


def test_bad_inputs():
    E = inferkit
    rng = np.random.default_rng(23)
    chain = rng.normal(size=(100, 4, 2))
    with pytest.raises(E.InvalidArgumentError) as e:
        E.autocorr_time(chain, c=0)
    assert_error(e, E.InvalidArgumentError, 1, "c is 0")
    with pytest.raises(E.InvalidArgumentError) as e:
        E.autocorr_time(chain, tol=-1)
    assert_error(e, E.InvalidArgumentError, 1, "tol is -1")
    with pytest.raises(E.InvalidArgumentError) as e:
        E.autocorr_time(chain, c=float("nan"))
    assert_error(e, E.InvalidArgumentError, 1, "c is nan")
    bad = chain.copy()
    bad[17, 3, 1] = np.nan
    with pytest.raises(E.NonFiniteError) as e:
        E.autocorr_time(bad)
    assert_error(e, E.NonFiniteError, 3, "chain[17,3,1]", "nan")
    stuck = chain.copy()
    stuck[:, 2, 0] = 1.5
    with pytest.raises(E.SingularError) as e:
        E.autocorr_time(stuck)
    assert_error(e, E.SingularError, 4, "chain[:,2,0]", "constant")
    with pytest.raises(E.DimensionError) as e:
        E.autocorr_time(chain[:1])
    assert_error(e, E.DimensionError, 2, "n_steps is 1")
    with pytest.raises(E.DimensionError) as e:
        E.autocorr_time(np.zeros((10, 0, 2)))
    assert_error(e, E.DimensionError, 2, "n_walkers is 0")
    with pytest.raises(E.DimensionError):
        E.autocorr_time(np.zeros((3, 3, 3, 3)))

    draws = rng.normal(size=(4, 50, 3))
    with pytest.raises(E.InvalidArgumentError) as e:
        E.ess(draws, method="median")
    assert_error(e, E.InvalidArgumentError, 1, "method", "'median'")
    with pytest.raises(E.DimensionError) as e:
        E.ess(draws[:, :3])
    assert_error(e, E.DimensionError, 2, "n_draws is 3")
    with pytest.raises(E.DimensionError) as e:
        E.rhat(draws[:1])
    assert_error(e, E.DimensionError, 2, "n_chains is 1")
    bad = draws.copy()
    bad[2, 40, 1] = np.inf
    for f in (E.ess, E.rhat, E.summary):
        with pytest.raises(E.NonFiniteError) as e:
            f(bad)
        assert_error(e, E.NonFiniteError, 3, "draws[2,40,1]", "inf")
    with pytest.raises(E.InvalidArgumentError) as e:
        E.hdi(draws, hdi_prob=1.0)
    assert_error(e, E.InvalidArgumentError, 1, "prob is 1")
    with pytest.raises(E.InvalidArgumentError) as e:
        E.summary(draws, quantiles=[0.5, 1.5])
    assert_error(e, E.InvalidArgumentError, 1, "quantile_probs[1] is 1.5")
    with pytest.raises(E.InvalidArgumentError) as e:
        E.summary(draws, hdi_prob=0)
    assert_error(e, E.InvalidArgumentError, 1, "hdi_prob is 0")
    with pytest.raises(E.DimensionError) as e:
        E.discard_thin(chain, discard=100)
    assert_error(e, E.DimensionError, 2, "discard is 100", "100 steps")
    with pytest.raises(E.InvalidArgumentError) as e:
        E.discard_thin(chain, thin=0)
    assert_error(e, E.InvalidArgumentError, 1, "thin is 0")
    with pytest.raises(E.SingularError) as e:
        E.autocorr_function(np.ones(10))
    assert_error(e, E.SingularError, 4, "x", "constant")


def test_constant_draws_follow_arviz():
    draws = np.full((3, 20, 1), 2.5)
    assert inferkit.ess(draws)[0] == az.ess(draws[:, :, 0]) == 60
    assert np.isnan(inferkit.rhat(draws)[0])
