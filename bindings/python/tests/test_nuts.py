"""pytest: inferkit.NUTSSampler (Stan's NUTS) on targets with known answers, its reproducibility,
exact save/resume, callables and their exceptions, and bad inputs.

Monte-Carlo errors use a local ESS estimate (Geyer's initial monotone sequence on the
chain-averaged autocorrelation); the diagnostics module lives on another branch.
"""

import io
import contextlib

import numpy as np
import pytest
import scipy.optimize

import inferkit
from conftest import assert_error


def ess(chains):
    """Effective sample size of a (chains, draws) array."""
    x = np.asarray(chains, dtype=float)
    m, n = x.shape
    x = x - x.mean(axis=1, keepdims=True)
    f = np.fft.rfft(x, n=2 * n, axis=1)
    acov = np.fft.irfft(f * np.conj(f), axis=1)[:, :n].mean(axis=0) / n
    rho = acov / acov[0]
    tau, previous, lag = -1.0, np.inf, 0
    while lag + 1 < n:
        pair = rho[lag] + rho[lag + 1]
        if pair <= 0:
            break
        pair = min(pair, previous)
        previous = pair
        tau += 2 * pair
        lag += 2
    return m * n / max(tau, 1.0 / (m * n))


def correlated_gaussian(n=10, seed=2024):
    """Σ = Q diag(λ) Qᵀ with λ log-spaced over [1, 100] (condition number 100)."""
    rng = np.random.default_rng(seed)
    q, _ = np.linalg.qr(rng.normal(size=(n, n)))
    lam = 100.0 ** (np.arange(n) / (n - 1))
    cov = q @ np.diag(lam) @ q.T
    return cov, np.linalg.inv(cov)


def quadratic_formula(precision, names):
    """-½ xᵀ P x as a formula string."""
    n = len(names)
    terms = []
    for i in range(n):
        terms.append(f"({float(precision[i, i])!r})*{names[i]}^2")
        for j in range(i + 1, n):
            terms.append(f"({float(2 * precision[i, j])!r})*{names[i]}*{names[j]}")
    return "-0.5*(" + " + ".join(terms) + ")"


def test_ten_dimensional_gaussian_moments_within_mc_error():
    cov, prec = correlated_gaussian()
    names = [f"x{k}" for k in range(10)]
    sampler = inferkit.NUTSSampler(quadratic_formula(prec, names), params=names)
    draws = sampler.sample(num_warmup=1000, num_samples=1000, num_chains=4, seed=3)
    assert draws.shape == (4, 1000, 10)
    assert sampler.param_names == tuple(names) and sampler.exact_gradient
    sd = np.sqrt(np.diag(cov))
    for k in range(10):
        e = ess(draws[:, :, k])
        assert e > 300
        assert abs(draws[:, :, k].mean()) < 4.5 * sd[k] / np.sqrt(e), k
        sq = draws[:, :, k] ** 2
        assert abs(sq.mean() - cov[k, k]) < 4.5 * cov[k, k] * np.sqrt(2 / ess(sq)), k
    assert sampler.divergences.sum() == 0
    assert sampler.num_gradient_evals.shape == (4,) and np.all(sampler.num_gradient_evals >= sampler.leapfrog_steps.sum(axis=1))
    assert sampler.inv_metric.shape == (4, 10) and np.all(sampler.step_size > 0)
    assert sampler.get_log_prob().shape == (4, 1000)
    np.testing.assert_allclose(sampler.get_log_prob()[0, :5],
                               [-0.5 * d @ prec @ d for d in draws[0, :5]], rtol=1e-12, atol=1e-12)
    # Dense metric: recovers the covariance.
    dense = inferkit.NUTSSampler(quadratic_formula(prec, names), params=names, metric="dense")
    d = dense.sample(num_warmup=1000, num_samples=1000, num_chains=2, seed=4)
    assert dense.inv_metric.shape == (2, 10, 10)
    for m in dense.inv_metric:
        assert np.linalg.norm(m - cov) / np.linalg.norm(cov) < 0.35
    sample_cov = np.cov(d.reshape(-1, 10).T)
    assert np.linalg.norm(sample_cov - cov) / np.linalg.norm(cov) < 0.15


def test_funnel_divergences_are_counted():
    sampler = inferkit.NUTSSampler("-v^2/18 - 0.5*v - 0.5*x^2*exp(-v)", params=["v", "x"], target_accept=0.99)
    draws = sampler.sample(num_warmup=1000, num_samples=2000, num_chains=4, seed=3, initial=[0.5, 0.5])
    v = draws[:, :, 0]
    e = ess(v)
    assert abs(v.mean()) < 5 * 3 / np.sqrt(e)
    assert abs(v.std() - 3) < 5 * 3 * np.sqrt(0.5 / ess(v ** 2))
    assert sampler.divergent.sum() == sampler.divergences.sum()
    # The plain funnel at the default target diverges often: counted, never an error.
    plain = inferkit.NUTSSampler("-v^2/18 - 0.5*v - 0.5*(x^2 + y^2 + z^2)*exp(-v)", params=["v", "x", "y", "z"])
    plain.sample(num_warmup=300, num_samples=500, num_chains=2, seed=1)
    assert plain.divergences.sum() > 0
    assert plain.divergent.dtype == bool and plain.divergent.shape == (2, 500)


def test_reproducible_across_thread_counts_and_seeds():
    formula = "-0.5*(a^2 + (b - a)^2/0.1)"
    one = inferkit.NUTSSampler(formula, n_threads=1).sample(200, 200, 3, seed=9)
    two = inferkit.NUTSSampler(formula, n_threads=2).sample(200, 200, 3, seed=9)
    assert np.array_equal(one, two)
    other = inferkit.NUTSSampler(formula, n_threads=2).sample(200, 200, 3, seed=10)
    assert not np.array_equal(one, other)


def test_save_and_resume_exactly():
    formula = "-0.5*(a^2 + (b - 0.5*a)^2/0.3) - 0.1*a^4"
    whole = inferkit.NUTSSampler(formula, metric="dense")
    all_draws = whole.sample(150, 100, 2, seed=4, thin=2)
    first = inferkit.NUTSSampler(formula, metric="dense")
    part = first.sample(150, 40, 2, seed=4, thin=2)
    state = first.get_state()
    restored = inferkit.NUTSSampler(formula, metric="dense")
    restored.set_state(state, thin=2)
    rest = restored.resume(60)
    assert np.array_equal(np.concatenate([part, rest], axis=1), all_draws)
    np.testing.assert_array_equal(restored.step_size, whole.step_size)
    with pytest.raises(inferkit.InvalidArgumentError):
        restored.set_state(state[:-8])


def lecture_data(n=200, seed=7):
    rng = np.random.default_rng(seed)
    x = np.linspace(-1, 1, n)
    sigma = np.full(n, 0.05)
    return x, 2.0 * np.exp(-0.5 * ((x - 0.3) / 0.1) ** 2) + 0.5 + 0.05 * rng.normal(size=n), sigma


def test_posterior_agrees_with_laplace_and_curve_fit():
    x, y, sigma = lecture_data()
    post = inferkit.Posterior("A*exp(-0.5*((x-mu)/sig)^2) + B", x, y, sigma=sigma, priors={"sig": ("flat", 0, np.inf)})
    lap = inferkit.laplace(post, [1.0, 0.2, 0.2, 0.0])

    def peak(x, A, mu, sig, B):
        return A * np.exp(-0.5 * ((x - mu) / sig) ** 2) + B

    popt, pcov = scipy.optimize.curve_fit(peak, x, y, p0=[1.0, 0.2, 0.2, 0.0], sigma=sigma, absolute_sigma=True)
    sampler = inferkit.NUTSSampler(post, metric="dense")
    draws = sampler.sample(500, 1000, 4, seed=2, initial=lap.map)
    assert np.all(draws[:, :, 2] > 0)
    flat = draws.reshape(-1, 4)
    cov = np.cov(flat.T)
    for k in range(4):
        e = ess(draws[:, :, k])
        sd = np.sqrt(lap.cov[k, k])
        assert abs(flat[:, k].mean() - lap.map[k]) < 5 * sd / np.sqrt(e) + 0.05 * sd
        assert abs(np.sqrt(cov[k, k]) / sd - 1) < 5 * np.sqrt(0.5 / e) + 0.02
        assert abs(np.sqrt(cov[k, k] / pcov[k, k]) - 1) < 5 * np.sqrt(0.5 / e) + 0.03
    corr = cov / np.outer(np.sqrt(np.diag(cov)), np.sqrt(np.diag(cov)))
    assert np.max(np.abs(corr - lap.corr)) < 0.1
    np.testing.assert_allclose(sampler.get_log_prob()[0, 0], post.log_prob(draws[0, 0]), rtol=1e-10)
    # The peak's parameters have variances of 1e-7..1e-5, below Stan's 1e-3 regulariser: the
    # default scale-free regularisation adapts to them and needs fewer gradients per draw.
    stan = inferkit.NUTSSampler(post, metric="dense", metric_regularization="stan")
    d2 = stan.sample(500, 1000, 4, seed=2, initial=lap.map)
    assert sampler.leapfrog_steps.mean() < stan.leapfrog_steps.mean()
    for k in range(4):
        sd = np.sqrt(lap.cov[k, k])
        assert abs(d2[:, :, k].mean() - lap.map[k]) < 5 * sd / np.sqrt(ess(d2[:, :, k])) + 0.05 * sd
    with pytest.raises(inferkit.InvalidArgumentError, match="metric_regularization"):
        inferkit.NUTSSampler(post, metric_regularization="ledoit")


def test_callables_with_gradients_and_their_exceptions():
    def both(p):
        return -0.5 * (p[0] ** 2 + p[1] ** 2 / 4), np.array([-p[0], -p[1] / 4])

    draws = inferkit.NUTSSampler(both, ndim=2).sample(300, 500, 2, seed=1)
    assert abs(draws[:, :, 1].var() - 4) < 5 * 4 * np.sqrt(2 / ess(draws[:, :, 1] ** 2))
    separate = inferkit.NUTSSampler(lambda p: -0.5 * (p[0] ** 2 + p[1] ** 2 / 4), ndim=2,
                                    grad=lambda p: np.array([-p[0], -p[1] / 4]))
    assert np.array_equal(separate.sample(300, 500, 2, seed=1), draws)
    fd = inferkit.NUTSSampler(lambda p: -0.5 * (p[0] ** 2 + p[1] ** 2 / 4), params=["a", "b"], grad=False)
    d = fd.sample(200, 300, 2, seed=1)
    assert not fd.exact_gradient and fd.param_names == ("a", "b")
    assert abs(d[:, :, 0].mean()) < 5 / np.sqrt(ess(d[:, :, 0]))

    class Boom(RuntimeError):
        pass

    calls = {"n": 0}

    def failing(p):
        calls["n"] += 1
        if calls["n"] > 30:
            raise Boom("boom")
        return -0.5 * p @ p, -p

    with pytest.raises(Boom, match="boom"):
        inferkit.NUTSSampler(failing, ndim=2, n_threads=1).sample(100, 100, 1, seed=0, initial=[0.1, 0.2])
    with pytest.raises(TypeError, match="log_prob, gradient"):
        inferkit.NUTSSampler(lambda p: -0.5 * p @ p, ndim=2).sample(10, 10, 1, seed=0)


def test_progress_bar_and_stop():
    sampler = inferkit.NUTSSampler("-0.5*x^2")
    err = io.StringIO()
    with contextlib.redirect_stderr(err):
        quiet = sampler.sample(100, 200, 2, seed=5)
        shown = sampler.sample(100, 200, 2, seed=5, progress=True)
    assert np.array_equal(quiet, shown)
    assert "NUTS" in err.getvalue()


def test_bad_inputs():
    from inferkit import _capi

    with pytest.raises(inferkit.InvalidArgumentError, match="metric"):
        inferkit.NUTSSampler("-0.5*x^2", metric="euclid")
    s = inferkit.NUTSSampler("-0.5*x^2 + log(y)", params=["x", "y"], target_accept=1.0)
    with pytest.raises(inferkit.InvalidArgumentError) as e:
        s.sample(10, 10, 1, seed=0)
    assert_error(e, inferkit.InvalidArgumentError, _capi.IK_ERR_INVALID_ARGUMENT, "target_accept")
    s = inferkit.NUTSSampler("-0.5*x^2 + log(y)", params=["x", "y"], max_tree_depth=0)
    with pytest.raises(inferkit.InvalidArgumentError, match="max_tree_depth"):
        s.sample(10, 10, 1, seed=0)
    s = inferkit.NUTSSampler("-0.5*x^2 + log(y)", params=["x", "y"])
    with pytest.raises(inferkit.DimensionError) as e:
        s.sample(10, 0, 2, seed=0, initial=[0.0, 1.0])
    assert_error(e, inferkit.DimensionError, _capi.IK_ERR_DIMENSION, "n_samples")
    with pytest.raises(inferkit.DimensionError, match="initial has shape"):
        s.sample(10, 10, 2, seed=0, initial=[0.0, 1.0, 2.0])
    with pytest.raises(inferkit.NonFiniteError) as e:
        s.sample(10, 10, 2, seed=0, initial=[[0.0, 1.0], [0.0, np.nan]])
    assert_error(e, inferkit.NonFiniteError, _capi.IK_ERR_NONFINITE, "initial[1,1]")
    with pytest.raises(inferkit.NonFiniteError) as e:
        s.sample(10, 10, 2, seed=0, initial=[[0.0, 1.0], [0.0, -1.0]])
    assert_error(e, inferkit.NonFiniteError, _capi.IK_ERR_NONFINITE, "chain1")
    with pytest.raises(inferkit.InvalidArgumentError) as e:
        s.sample(10, 10, 2, seed=0, initial=[[0.0, 1.0], [0.0, 0.0]])
    assert_error(e, inferkit.InvalidArgumentError, _capi.IK_ERR_INVALID_ARGUMENT, "outsidethesupport", "chain1")
    with pytest.raises(inferkit.InvalidArgumentError, match="num_chains"):
        s.sample(10, 10, 0, seed=0)
    with pytest.raises(inferkit.InvalidArgumentError, match="seed"):
        s.sample(10, 10, 1, seed=-1)
    with pytest.raises(inferkit.InvalidArgumentError, match="thin"):
        s.sample(10, 10, 1, seed=0, thin=0)
    with pytest.raises(inferkit.InvalidArgumentError, match="no chains"):
        inferkit.NUTSSampler("-0.5*x^2").resume(10)
    with pytest.raises(inferkit.InvalidArgumentError, match="ndim"):
        inferkit.NUTSSampler(lambda p: (0.0, p))
    # NaN at the start: named; a -inf log-probability of a callable at the start too.
    nan = inferkit.NUTSSampler(lambda p: (np.nan, np.zeros(1)), ndim=1)
    with pytest.raises(inferkit.NonFiniteError, match="chain 0"):
        nan.sample(10, 10, 1, seed=0, initial=[0.0])
