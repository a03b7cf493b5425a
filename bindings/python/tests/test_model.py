"""Compiled formulas (inferkit.Model, grad, hessian) against numpy formulas.

The first half compares values and exact derivatives with analytic expressions written in
numpy (a Gaussian peak on a background, a two-input model, a scalar formula of two
parameters) and the Voigt line shape with scipy.special.voigt_profile (values, and the
Jacobian against central differences of scipy's values). The second half feeds bad inputs and
asserts the exception class, its ``.code`` and that the message names the culprit.
"""

import numpy as np
import pytest
from scipy.special import voigt_profile
from scipy.stats import norm

import inferkit
from inferkit import _capi
from conftest import assert_error

GAUSS = "A*exp(-0.5*((x-mu)/sig)^2) + B"
P = np.array([2.5, 0.3, 0.7, 0.1])


def gauss_reference(x, p):
    A, mu, s, B = p
    z = (x - mu) / s
    e = np.exp(-0.5 * z * z)
    jac = np.stack([e, A * e * z / s, A * e * z * z / s, np.ones_like(x)], axis=1)
    return A * e + B, jac


def scalar_reference(p):
    a, b = p
    f = a * a * b + np.sin(a * b) + np.exp(b)
    g = np.array([2 * a * b + b * np.cos(a * b), a * a + a * np.cos(a * b) + np.exp(b)])
    hab = 2 * a + np.cos(a * b) - a * b * np.sin(a * b)
    h = np.array([[2 * b - b * b * np.sin(a * b), hab], [hab, -a * a * np.sin(a * b) + np.exp(b)]])
    return f, g, h


SCALAR = "a^2*b + sin(a*b) + exp(b)"


def test_gaussian_values_and_jacobian():
    m = inferkit.Model(GAUSS)
    assert m.params == ("A", "mu", "sig", "B")
    assert m.inputs == ("x",)
    x = np.linspace(-2, 2, 41)
    f, jac = gauss_reference(x, P)
    np.testing.assert_allclose(m(x, P), f, rtol=1e-13, atol=1e-15)
    got = m.jacobian(x, P)
    assert got.shape == (41, 4)
    np.testing.assert_allclose(got, jac, rtol=1e-12, atol=1e-14)


def test_shape_is_kept_and_scalar_is_float():
    m = inferkit.Model(GAUSS)
    x = np.linspace(-1, 1, 6).reshape(2, 3)
    assert m(x, P).shape == (2, 3)
    np.testing.assert_allclose(m(x, P), gauss_reference(x.ravel(), P)[0].reshape(2, 3), rtol=1e-13)
    value = m(0.5, P)
    assert isinstance(value, float)
    assert value == pytest.approx(gauss_reference(np.array([0.5]), P)[0][0], rel=1e-13)


def test_explicit_params_and_several_inputs():
    m = inferkit.Model("a*u + b*u*v^2", inputs=("u", "v"), params=("b", "a"))
    assert m.params == ("b", "a")
    u = np.array([1.0, -1.0, 3.0])
    v = np.array([2.0, 0.5, -2.0])
    p = np.array([0.25, 3.0])
    want = 3.0 * u + 0.25 * u * v**2
    np.testing.assert_allclose(m((u, v), p), want, rtol=1e-14)
    np.testing.assert_allclose(m(np.column_stack([u, v]), p), want, rtol=1e-14)
    np.testing.assert_allclose(m.jacobian((u, v), p), np.column_stack([u * v**2, u]), rtol=1e-14)


def test_grad_and_hessian_functions():
    p = np.array([0.7, -1.3])
    f, g, h = scalar_reference(p)
    gf = inferkit.grad(SCALAR)
    assert gf.params == ("a", "b")
    np.testing.assert_allclose(gf(p), g, rtol=1e-13)
    np.testing.assert_allclose(inferkit.hessian(SCALAR)(p), h, rtol=1e-13)
    m = inferkit.Model(SCALAR, inputs=())
    assert m.value(p) == pytest.approx(f, rel=1e-14)
    assert m(None, p) == pytest.approx(f, rel=1e-14)


def test_grad_with_explicit_order():
    p = np.array([-1.3, 0.7])  # (b, a)
    _, g, h = scalar_reference(p[::-1])
    np.testing.assert_allclose(inferkit.grad(SCALAR, params=("b", "a"))(p), g[::-1], rtol=1e-13)
    np.testing.assert_allclose(inferkit.hessian(SCALAR, params=["b", "a"])(p), h[::-1, ::-1],
                               rtol=1e-13)


# ------------------------------------------------------------------------------------------
# The Voigt profile against scipy.special.voigt_profile
# ------------------------------------------------------------------------------------------

VOIGT = "A*voigt(x - x0, s, g) + B"
VOIGT_PARAMS = [
    (2.0, 0.3, 0.8, 0.5, 0.1),     # comparable widths
    (1.0, -1.0, 0.01, 2.0, 0.0),   # nearly Lorentzian
    (0.5, 0.0, 3.0, 0.0, -0.2),    # Gaussian (gamma = 0)
    (1.5, 0.5, 1e-3, 1e-3, 0.0),   # narrow: |z| up to 3.5e4 in the wings
    (1.0, 0.2, 0.5, 1e-7, 0.0),    # Gaussian core, faint Lorentzian wings
    (3.0, 2.0, 10.0, 10.0, 1.0),   # broad
]


def voigt_reference(x, p):
    A, x0, s, g, B = p
    return A * voigt_profile(x - x0, s, g) + B


@pytest.mark.parametrize("p", VOIGT_PARAMS)
def test_voigt_values_against_scipy(p):
    m = inferkit.Model(VOIGT)
    assert m.params == ("A", "x0", "s", "g", "B")
    x = np.linspace(-50, 50, 2001)  # several blocks of 256 points
    # scipy rounds z = x/(sigma sqrt 2) before exp(-z^2): up to 3e-13 in the Gaussian tail.
    np.testing.assert_allclose(m(x, p), voigt_reference(x, p), rtol=1e-12, atol=1e-300)


@pytest.mark.parametrize("p", VOIGT_PARAMS)
def test_voigt_jacobian_against_differences_of_scipy(p):
    m = inferkit.Model(VOIGT)
    x = np.linspace(-50, 50, 2001)
    jac = m.jacobian(x, p)
    assert jac.shape == (2001, 5)
    scale = abs(p[2]) + abs(p[3])
    for j in range(5):
        h = 1e-5 * max(abs(p[j]), scale)
        up, down = np.array(p, dtype=float), np.array(p, dtype=float)
        up[j] += h
        down[j] -= h
        difference = (voigt_reference(x, up) - voigt_reference(x, down)) / (2 * h)
        np.testing.assert_allclose(jac[:, j], difference, rtol=1e-6,
                                   atol=1e-6 * np.max(np.abs(jac[:, j])) + 1e-13 / h)


def test_voigt_hessian_symmetric_and_differenced_gradient():
    formula = "A*voigt(t - x0, s, g)*exp(-t/4) + B*s*g"
    grad, hess = inferkit.grad(formula), inferkit.hessian(formula)
    assert grad.params == ("A", "t", "x0", "s", "g", "B")
    for p in ([1.5, 0.7, -0.3, 0.8, 0.4, 0.2], [0.2, 3.0, 0.0, 0.05, 2.0, 1.0],
              [2.0, -1.0, 1.0, 4.0, 1e-3, 0.0]):
        p = np.array(p)
        h = hess(p)
        assert h.shape == (6, 6)
        np.testing.assert_allclose(h, h.T, rtol=1e-14, atol=1e-15 * np.max(np.abs(h)))
        for j in range(6):
            step = 1e-6 * max(abs(p[j]), 1.0)
            up, down = p.copy(), p.copy()
            up[j] += step
            down[j] -= step
            column = (grad(up) - grad(down)) / (2 * step)
            np.testing.assert_allclose(h[:, j], column, rtol=1e-6, atol=1e-7 * np.max(np.abs(h)))


def test_voigt_limits_and_bad_widths():
    m = inferkit.Model("voigt(x, s, g)", params=("s", "g"))
    x = np.array([-3.0, 0.0, 0.5, 40.0])
    gamma = 0.7
    np.testing.assert_allclose(m(x, [0.0, gamma]), gamma / (np.pi * (x**2 + gamma**2)), rtol=1e-15)
    np.testing.assert_allclose(m(x, [1.3, 0.0]), norm.pdf(x, scale=1.3), rtol=5e-13, atol=1e-300)
    assert np.all(np.isnan(m(x, [-1.0, 0.5]))) and np.all(np.isnan(m(x, [1.0, -0.5])))
    assert np.all(np.isnan(m.jacobian(x, [1.0, -0.5])))
    with pytest.raises(inferkit.ParseError) as e:
        inferkit.Model("voigt(x, s)")
    assert_error(e, inferkit.ParseError, 7, "'voigt'", "3 arguments, got 2")


# ------------------------------------------------------------------------------------------
# Bad inputs
# ------------------------------------------------------------------------------------------


def test_parse_error():
    with pytest.raises(inferkit.ParseError) as e:
        inferkit.Model("a*(x+)")
    assert_error(e, inferkit.ParseError, 7, "character 5")
    assert e.value.code == _capi.IK_ERR_PARSE == 7


def test_unknown_function_is_parse_error():
    with pytest.raises(inferkit.ParseError) as e:
        inferkit.grad("a*foo(b)")
    assert_error(e, inferkit.ParseError, 7, "character 2")


def test_bad_names():
    with pytest.raises(inferkit.InvalidArgumentError) as e:
        inferkit.Model(GAUSS, params=("A", "mu", "sig", "B", "zzz"))
    assert_error(e, inferkit.InvalidArgumentError, 1, "zzz")
    with pytest.raises(inferkit.InvalidArgumentError) as e:
        inferkit.Model(GAUSS, params=("A", "mu"))
    assert_error(e, inferkit.InvalidArgumentError, 1, "sig")
    with pytest.raises(inferkit.InvalidArgumentError) as e:
        inferkit.Model(42)
    assert_error(e, inferkit.InvalidArgumentError, 1, "expr")
    with pytest.raises(inferkit.InvalidArgumentError) as e:
        inferkit.Model("a*x", inputs=("x", 3))
    assert_error(e, inferkit.InvalidArgumentError, 1, "inputs[1]")


@pytest.mark.parametrize("bad", [np.nan, np.inf, -np.inf])
def test_nonfinite_x(bad):
    m = inferkit.Model(GAUSS)
    x = np.array([0.0, 1.0, bad])
    for call in (m, m.jacobian):
        with pytest.raises(inferkit.NonFiniteError) as e:
            call(x, P)
        assert_error(e, inferkit.NonFiniteError, 3, "x[2,0]")


@pytest.mark.parametrize("bad", [np.nan, np.inf])
def test_nonfinite_p(bad):
    m = inferkit.Model(GAUSS)
    p = P.copy()
    p[2] = bad
    with pytest.raises(inferkit.NonFiniteError) as e:
        m(np.zeros(3), p)
    assert_error(e, inferkit.NonFiniteError, 3, "p[2]")
    q = np.array([0.5, bad])
    for f in (inferkit.grad(SCALAR), inferkit.hessian(SCALAR)):
        with pytest.raises(inferkit.NonFiniteError) as e:
            f(q)
        assert_error(e, inferkit.NonFiniteError, 3, "p[1]")


def test_wrong_number_of_params():
    m = inferkit.Model(GAUSS)
    with pytest.raises(inferkit.DimensionError) as e:
        m(np.zeros(3), P[:3])
    assert_error(e, inferkit.DimensionError, 2, "p", "4 parameters")
    with pytest.raises(inferkit.DimensionError) as e:
        inferkit.grad(SCALAR)(np.ones(3))
    assert_error(e, inferkit.DimensionError, 2, "p", "2 parameters")


def test_no_points():
    m = inferkit.Model(GAUSS)
    with pytest.raises(inferkit.DimensionError) as e:
        m(np.zeros(0), P)
    assert_error(e, inferkit.DimensionError, 2, "n_points")


def test_bad_x_shapes():
    m = inferkit.Model("a*u + b*v", inputs=("u", "v"))
    with pytest.raises(inferkit.DimensionError) as e:
        m(np.zeros((3, 3)), [1.0, 2.0])
    assert_error(e, inferkit.DimensionError, 2, "x", "2 inputs")
    with pytest.raises(inferkit.DimensionError) as e:
        m((np.zeros(3),), [1.0, 2.0])
    assert_error(e, inferkit.DimensionError, 2, "x", "2 inputs")


def test_input_free_functions_need_input_free_model():
    m = inferkit.Model(GAUSS)
    for method in ("value", "gradient", "hessian"):
        with pytest.raises(inferkit.InvalidArgumentError) as e:
            getattr(m, method)(P)
        assert_error(e, inferkit.InvalidArgumentError, 1, "ik_model_" + method)


def test_x_given_to_input_free_model():
    m = inferkit.Model(SCALAR, inputs=())
    with pytest.raises(inferkit.InvalidArgumentError) as e:
        m(np.zeros(3), [1.0, 2.0])
    assert_error(e, inferkit.InvalidArgumentError, 1, "x", "no inputs")
