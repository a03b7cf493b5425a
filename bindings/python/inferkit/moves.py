"""The ensemble sampler's moves, as emcee's ``emcee.moves``: pass them to
:class:`inferkit.EnsembleSampler` as ``moves=StretchMove()``, or as a weighted mixture
``moves=[(StretchMove(), 0.8), (DEMove(), 0.2)]`` (each step uses one, chosen with probability
weight / total, as emcee does).
"""

__all__ = ["StretchMove", "DEMove", "WalkMove"]


class _Move:
    """A move of the affine-invariant ensemble sampler."""

    def __repr__(self):
        fields = ", ".join(f"{k}={v!r}" for k, v in vars(self).items())
        return f"{type(self).__name__}({fields})"


class StretchMove(_Move):
    """Goodman & Weare's stretch move: y = c + z (x - c), z ~ g(z) ∝ 1/√z on [1/a, a]."""

    def __init__(self, a=2.0):
        self.a = float(a)


class DEMove(_Move):
    """Differential evolution (emcee's ``DEMove``): y = x + γ (c_j - c_i), γ = γ₀ (1 + σ N(0, 1)),
    γ₀ = 2.38 / √(2 ndim) when ``gamma0`` is None."""

    def __init__(self, sigma=1.0e-5, gamma0=None):
        self.sigma = float(sigma)
        self.gamma0 = None if gamma0 is None else float(gamma0)


class WalkMove(_Move):
    """Goodman & Weare's walk move (emcee's ``WalkMove``): a Gaussian step with the covariance of
    ``s`` random walkers of the complementary half (all of them when ``s`` is None)."""

    def __init__(self, s=None):
        self.s = None if s is None else int(s)
