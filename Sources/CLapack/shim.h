/* LAPACKE and CBLAS as one Clang module (Debian: liblapacke-dev, libopenblas-dev). */
#include <lapacke.h>
#include <cblas.h>
