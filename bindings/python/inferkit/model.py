"""Compiled formulas with exact derivatives: :class:`Model`, :func:`grad`, :func:`hessian`.

A formula over named inputs (independent variables) and parameters is compiled once by
libinferkit (``ik_model_*``) and evaluated and differentiated exactly, by automatic
differentiation, at many points::

    m = inferkit.Model("A*exp(-0.5*((x-mu)/sig)^2) + B")   # m.params == ("A", "mu", "sig", "B")
    y = m(x, p)                  # values at the points x
    J = m.jacobian(x, p)         # (n, n_params): d m(x_i) / d p_j
    inferkit.Model("A*voigt(x - x0, s, g) + B")   # line shapes gaussian, lorentzian, voigt
                                                  # (scipy.special.voigt_profile), sinc

    g = inferkit.grad("a^2*b + sin(a*b)")      # like jax.grad: a function of the parameters
    g(np.array([0.7, -1.3]))                   # the gradient, shape (2,)
    inferkit.hessian("a^2*b + sin(a*b)")(p)    # the (2, 2) Hessian

The language (operators, functions, line shapes, conditionals, local definitions) is described
above ``ik_model_t`` in ``include/inferkit.h``. Errors raise :class:`inferkit.InferKitError`
subclasses: a syntax error is a :class:`inferkit.ParseError` whose message gives the character
offset.
"""

import ctypes

import numpy as np

from . import _capi
from ._arrays import pointer as _pointer, vector as _vector
from ._errors import DimensionError, InvalidArgumentError, check
from ._library import lib

__all__ = ["Model", "grad", "hessian"]

_MODEL_P = ctypes.POINTER(_capi.ik_model_t)


def _encode(name, text):
    """``text`` as NUL-free UTF-8 bytes, or InvalidArgumentError naming ``name``."""
    if not isinstance(text, str):
        raise InvalidArgumentError(f"{name} is {text!r}: it must be a string")
    data = text.encode("utf-8")
    if b"\0" in data:
        raise InvalidArgumentError(f"{name} {text!r} contains a NUL character")
    return data


def _name_array(name, names):
    """A ``const char* const*`` array of the encoded names (and the bytes it points to)."""
    if isinstance(names, str):
        names = (names,)
    encoded = [_encode(f"{name}[{i}]", n) for i, n in enumerate(names)]
    array = (ctypes.c_char_p * max(len(encoded), 1))(*encoded)
    return array, len(encoded)


class Model:
    """A formula compiled over named ``inputs`` and parameters.

    ``params`` lists the parameter names in the order of the parameter vector; ``None`` takes
    every other name of the formula in order of first appearance (see :attr:`params`).
    """

    def __init__(self, expr, inputs=("x",), params=None):
        expression = _encode("expr", expr)
        input_array, n_inputs = _name_array("inputs", () if inputs is None else inputs)
        if params is None:
            param_array, n_params = None, 0
        else:
            param_array, n_params = _name_array("params", params)
        handle = _MODEL_P()
        check(lib.ik_model_compile(expression, input_array, n_inputs, param_array, n_params,
                                   ctypes.byref(handle)))
        self._handle = handle
        self.expr = expr
        self.inputs = tuple((inputs,) if isinstance(inputs, str) else (inputs or ()))
        ni, np_ = ctypes.c_size_t(), ctypes.c_size_t()
        check(lib.ik_model_info(handle, ctypes.byref(ni), ctypes.byref(np_)))
        size = len(expression) + 1 + sum(len(_encode("params", p)) for p in (params or ()))
        buffer = ctypes.create_string_buffer(size)
        names = []
        for j in range(np_.value):
            check(lib.ik_model_param_name(handle, j, buffer, size))
            names.append(buffer.value.decode("utf-8"))
        #: The parameter names, in the order of the parameter vector p.
        self.params = tuple(names)

    # -- argument conversion ---------------------------------------------------------------

    def _p(self, p):
        p = _vector("p", p)
        if p.shape[0] != len(self.params):
            raise DimensionError(
                f"p has {p.shape[0]} values but the model has {len(self.params)} parameters "
                f"{self.params}"
            )
        return p

    def _x(self, x):
        """(row-major n x n_inputs matrix or None, n, shape of the result)."""
        k = len(self.inputs)
        if k == 0:
            if x is not None:
                raise InvalidArgumentError("x must be None: the model has no inputs")
            return None, 1, ()
        if k == 1:
            array = np.asarray(x, dtype=np.float64)
            if array.ndim == 2 and array.shape[1] == 1:
                array = array[:, 0]
            flat = np.ascontiguousarray(array.ravel())
            if flat.shape[0] == 0:
                raise DimensionError("x is empty: n_points is 0, at least one point is needed")
            return flat, flat.shape[0], array.shape
        if isinstance(x, (tuple, list)):
            if len(x) != k:
                raise DimensionError(f"x has {len(x)} arrays but the model has {k} inputs {self.inputs}")
            columns = [np.asarray(c, dtype=np.float64) for c in x]
            try:
                columns = np.broadcast_arrays(*columns)
            except ValueError:
                raise DimensionError(
                    f"the arrays of x have shapes {[c.shape for c in columns]}: they do not broadcast"
                ) from None
            shape = columns[0].shape
            matrix = np.ascontiguousarray(np.stack([c.ravel() for c in columns], axis=1))
        else:
            matrix = np.ascontiguousarray(x, dtype=np.float64)
            if matrix.ndim != 2 or matrix.shape[1] != k:
                raise DimensionError(
                    f"x has shape {matrix.shape} but the model has {k} inputs {self.inputs}: "
                    f"pass an (n, {k}) array or a tuple of {k} arrays"
                )
            shape = (matrix.shape[0],)
        if matrix.shape[0] == 0:
            raise DimensionError("x is empty: n_points is 0, at least one point is needed")
        return matrix, matrix.shape[0], shape

    # -- evaluation ------------------------------------------------------------------------

    def __call__(self, x, p):
        """The model's values at the points x (for one input any shape, kept; for several an
        (n, n_inputs) array or a tuple of arrays; None without inputs) and parameters p."""
        points, n, shape = self._x(x)
        p = self._p(p)
        out = np.empty(n)
        check(lib.ik_model_evaluate(self._handle, _pointer(points), n, _pointer(p), p.shape[0],
                                    _pointer(out)))
        if shape == ():
            return float(out[0])
        return out.reshape(shape)

    def jacobian(self, x, p):
        """The exact Jacobian d f(x_i) / d p_j, shape (n, n_params) with n points."""
        points, n, _ = self._x(x)
        p = self._p(p)
        jac = np.empty((n, p.shape[0]))
        check(lib.ik_model_jacobian(self._handle, _pointer(points), n, _pointer(p), p.shape[0],
                                    None, _pointer(jac)))
        return jac

    def value(self, p):
        """The value of a model without inputs at p."""
        p = self._p(p)
        out = ctypes.c_double()
        check(lib.ik_model_value(self._handle, _pointer(p), p.shape[0], ctypes.byref(out)))
        return out.value

    def gradient(self, p):
        """The exact gradient of a model without inputs at p, shape (n_params,)."""
        p = self._p(p)
        out = np.empty(p.shape[0])
        check(lib.ik_model_gradient(self._handle, _pointer(p), p.shape[0], None, _pointer(out)))
        return out

    def hessian(self, p):
        """The exact Hessian of a model without inputs at p, shape (n_params, n_params)."""
        p = self._p(p)
        out = np.empty((p.shape[0], p.shape[0]))
        check(lib.ik_model_hessian(self._handle, _pointer(p), p.shape[0], _pointer(out)))
        return out

    # -- lifetime --------------------------------------------------------------------------

    def __del__(self, _free=lib.ik_model_free):
        """Release the library's model (the default argument survives interpreter shutdown)."""
        handle = getattr(self, "_handle", None)
        if handle:
            self._handle = None
            _free(handle)

    def __repr__(self):
        return f"<Model {self.expr!r}, inputs={self.inputs}, params={self.params}>"


def _scalar_function(expr, params, method, doc):
    model = Model(expr, inputs=(), params=params)

    def function(p):
        return getattr(model, method)(p)

    function.model = model
    function.params = model.params
    function.__name__ = method
    function.__doc__ = f"The {doc} of {expr!r} at p, the vector of {model.params}."
    return function


def grad(expr, params=None):
    """The gradient of a formula of parameters only, as a function of the parameter vector
    (like ``jax.grad``): ``grad("a^2*b")(np.array([1.0, 2.0]))`` -> ``[4.0, 1.0]``.

    ``params`` orders the vector; None takes the names in order of first appearance (the
    returned function's ``.params``)."""
    return _scalar_function(expr, params, "gradient", "exact gradient")


def hessian(expr, params=None):
    """The Hessian of a formula of parameters only, as a function of the parameter vector
    (like ``jax.hessian``) returning an (n_params, n_params) array."""
    return _scalar_function(expr, params, "hessian", "exact Hessian")
