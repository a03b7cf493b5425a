"""The samplers (inferkit.EnsembleSampler, inferkit.MetropolisSampler) against emcee, installed
by the tests: the same shapes and slicing semantics of get_chain/get_log_prob (discard, thin,
flat), the same acceptance on the same target, means and covariances of a 10-D correlated
Gaussian (condition number 100) within their Monte-Carlo error (ESS from the integrated
autocorrelation time), for a formula and for a Python callable. Then reproducibility (one seed,
any thread count), exact save/restore, and the bad inputs with their exception and message.
"""

import numpy as np
import pytest

import inferkit
from inferkit import _capi
from inferkit.moves import DEMove, StretchMove, WalkMove
from conftest import assert_error

emcee = pytest.importorskip("emcee")


def correlated_gaussian(d=10):
    """Σ = H diag(100^(i/(d-1))) H with a Householder reflection H: condition number 100."""
    v = np.array([(i % 3) + 0.5 * i - 1.2 for i in range(d)])
    h = np.eye(d) - 2 * np.outer(v, v) / (v @ v)
    lam = 100.0 ** (np.arange(d) / (d - 1))
    return h @ np.diag(lam) @ h, h @ np.diag(1 / lam) @ h


COV, PREC = correlated_gaussian()
NAMES = [f"x{i}" for i in range(10)]
FORMULA = "-0.5*(" + " + ".join(
    f"({float((1 if i == j else 2) * PREC[i, j])!r})*x{i}*x{j}" for i in range(10) for j in range(i, 10)) + ")"


def log_prob(p):
    return -0.5 * p @ PREC @ p


def log_prob_rows(P):
    return -0.5 * np.einsum("ki,ij,kj->k", P, PREC, P)


def ball(nwalkers, ndim=10, seed=3, radius=0.5):
    return radius * np.random.default_rng(seed).normal(size=(nwalkers, ndim))


def check_moments(chain, tau, what):
    """Means and covariances of chain (steps, walkers, ndim) within 5 Monte-Carlo errors."""
    steps, walkers, d = chain.shape
    ess = steps * walkers / np.max(tau)
    flat = chain.reshape(-1, d)
    mean = flat.mean(axis=0)
    second = flat.T @ flat / flat.shape[0]
    sd = np.sqrt(np.diag(COV))
    assert np.all(np.abs(mean) < 5 * sd / np.sqrt(ess)), (what, mean / (sd / np.sqrt(ess)))
    se = np.sqrt((np.outer(np.diag(COV), np.diag(COV)) + COV ** 2) / ess)
    z = np.abs(second - COV) / se
    assert z.max() < 5, (what, z.max(), ess)
    return ess, np.abs(mean / (sd / np.sqrt(ess))).max(), z.max()


# -- emcee's shapes and semantics ---------------------------------------------------------------


def test_shapes_and_slicing_like_emcee():
    nwalkers, ndim, nsteps = 12, 3, 40
    p0 = ball(nwalkers, ndim)
    ours = inferkit.EnsembleSampler(nwalkers, ndim, lambda p: -0.5 * p @ p, seed=1)
    theirs = emcee.EnsembleSampler(nwalkers, ndim, lambda p: -0.5 * p @ p)
    state = ours.run_mcmc(p0, nsteps)
    theirs.run_mcmc(p0, nsteps)
    assert ours.iteration == theirs.iteration == nsteps
    assert isinstance(state, inferkit.State) and state.coords.shape == (nwalkers, ndim)
    coords, lp, _ = state
    np.testing.assert_array_equal(coords, ours.get_chain()[-1])
    np.testing.assert_array_equal(lp, ours.get_log_prob()[-1])
    for kwargs in [{}, {"flat": True}, {"discard": 5, "thin": 3}, {"discard": 7, "thin": 4, "flat": True},
                   {"discard": 40}, {"discard": 39, "thin": 2}]:
        a, b = ours.get_chain(**kwargs), theirs.get_chain(**kwargs)
        assert a.shape == b.shape, kwargs
        assert ours.get_log_prob(**kwargs).shape == theirs.get_log_prob(**kwargs).shape, kwargs
        # emcee's slicing: steps discard + thin - 1, discard + 2 thin - 1, ...
        discard, thin = kwargs.get("discard", 0), kwargs.get("thin", 1)
        full, full_theirs = ours.get_chain(), theirs.get_chain()
        expect, expect_theirs = full[discard + thin - 1::thin], full_theirs[discard + thin - 1::thin]
        if kwargs.get("flat"):
            expect, expect_theirs = expect.reshape(-1, ndim), expect_theirs.reshape(-1, ndim)
        np.testing.assert_array_equal(a, expect)
        np.testing.assert_array_equal(b, expect_theirs)
    assert ours.acceptance_fraction.shape == theirs.acceptance_fraction.shape == (nwalkers,)
    # The stored log-probabilities are those of the stored positions.
    chain = ours.get_chain(flat=True)
    np.testing.assert_allclose(ours.get_log_prob(flat=True), -0.5 * np.sum(chain ** 2, axis=1), rtol=1e-14, atol=1e-14)
    # run_mcmc(None, n) continues; reset forgets the chain but keeps the walkers.
    ours.run_mcmc(None, 10)
    assert ours.iteration == 50
    ours.reset()
    assert ours.iteration == 0 and ours.get_chain().shape == (0, nwalkers, ndim)
    ours.run_mcmc(None, 5)
    assert ours.get_chain().shape == (5, nwalkers, ndim)


def test_gaussian_formula_matches_truth_and_emcee_acceptance():
    nwalkers = 32
    s = inferkit.EnsembleSampler(nwalkers, 10, FORMULA, params=NAMES, seed=7)
    s.run_mcmc(ball(nwalkers), 1000)
    s.reset()
    s.run_mcmc(None, 8000)
    tau = s.get_autocorr_time(quiet=True)
    ess, worst_mean, worst_cov = check_moments(s.get_chain(), tau, "formula")
    print(f"ensemble formula: tau {tau.max():.1f}, ESS {ess:.0f}, worst mean {worst_mean:.2f} SE, worst cov {worst_cov:.2f} SE")
    # emcee on the same target: the stretch move accepts at the same rate (within noise).
    e = emcee.EnsembleSampler(nwalkers, 10, log_prob_rows, vectorize=True)
    np.random.seed(1)
    e.run_mcmc(ball(nwalkers), 3000)
    ours, theirs = s.acceptance_fraction.mean(), e.acceptance_fraction[-1000:].mean() if False else e.acceptance_fraction.mean()
    assert abs(ours - theirs) < 0.03, (ours, theirs)
    # get_autocorr_time is emcee's integrated_time of the same chain.
    np.testing.assert_allclose(tau, emcee.autocorr.integrated_time(s.get_chain(), quiet=True), rtol=1e-10)
    np.testing.assert_allclose(s.get_autocorr_time(discard=100, thin=5, quiet=True),
                               5 * emcee.autocorr.integrated_time(s.get_chain(discard=100, thin=5), quiet=True), rtol=1e-10)


@pytest.mark.parametrize("vectorize", [False, True])
def test_gaussian_callable(vectorize):
    nwalkers = 24
    fn = log_prob_rows if vectorize else log_prob
    s = inferkit.EnsembleSampler(nwalkers, 10, fn, vectorize=vectorize, seed=11,
                                 moves=[(StretchMove(), 0.7), (DEMove(), 0.3)])
    s.run_mcmc(ball(nwalkers), 500)
    s.reset()
    s.run_mcmc(None, 5000)
    tau = s.get_autocorr_time(quiet=True)
    ess, worst_mean, worst_cov = check_moments(s.get_chain(), tau, "callable")
    print(f"ensemble callable (vectorize={vectorize}): ESS {ess:.0f}, worst {worst_mean:.2f} / {worst_cov:.2f} SE")


def test_args_kwargs_params_and_posterior():
    # A formula's parameter order: params names it; means land in the right columns.
    s = inferkit.EnsembleSampler(8, 2, "-0.5*((a - 1)^2 + (b - 5)^2)", params=["b", "a"], seed=2)
    s.run_mcmc(ball(8, 2) + [5, 1], 2000)
    mean = s.get_chain(discard=200, flat=True).mean(axis=0)
    assert abs(mean[0] - 5) < 0.15 and abs(mean[1] - 1) < 0.15
    # args and kwargs reach the callable.
    def shifted(p, centre, scale=1.0):
        return -0.5 * np.sum(((p - centre) / scale) ** 2)
    s = inferkit.EnsembleSampler(8, 2, shifted, args=(np.array([3.0, -2.0]),), kwargs={"scale": 0.5}, seed=3)
    s.run_mcmc(ball(8, 2, radius=0.1) + [3, -2], 2000)
    flat = s.get_chain(discard=200, flat=True)
    assert np.all(np.abs(flat.mean(axis=0) - [3, -2]) < 0.08) and np.all(np.abs(flat.std(axis=0) - 0.5) < 0.08)
    # An inferkit.Posterior: the straight-line fit's posterior mean is the least-squares fit.
    rng = np.random.default_rng(0)
    x = np.linspace(0, 1, 50)
    y = 0.5 + 2 * x + 0.1 * rng.normal(size=50)
    post = inferkit.Posterior("a + b*x", x, y, sigma=np.full(50, 0.1))
    s = inferkit.EnsembleSampler(8, 2, post, seed=4, n_threads=2)
    s.run_mcmc(ball(8, 2, radius=0.05) + [0.5, 2.0], 3000)
    flat = s.get_chain(discard=300, flat=True)
    coef, cov = np.polyfit(x, y, 1, w=np.full(50, 10.0), cov="unscaled")
    np.testing.assert_allclose(flat.mean(axis=0), coef[::-1], atol=4 * np.sqrt(np.diag(cov)).max() / np.sqrt(300))
    np.testing.assert_allclose(np.cov(flat.T), cov[::-1, ::-1], rtol=0.15, atol=1e-5)


def test_reproducible_and_threads():
    def run(seed, threads, fn=FORMULA):
        s = inferkit.EnsembleSampler(24, 10, fn, params=NAMES if isinstance(fn, str) else None, seed=seed,
                                     n_threads=threads, moves=[(StretchMove(), 1), (DEMove(), 1), (WalkMove(s=5), 1)])
        s.run_mcmc(ball(24), 150)
        return s.get_chain(), s.get_log_prob()
    a, b, c = run(5, 1), run(5, 2), run(6, 1)
    np.testing.assert_array_equal(a[0], b[0])
    np.testing.assert_array_equal(a[1], b[1])
    assert not np.array_equal(a[0], c[0])
    # A callable (one thread for Python) gives the same as itself; its chain is as reproducible.
    d, e = run(5, 0, log_prob), run(5, 2, log_prob)
    np.testing.assert_array_equal(d[0], e[0])


def test_save_and_restore_state():
    def sampler(seed):
        return inferkit.EnsembleSampler(24, 10, FORMULA, params=NAMES, seed=seed, moves=[(StretchMove(), 1), (WalkMove(), 1)])
    whole = sampler(8)
    whole.run_mcmc(ball(24), 300)
    part = sampler(8)
    part.run_mcmc(ball(24), 120)
    state = part.get_state()
    assert state.dtype == np.uint64 and state.size == 5 + 24 * 11 + 5 * 25
    resumed = sampler(12345)
    resumed.set_state(state)
    assert resumed.iteration == 0
    resumed.run_mcmc(None, 180)
    np.testing.assert_array_equal(resumed.get_chain(), whole.get_chain()[120:])
    np.testing.assert_array_equal(resumed.get_log_prob(), whole.get_log_prob()[120:])
    # save_state / restore_state are the same; a bad state is refused.
    np.testing.assert_array_equal(part.save_state(), state)
    with pytest.raises(inferkit.DimensionError) as e:
        resumed.restore_state(state[:-1])
    assert_error(e, inferkit.DimensionError, _capi.IK_ERR_DIMENSION, "len is 393")
    bad = state.copy()
    bad[0] = 7
    with pytest.raises(inferkit.InvalidArgumentError, match="not a saved ensemble-sampler state"):
        resumed.set_state(bad)


def test_progress(capsys):
    s = inferkit.EnsembleSampler(8, 2, "-0.5*(a^2 + b^2)", seed=1)
    s.run_mcmc(ball(8, 2), 200, progress=True)
    assert s.iteration == 200
    s.run_mcmc(None, 10)   # no bar: the previous run's is detached
    assert s.iteration == 210


def test_ensemble_bad_inputs():
    with pytest.raises(inferkit.InvalidArgumentError) as e:
        inferkit.EnsembleSampler(15, 10, FORMULA, params=NAMES)
    assert_error(e, inferkit.InvalidArgumentError, _capi.IK_ERR_INVALID_ARGUMENT, "walkers is 15", "2 x 10 = 20")
    with pytest.raises(inferkit.DimensionError, match="ndim is 3 but"):
        inferkit.EnsembleSampler(8, 3, "-a^2 - b^2")
    s = inferkit.EnsembleSampler(20, 10, FORMULA, params=NAMES, seed=1)
    with pytest.raises(inferkit.InvalidArgumentError, match="no previous run to continue"):
        s.run_mcmc(None, 10)
    with pytest.raises(inferkit.InvalidArgumentError, match="steps is 0"):
        s.run_mcmc(ball(20), 0)
    with pytest.raises(inferkit.DimensionError, match="initial_state has shape"):
        s.run_mcmc(ball(19), 5)
    line = np.outer(np.arange(20.0), np.arange(1.0, 11.0))
    with pytest.raises(inferkit.SingularError) as e:
        s.run_mcmc(line, 5)
    assert_error(e, inferkit.SingularError, _capi.IK_ERR_SINGULAR, "not linearly independent", "condition number")
    p0 = ball(20)
    p0[3, 4] = np.nan
    with pytest.raises(inferkit.NonFiniteError, match="walker 3, parameter 'x4' is NaN"):
        s.run_mcmc(p0, 5)

    def bounded(p):
        return -0.5 * p @ p if p[0] > 0 else -np.inf
    s = inferkit.EnsembleSampler(6, 2, bounded, seed=1)
    p0 = ball(6, 2, radius=0.1) + [1, 0]
    p0[4, 0] = -1
    with pytest.raises(inferkit.InvalidArgumentError, match="walker 4 starts outside the support"):
        s.run_mcmc(p0, 5)
    for bad, word in [(np.nan, "nan"), (np.inf, "inf")]:
        s = inferkit.EnsembleSampler(6, 2, lambda p, bad=bad: bad if p[0] > 2 else -0.5 * p @ p / 4, seed=1)
        p0 = ball(6, 2, radius=0.1) + [1, 0]
        with pytest.raises(inferkit.NonFiniteError, match=f"the log-probability is {word} at the proposal of walker"):
            s.run_mcmc(p0, 3000)
        p0[2, 0] = 3
        with pytest.raises(inferkit.NonFiniteError, match=f"is {word} at the initial position of walker 2"):
            s.run_mcmc(p0, 5)

    class Boom(Exception):
        pass

    calls = []

    def failing(p):
        calls.append(1)
        if len(calls) > 20:
            raise Boom("the model blew up")
        return -0.5 * p @ p
    s = inferkit.EnsembleSampler(6, 2, failing, seed=1)
    with pytest.raises(Boom, match="the model blew up"):
        s.run_mcmc(ball(6, 2), 10)
    with pytest.raises(inferkit.InvalidArgumentError, match="two StretchMoves"):
        inferkit.EnsembleSampler(20, 10, FORMULA, params=NAMES, moves=[(StretchMove(), 1), (StretchMove(3), 1)])
    with pytest.raises(inferkit.InvalidArgumentError, match="stretch move's a is 0.5"):
        inferkit.EnsembleSampler(20, 10, FORMULA, params=NAMES, moves=StretchMove(0.5))
    with pytest.raises(inferkit.InvalidArgumentError, match="subset size s is 11"):
        inferkit.EnsembleSampler(20, 10, FORMULA, params=NAMES, moves=WalkMove(s=11))
    with pytest.raises(inferkit.InvalidArgumentError, match="use inferkit.moves"):
        inferkit.EnsembleSampler(20, 10, FORMULA, params=NAMES, moves=[("stretch", 1)])
    with pytest.raises(inferkit.InvalidArgumentError, match="thin is 0"):
        inferkit.EnsembleSampler(20, 10, FORMULA, params=NAMES).get_chain(thin=0)


# -- Metropolis ---------------------------------------------------------------------------------


def test_metropolis_gaussian_and_layout():
    m = inferkit.MetropolisSampler(10, FORMULA, params=NAMES, seed=21, scale=0.5)
    m.run(ball(4, radius=1.0), 20000, nwarmup=4000)
    chain = m.get_chain()
    assert chain.shape == (4, 20000, 10) and m.get_log_prob().shape == (4, 20000)
    assert m.get_chain(flat=True).shape == (80000, 10) and m.get_chain(discard=100, thin=10).shape == (4, 1990, 10)
    np.testing.assert_array_equal(m.get_chain(discard=100, thin=10), chain[:, 109::10])
    np.testing.assert_allclose(m.get_log_prob()[2, 17], log_prob(chain[2, 17]), rtol=1e-12)
    tau = inferkit.autocorr_time(chain.transpose(1, 0, 2), quiet=True)
    ess, worst_mean, worst_cov = check_moments(chain.transpose(1, 0, 2), tau, "metropolis")
    print(f"metropolis formula: tau {tau.max():.1f}, ESS {ess:.0f}, worst {worst_mean:.2f} / {worst_cov:.2f} SE, "
          f"acceptance {m.acceptance_fraction}")
    assert np.all((m.acceptance_fraction > 0.15) & (m.acceptance_fraction < 0.35))
    cov = m.proposal_cov
    assert cov.shape == (4, 10, 10)
    for c in range(4):
        shape = cov[c] / np.trace(cov[c]) - COV / np.trace(COV)
        assert np.linalg.norm(shape) < 0.3 * np.linalg.norm(COV / np.trace(COV))


def test_metropolis_reproducible_callable_and_bad_inputs():
    def run(threads, fn=FORMULA, seed=3):
        m = inferkit.MetropolisSampler(10, fn, params=NAMES if isinstance(fn, str) else None, seed=seed,
                                       n_threads=threads)
        return m.run(ball(3), 300, nwarmup=200, thin=2)
    a, b, c = run(1), run(2), run(1, seed=4)
    np.testing.assert_array_equal(a.get_chain(), b.get_chain())
    np.testing.assert_array_equal(a.proposal_cov, b.proposal_cov)
    assert not np.array_equal(a.get_chain(), c.get_chain())
    d = run(0, log_prob)
    assert d.get_chain().shape == (3, 300, 10)
    m = inferkit.MetropolisSampler(2, "-0.5*(a^2 + b^2)", seed=1)
    m.run([0.1, 0.2], 100, nwarmup=50, progress=True)
    assert m.get_chain().shape == (1, 100, 2)
    with pytest.raises(inferkit.InvalidArgumentError, match="has not run yet"):
        inferkit.MetropolisSampler(2, "-0.5*(a^2 + b^2)").get_chain()
    with pytest.raises(inferkit.InvalidArgumentError, match="not positive definite"):
        inferkit.MetropolisSampler(2, "-0.5*(a^2 + b^2)", cov=[[1, 2], [2, 1]]).run([0, 0], 10)
    with pytest.raises(inferkit.DimensionError, match="cov has shape"):
        inferkit.MetropolisSampler(2, "-0.5*(a^2 + b^2)", cov=np.eye(3))
    with pytest.raises(inferkit.DimensionError, match="initial has shape"):
        inferkit.MetropolisSampler(2, "-0.5*(a^2 + b^2)").run(np.zeros((2, 3)), 10)
    with pytest.raises(inferkit.InvalidArgumentError, match="draws is 0"):
        inferkit.MetropolisSampler(2, "-0.5*(a^2 + b^2)").run([0, 0], 0)
    with pytest.raises(inferkit.NonFiniteError, match="chain 0, parameter 'b' is inf"):
        inferkit.MetropolisSampler(2, "-0.5*(a^2 + b^2)").run([0, np.inf], 10)
    with pytest.raises(inferkit.InvalidArgumentError, match="chain 1 starts outside the support"):
        inferkit.MetropolisSampler(2, lambda p: 0.0 if p[0] > 0 else -np.inf).run([[1, 0], [-1, 0]], 10)
    with pytest.raises(ZeroDivisionError):
        inferkit.MetropolisSampler(2, lambda p: 1 / 0).run([0, 0], 10)


def test_metropolis_resumes_exactly():
    def sampler():
        return inferkit.MetropolisSampler(10, FORMULA, params=NAMES, seed=6)
    whole = sampler().run(ball(3), 300, nwarmup=250, thin=2)
    part = sampler().run(ball(3), 120, nwarmup=250, thin=2)
    state = part.get_state()
    assert state.dtype == np.uint64 and state.size == 3 + 3 * (100 + 10 + 7)
    part.run(None, 180, thin=2)           # continues its own last run
    np.testing.assert_array_equal(part.get_chain(), whole.get_chain()[:, 120:])
    other = sampler()
    other.set_state(state)
    other.run(None, 180, thin=2)
    np.testing.assert_array_equal(other.get_chain(), whole.get_chain()[:, 120:])
    np.testing.assert_array_equal(other.proposal_cov, whole.proposal_cov)
    with pytest.raises(inferkit.InvalidArgumentError, match="no previous run"):
        sampler().run(None, 10)
    bad = sampler()
    bad.set_state(state[:-1])
    with pytest.raises(inferkit.DimensionError, match="words but 3 chains of 10 parameters need"):
        bad.run(None, 10)


def test_thin_by_and_sample_generator_like_emcee():
    def sampler():
        return inferkit.EnsembleSampler(8, 2, "-0.5*(a^2 + b^2)", seed=9)
    plain = sampler()
    plain.run_mcmc(ball(8, 2), 60)
    thinned = sampler()
    thinned.run_mcmc(ball(8, 2), 20, thin_by=3)
    assert thinned.iteration == 20
    np.testing.assert_array_equal(thinned.get_chain(), plain.get_chain()[2::3])
    thinned.run_mcmc(None, 5)              # thin_by applies per run (here 1 again), as emcee's
    assert thinned.iteration == 25
    e = emcee.EnsembleSampler(8, 2, lambda p: -0.5 * p @ p)
    e.run_mcmc(ball(8, 2), 20, thin_by=3)
    assert e.iteration == thinned.iteration - 5 and e.get_chain().shape == thinned.get_chain()[:20].shape
    # sample() yields a State after every step and fills the chain as run_mcmc does.
    gen = sampler()
    states = list(gen.sample(ball(8, 2), iterations=60))
    assert len(states) == 60 and gen.iteration == 60
    np.testing.assert_array_equal(gen.get_chain(), plain.get_chain())
    np.testing.assert_array_equal(states[-1].coords, plain.get_chain()[-1])
    with pytest.raises(inferkit.InvalidArgumentError, match="thin_by is 0"):
        gen.run_mcmc(None, 5, thin_by=0)


def test_blobs_like_emcee():
    """emcee's blobs: what a callable returns after log p, stored with the walkers' positions
    (each blob here is a function of its point, so the stored blob must be that function of the
    stored position, accepted or not), in emcee's shapes and dtypes, sliced as get_chain, through
    thin_by, reset and get_last_sample; None without blobs, and for formulas."""
    rng = np.random.default_rng(1)
    p0 = rng.normal(size=(10, 3))

    def one(p):
        return -0.5 * p @ p, 2.0 * p[0]

    def two(p):
        return -0.5 * p @ p, p[0], float(np.sum(p))

    def text(p):
        return -0.5 * p @ p, "right" if p[0] > 0 else "left"

    for fn in (one, two, text):
        ours = inferkit.EnsembleSampler(10, 3, fn, seed=2)
        ours.run_mcmc(p0, 40, thin_by=2)
        theirs = emcee.EnsembleSampler(10, 3, fn)
        theirs.run_mcmc(p0, 40, thin_by=2)
        for kw in ({}, {"discard": 7, "thin": 3}, {"discard": 5, "thin": 2, "flat": True}):
            b, e = ours.get_blobs(**kw), theirs.get_blobs(**kw)
            assert b.shape == e.shape and b.dtype == e.dtype, (fn.__name__, kw)
            chain = ours.get_chain(**kw)
            if fn is one:
                np.testing.assert_array_equal(b, 2.0 * chain[..., 0])
            elif fn is two:
                np.testing.assert_array_equal(b[..., 0], chain[..., 0])
                np.testing.assert_array_equal(b[..., 1], chain.sum(-1))
            else:
                assert (b == np.where(chain[..., 0] > 0, "right", "left")).all()
        last = ours.get_last_sample()
        assert last.blobs.shape == theirs.get_last_sample().blobs.shape
        ours.reset()
        ours.run_mcmc(None, 5)
        assert ours.get_blobs().shape[0] == 5
        if fn is one:
            np.testing.assert_array_equal(ours.get_blobs(), 2.0 * ours.get_chain()[..., 0])
    plain = inferkit.EnsembleSampler(10, 3, lambda p: -0.5 * p @ p, seed=2)
    plain.run_mcmc(p0, 5)
    assert plain.get_blobs() is None and plain.get_last_sample().blobs is None
    formula = inferkit.EnsembleSampler(10, 3, "-0.5*(a^2 + b^2 + c^2)", seed=2)
    formula.run_mcmc(p0, 5)
    assert formula.get_blobs() is None
