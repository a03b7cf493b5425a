"""Array conversions shared by the numpy layer: float64 vectors and C pointers to them."""

import ctypes

import numpy as np

from ._errors import DimensionError

#: ``double*`` for ctypes.
DOUBLE_P = ctypes.POINTER(ctypes.c_double)


def pointer(array):
    """A ``double*`` to the data of a contiguous float64 array, or NULL for ``None``."""
    if array is None:
        return None
    return array.ctypes.data_as(DOUBLE_P)


def vector(name, values):
    """``values`` as a contiguous 1-D float64 array; DimensionError for any other ndim."""
    array = np.ascontiguousarray(values, dtype=np.float64)
    if array.ndim != 1:
        raise DimensionError(f"{name} must be 1-D, but it has shape {array.shape}")
    return array


def same_length(name, array, other_name, other):
    """DimensionError unless ``array`` has as many elements as ``other``."""
    if array.shape[0] != other.shape[0]:
        raise DimensionError(
            f"{other_name} has {other.shape[0]} elements but {name} has {array.shape[0]}"
        )
