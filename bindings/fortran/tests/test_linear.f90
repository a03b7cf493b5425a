! test_linear.f90 - the Fortran interface (bindings/fortran/inferkit.f90) against values
! computed here: exact polynomial data (x on a grid of quarters, so y is exact in binary),
! normal equations for the small reference fits, explicit basis polynomials.
! Prints one line "test_fortran: P passed, F failed"; error stop when F > 0.
module test_support
  use, intrinsic :: iso_c_binding, only: c_double
  implicit none
  integer, parameter :: dp = c_double
  integer :: passed = 0, failed = 0
  interface near
     module procedure near1, near2
  end interface near

contains

  subroutine check(ok, what)
    logical, intent(in) :: ok
    character(len=*), intent(in) :: what
    if (ok) then
       passed = passed + 1
    else
       failed = failed + 1
       print '(2a)', 'FAIL ', what
    end if
  end subroutine check

  ! |got - want| <= rtol * max(1, |want|) elementwise, for vectors and matrices.
  logical function near1(got, want, rtol)
    real(dp), intent(in) :: got(:), want(:), rtol
    near1 = size(got) == size(want)
    if (near1) near1 = all(abs(got - want) <= rtol * max(1.0_dp, abs(want)))
  end function near1

  logical function near2(got, want, rtol)
    real(dp), intent(in) :: got(:, :), want(:, :), rtol
    near2 = near1(reshape(got, [size(got)]), reshape(want, [size(want)]), rtol)
  end function near2

  ! Weighted least squares by the normal equations: theta, (A^T W A)^-1 and chi2.
  subroutine ref_fit(a, y, sigma, theta, cov, chi2)
    real(dp), intent(in) :: a(:, :), y(:), sigma(:)
    real(dp), intent(out) :: theta(:), cov(:, :), chi2
    real(dp) :: aw(size(a, 1), size(a, 2))
    integer :: k
    do k = 1, size(a, 2)
       aw(:, k) = a(:, k) / sigma**2
    end do
    cov = inverse(matmul(transpose(aw), a))
    theta = matmul(cov, matmul(transpose(aw), y))
    chi2 = sum(((y - matmul(a, theta)) / sigma)**2)
  end subroutine ref_fit

  ! Inverse of a small matrix by Gauss-Jordan elimination with partial pivoting.
  function inverse(g) result(w)
    real(dp), intent(in) :: g(:, :)
    real(dp) :: w(size(g, 1), size(g, 1)), b(size(g, 1), 2 * size(g, 1)), row(2 * size(g, 1))
    integer :: k, r, q, nn
    nn = size(g, 1)
    b = 0.0_dp
    b(:, 1:nn) = g
    do k = 1, nn
       b(k, nn + k) = 1.0_dp
    end do
    do k = 1, nn
       q = k - 1 + maxloc(abs(b(k:, k)), 1)
       row = b(q, :)
       b(q, :) = b(k, :)
       b(k, :) = row / row(k)
       do r = 1, nn
          if (r /= k) b(r, :) = b(r, :) - b(r, k) * b(k, :)
       end do
    end do
    w = b(:, nn + 1:)
  end function inverse
end module test_support

program test_linear
  use, intrinsic :: iso_c_binding
  use, intrinsic :: ieee_arithmetic, only: ieee_value, ieee_quiet_nan
  use inferkit
  use test_support
  implicit none
  integer, parameter :: n = 12, p = 3, m = 4
  real(dp), parameter :: c_true(p) = [1.5_dp, -2.0_dp, 0.75_dp]
  real(dp), parameter :: tol = 1e-12_dp
  integer :: i, j
  integer(c_int32_t) :: st
  real(dp) :: x(n), y(n), a(n, p), at(p, n), y2(n, 2), xnew(m), anew(m, p), ynew(m)
  real(dp), target :: sigma(n), domain(2), std(m), std2(2, m)
  real(dp) :: theta(p), se(p), cov(p, p), covu(p, p), corr(p, p), res(n), chi2(2), r2(1)
  real(dp) :: scale(2), sv(p), theta2(2, p), mean(m), mean2(2, m), d(n, p), dshort(n)
  real(dp) :: ref_theta(p), ref_cov(p, p), ref_chi2, ones(n)
  type(ik_linear_options_t), target :: opts
  type(ik_linear_info_t) :: info
  type(c_ptr) :: fit, fit2, pfit, lfit, bad
  integer(c_size_t) :: ncols
  character(len=32) :: version
  character(len=:), allocatable :: msg

  x = [(-1.0_dp + 0.25_dp * (i - 1), i = 1, n)]
  y = c_true(1) + c_true(2) * x + c_true(3) * x**2
  sigma = [(0.5_dp + 0.1_dp * i, i = 1, n)]
  a(:, 1) = 1.0_dp
  a(:, 2) = x
  a(:, 3) = x**2
  at = transpose(a)
  xnew = [-2.0_dp, 0.3_dp, 1.7_dp, 4.0_dp]
  anew(:, 1) = 1.0_dp
  anew(:, 2) = xnew
  anew(:, 3) = xnew**2
  ynew = c_true(1) + c_true(2) * xnew + c_true(3) * xnew**2
  ones = 1.0_dp

  ! ---- version, status strings, options ------------------------------------------------
  write (version, '(i0, ".", i0, ".", i0)') IK_VERSION_MAJOR, IK_VERSION_MINOR, IK_VERSION_PATCH
  call check(ik_c_string(ik_version()) == trim(version), 'ik_version matches the module')
  call check(ik_version_number() == 10000 * IK_VERSION_MAJOR + 100 * IK_VERSION_MINOR &
             + IK_VERSION_PATCH, 'ik_version_number matches the module')
  call check(ik_c_string(ik_status_string(IK_ERR_NONFINITE)) == 'IK_ERR_NONFINITE', &
             'ik_status_string(3)')
  call check(ik_c_string(ik_status_string(999_c_int32_t)) == 'IK_UNKNOWN', &
             'ik_status_string(999)')
  st = ik_linear_options_default(opts)
  call check(st == IK_OK, 'ik_linear_options_default status')
  call check(opts%struct_size == c_sizeof(opts) .and. c_sizeof(opts) == 40, &
             'options struct_size = c_sizeof = 40')
  call check(opts%method == IK_LINEAR_QR .and. opts%absolute_sigma == 0 .and. &
             opts%allow_rank_deficient == 0 .and. opts%refine == -1 .and. &
             opts%rcond <= 0.0_dp .and. opts%n_threads == 0 .and. opts%reserved == 0, &
             'option defaults read through the bind(C) type')
  info%struct_size = c_sizeof(info)
  call check(c_sizeof(info) == 80, 'info c_sizeof = 80')

  ! ---- ik_linear_fit, IK_COL_MAJOR, exact quadratic, absolute sigma -------------------------
  opts%absolute_sigma = 1
  st = ik_linear_fit(a, int(n, c_size_t), int(p, c_size_t), IK_COL_MAJOR, y, 1_c_size_t, &
                     c_loc(sigma), c_loc(opts), fit)
  call check(st == IK_OK .and. c_associated(fit), 'ik_linear_fit col-major status')
  st = ik_linear_result_params(fit, theta, size(theta, kind=c_size_t))
  call check(st == IK_OK .and. maxval(abs(theta - c_true)) <= tol, &
             'exact quadratic recovered to 1e-12 (col-major)')
  st = ik_linear_result_info(fit, info)
  call check(st == IK_OK, 'ik_linear_result_info status')
  call check(info%rows == n .and. info%cols == p .and. info%n_rhs == 1 .and. &
             info%rank == p .and. info%dof == n - p, 'info rows, cols, n_rhs, rank, dof')
  call check(info%basis == -1 .and. info%absolute_sigma == 1 .and. info%r2_centered == 1 &
             .and. info%method == IK_LINEAR_QR .and. info%cond >= 1.0_dp .and. &
             iand(info%flags, IK_LINEAR_FLAG_RANK_DEFICIENT) == 0, 'info basis, flags, cond')
  call ref_fit(a, y, sigma, ref_theta, ref_cov, ref_chi2)
  st = ik_linear_result_cov(fit, 0_c_size_t, cov, size(cov, kind=c_size_t))
  call check(st == IK_OK .and. near(cov, ref_cov, 1e-10_dp), 'cov = (A^T W A)^-1')
  st = ik_linear_result_stderr(fit, se, size(se, kind=c_size_t))
  call check(st == IK_OK .and. near(se, [(sqrt(ref_cov(j, j)), j = 1, p)], 1e-10_dp), &
             'stderr = sqrt(diag(cov))')
  st = ik_linear_result_cov_unscaled(fit, covu, size(covu, kind=c_size_t))
  call check(st == IK_OK .and. near(covu, ref_cov, 1e-10_dp), 'cov_unscaled')
  st = ik_linear_result_cov_scale(fit, scale, 1_c_size_t)
  call check(st == IK_OK .and. abs(scale(1) - 1.0_dp) <= tol, 'cov_scale = 1 (absolute)')
  st = ik_linear_result_corr(fit, corr, size(corr, kind=c_size_t))
  call check(st == IK_OK .and. near([(corr(j, j), j = 1, p)], [1.0_dp, 1.0_dp, 1.0_dp], tol) &
             .and. near(corr(1, 2:2), [cov(1, 2) / sqrt(cov(1, 1) * cov(2, 2))], 1e-10_dp), &
             'corr')
  st = ik_linear_result_residuals(fit, res, size(res, kind=c_size_t))
  call check(st == IK_OK .and. maxval(abs(res)) <= tol, 'residuals of exact data ~ 0')
  st = ik_linear_result_chi2(fit, chi2, 1_c_size_t)
  call check(st == IK_OK .and. chi2(1) <= tol, 'chi2 of exact data ~ 0')
  st = ik_linear_result_r2(fit, r2, 1_c_size_t)
  call check(st == IK_OK .and. abs(r2(1) - 1.0_dp) <= 1e-10_dp, 'R^2 = 1')
  st = ik_linear_result_singular_values(fit, sv, size(sv, kind=c_size_t))
  call check(st == IK_OK .and. sv(1) >= sv(2) .and. sv(2) >= sv(3) .and. sv(3) > 0.0_dp &
             .and. abs(sv(1) / sv(3) - info%cond) <= 1e-8_dp * info%cond, &
             'singular values descending, s1/s3 = cond')
  st = ik_linear_predict(fit, anew, int(m, c_size_t), int(p, c_size_t), IK_COL_MAJOR, &
                         mean, c_loc(std))
  call check(st == IK_OK .and. near(mean, ynew, tol), 'predict mean (col-major a_new)')
  call check(near(std, [(sqrt(dot_product(anew(i, :), matmul(ref_cov, anew(i, :)))), &
             i = 1, m)], 1e-10_dp), 'predict std = sqrt(diag(A cov A^T))')
  st = ik_linear_predict(fit, anew, int(m, c_size_t), int(p, c_size_t), IK_COL_MAJOR, &
                         mean, c_null_ptr)
  call check(st == IK_OK .and. near(mean, ynew, tol), 'predict with std = c_null_ptr')

  ! The same data in C order: the transpose passed as IK_ROW_MAJOR gives the same fit.
  st = ik_linear_fit(at, int(n, c_size_t), int(p, c_size_t), IK_ROW_MAJOR, y, 1_c_size_t, &
                     c_loc(sigma), c_loc(opts), fit2)
  st = max(st, ik_linear_result_params(fit2, theta, size(theta, kind=c_size_t)))
  call check(st == IK_OK .and. maxval(abs(theta - c_true)) <= tol, &
             'row-major transpose gives the same fit')
  call ik_linear_result_free(fit2)

  ! ---- two right-hand sides (col-major y(n, 2)), defaults (NULL sigma and options) -------
  ! rhs 1 is exact; rhs 2 is perturbed, compared with the normal equations.
  y2(:, 1) = y
  y2(:, 2) = y + [(0.01_dp * (-1)**i + 0.003_dp * i, i = 1, n)]
  call ref_fit(a, y2(:, 2), ones, ref_theta, ref_cov, ref_chi2)
  st = ik_linear_fit(a, int(n, c_size_t), int(p, c_size_t), IK_COL_MAJOR, y2, 2_c_size_t, &
                     c_null_ptr, c_null_ptr, fit2)
  call check(st == IK_OK, 'ik_linear_fit with 2 rhs, NULL sigma and options')
  ! params are cols x n_rhs row-major in C, i.e. theta2(n_rhs, cols) in Fortran.
  st = ik_linear_result_params(fit2, theta2, size(theta2, kind=c_size_t))
  call check(st == IK_OK .and. maxval(abs(theta2(1, :) - c_true)) <= tol .and. &
             near(theta2(2, :), ref_theta, 1e-10_dp), 'params of 2 rhs as theta2(rhs, j)')
  st = ik_linear_result_chi2(fit2, chi2, 2_c_size_t)
  st = max(st, ik_linear_result_cov_scale(fit2, scale, 2_c_size_t))
  call check(st == IK_OK .and. near(chi2(2:2), [ref_chi2], 1e-9_dp) .and. &
             near(scale(2:2), [ref_chi2 / (n - p)], 1e-9_dp), 'chi2 and cov_scale = chi2/dof')
  st = ik_linear_result_cov_unscaled(fit2, covu, size(covu, kind=c_size_t))
  st = max(st, ik_linear_result_cov(fit2, 1_c_size_t, cov, size(cov, kind=c_size_t)))
  call check(st == IK_OK .and. near(cov, covu * scale(2), 1e-12_dp) .and. &
             near(cov, ref_cov * (ref_chi2 / (n - p)), 1e-9_dp), &
             'cov(rhs=1) = cov_unscaled * cov_scale(2)')
  st = ik_linear_predict(fit2, anew, int(m, c_size_t), int(p, c_size_t), IK_COL_MAJOR, &
                         mean2, c_loc(std2))
  call check(st == IK_OK .and. near(mean2(1, :), ynew, tol) .and. &
             near(mean2(2, :), matmul(anew, ref_theta), 1e-10_dp), &
             'predict 2 rhs as mean2(rhs, row)')
  call ik_linear_result_free(fit2)

  ! ---- ik_linear_polyfit ------------------------------------------------------------------
  st = ik_linear_polyfit(x, int(n, c_size_t), y, 1_c_size_t, IK_COL_MAJOR, c_null_ptr, &
                         2_c_size_t, IK_BASIS_MONOMIAL, c_null_ptr, 0.0_dp, c_null_ptr, pfit)
  call check(st == IK_OK, 'ik_linear_polyfit monomial status')
  st = ik_linear_result_params(pfit, theta, size(theta, kind=c_size_t))
  call check(st == IK_OK .and. maxval(abs(theta - c_true)) <= tol, &
             'polyfit recovers the exact quadratic to 1e-12')
  st = ik_linear_result_info(pfit, info)
  call check(st == IK_OK .and. info%rows == n .and. info%cols == p .and. info%rank == p &
             .and. info%dof == n - p .and. info%basis == IK_BASIS_MONOMIAL, 'polyfit info')
  st = ik_linear_predict_x(pfit, xnew, int(m, c_size_t), mean, c_loc(std))
  call check(st == IK_OK .and. near(mean, ynew, tol) .and. all(std >= 0.0_dp), &
             'ik_linear_predict_x')
  call ik_linear_result_free(pfit)

  domain = [-1.0_dp, 2.0_dp]
  st = ik_linear_polyfit(x, int(n, c_size_t), y, 1_c_size_t, IK_COL_MAJOR, c_loc(sigma), &
                         2_c_size_t, IK_BASIS_LEGENDRE, c_loc(domain), 0.0_dp, c_loc(opts), lfit)
  st = max(st, ik_linear_predict_x(lfit, xnew, int(m, c_size_t), mean, c_null_ptr))
  call check(st == IK_OK .and. near(mean, ynew, 1e-11_dp), &
             'Legendre polyfit with domain, sigma and options; predict_x')
  call ik_linear_result_free(lfit)

  ! ---- design matrices ----------------------------------------------------------------------
  st = ik_design_columns(IK_BASIS_FOURIER, 2_c_size_t, ncols)
  call check(st == IK_OK .and. ncols == 5, 'ik_design_columns Fourier degree 2 = 5')
  st = ik_design_columns(IK_BASIS_MONOMIAL, 2_c_size_t, ncols)
  call check(st == IK_OK .and. ncols == 3, 'ik_design_columns monomial degree 2 = 3')
  st = ik_design_matrix(IK_BASIS_MONOMIAL, x, int(n, c_size_t), 2_c_size_t, c_null_ptr, &
                        0.0_dp, IK_COL_MAJOR, d, size(d, kind=c_size_t))
  call check(st == IK_OK .and. maxval(abs(d - a)) <= tol, 'monomial design, col-major')
  st = ik_design_matrix(IK_BASIS_LEGENDRE, x, int(n, c_size_t), 2_c_size_t, c_loc(domain), &
                        0.0_dp, IK_COL_MAJOR, d, size(d, kind=c_size_t))
  call check(st == IK_OK .and. maxval(abs(d(:, 1) - 1.0_dp)) <= tol .and. &
             maxval(abs(d(:, 2) - (2 * x - 1) / 3)) <= tol .and. &
             maxval(abs(d(:, 3) - (3 * ((2 * x - 1) / 3)**2 - 1) / 2)) <= tol, &
             'Legendre design on domain [-1, 2]')
  st = ik_design_matrix(IK_BASIS_MONOMIAL, x, int(n, c_size_t), 2_c_size_t, c_null_ptr, &
                        0.0_dp, IK_COL_MAJOR, dshort, size(dshort, kind=c_size_t))
  call check(st == IK_ERR_DIMENSION, 'design out_len too short: IK_ERR_DIMENSION')

  ! ---- bad input ----------------------------------------------------------------------------
  y2(:, 1) = y
  y2(5, 1) = ieee_value(1.0_dp, ieee_quiet_nan)
  bad = c_null_ptr
  st = ik_linear_fit(a, int(n, c_size_t), int(p, c_size_t), IK_COL_MAJOR, y2(:, 1), &
                     1_c_size_t, c_null_ptr, c_null_ptr, bad)
  msg = ik_error_message()
  call check(st == IK_ERR_NONFINITE .and. st == 3, 'NaN in y: IK_ERR_NONFINITE (3)')
  call check(index(msg, 'y[') > 0, 'NaN in y: message names y[ ("' // msg // '")')
  call check(.not. c_associated(bad), 'no handle after a failure')
  st = ik_linear_fit(a, int(n, c_size_t), int(p, c_size_t), 0_c_int32_t, y, 1_c_size_t, &
                     c_null_ptr, c_null_ptr, bad)
  msg = ik_error_message()
  call check(st == IK_ERR_INVALID_ARGUMENT .and. len(msg) > 0, &
             'bad layout: IK_ERR_INVALID_ARGUMENT with a message')
  call ik_linear_result_free(bad) ! c_null_ptr: a no-op

  call ik_linear_result_free(fit)
  call check(.true., 'ik_linear_result_free on every handle')

  print '(a, i0, a, i0, a)', 'test_fortran: ', passed, ' passed, ', failed, ' failed'
  if (failed > 0) error stop 1
end program test_linear
