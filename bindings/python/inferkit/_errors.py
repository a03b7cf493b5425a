"""Exceptions raised for the status codes of the C library, and the ``check`` helper.

Every C call of the package goes through :func:`check`, which turns a non-zero
``ik_status_t`` into an instance of the :class:`InferKitError` subclass for that code, with
the library's own message (``ik_last_error()``), which names the argument and the value.
"""

import numpy as np

from . import _capi
from ._library import lib


class InferKitError(Exception):
    """A call into libinferkit failed.

    Attributes:
        code: the C status code (one of ``IK_ERR_*``), an ``int``.
        message: the library's one-sentence explanation (``ik_last_error()``).
    """

    #: Status code for instances created without an explicit code.
    default_code = _capi.IK_ERR_INTERNAL

    def __init__(self, message, code=None):
        """Create the exception from the library's ``message`` and status ``code``."""
        super().__init__(message)
        self.message = message
        self.code = self.default_code if code is None else int(code)

    def __str__(self):
        """The message, followed by the status name when the message is empty."""
        if self.message:
            return self.message
        return status_name(self.code)


class InvalidArgumentError(InferKitError, ValueError):
    """``IK_ERR_INVALID_ARGUMENT``: an option out of range, a bad enum value, sigma <= 0."""

    default_code = _capi.IK_ERR_INVALID_ARGUMENT


class DimensionError(InferKitError, ValueError):
    """``IK_ERR_DIMENSION``: zero or mismatched lengths, an output buffer too short."""

    default_code = _capi.IK_ERR_DIMENSION


class NonFiniteError(InferKitError, ValueError):
    """``IK_ERR_NONFINITE``: NaN or Inf in an input array."""

    default_code = _capi.IK_ERR_NONFINITE


class SingularError(InferKitError, np.linalg.LinAlgError):
    """``IK_ERR_SINGULAR``: a singular or rank-deficient problem."""

    default_code = _capi.IK_ERR_SINGULAR


class NotConvergedError(InferKitError):
    """``IK_ERR_NOT_CONVERGED``: an iteration did not converge."""

    default_code = _capi.IK_ERR_NOT_CONVERGED


class CallbackError(InferKitError):
    """``IK_ERR_CALLBACK``: a callback returned non-zero (or raised) and stopped the run."""

    default_code = _capi.IK_ERR_CALLBACK


class ParseError(InferKitError, ValueError):
    """``IK_ERR_PARSE``: a formula could not be parsed."""

    default_code = _capi.IK_ERR_PARSE


class OutOfMemoryError(InferKitError, MemoryError):
    """``IK_ERR_NO_MEMORY``: an allocation failed or a size overflowed."""

    default_code = _capi.IK_ERR_NO_MEMORY


class InternalError(InferKitError):
    """``IK_ERR_INTERNAL``: a bug in InferKit; please report it with the message."""

    default_code = _capi.IK_ERR_INTERNAL


#: Exception class for each status code.
ERROR_CLASSES = {
    _capi.IK_ERR_INVALID_ARGUMENT: InvalidArgumentError,
    _capi.IK_ERR_DIMENSION: DimensionError,
    _capi.IK_ERR_NONFINITE: NonFiniteError,
    _capi.IK_ERR_SINGULAR: SingularError,
    _capi.IK_ERR_NOT_CONVERGED: NotConvergedError,
    _capi.IK_ERR_CALLBACK: CallbackError,
    _capi.IK_ERR_PARSE: ParseError,
    _capi.IK_ERR_NO_MEMORY: OutOfMemoryError,
    _capi.IK_ERR_INTERNAL: InternalError,
}


def status_name(status):
    """The constant name of a status code, e.g. ``"IK_ERR_DIMENSION"`` (``ik_status_string``)."""
    name = lib.ik_status_string(int(status))
    return name.decode("utf-8", "replace") if name else "IK_UNKNOWN"


def last_error():
    """The calling thread's last failure message (``ik_last_error()``), ``""`` if none."""
    message = lib.ik_last_error()
    return message.decode("utf-8", "replace") if message else ""


def error_for(status):
    """The exception (not raised) for a non-zero status, with the thread's last message."""
    status = int(status)
    cls = ERROR_CLASSES.get(status, InferKitError)
    message = last_error()
    if cls is InferKitError:
        message = f"{message} (unknown status {status})" if message else f"unknown status {status}"
    return cls(message, status)


def check(status):
    """Raise the :class:`InferKitError` subclass for ``status`` unless it is ``IK_OK``.

    Must be called right after the C call that returned ``status`` on the same thread, before
    any other InferKit call, so that ``ik_last_error()`` still holds that call's message.
    """
    if status != _capi.IK_OK:
        raise error_for(status)


def choice(name, value, choices):
    """The C constant for a string option, or InvalidArgumentError naming the choices."""
    try:
        return choices[value]
    except (KeyError, TypeError):
        allowed = ", ".join(repr(key) for key in choices)
        raise InvalidArgumentError(f"{name} is {value!r}: expected one of {allowed}") from None
