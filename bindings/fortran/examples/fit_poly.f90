! fit_poly.f90 - weighted quadratic fit y = c0 + c1 x + c2 x^2 with InferKit from Fortran.
! Build from the repository root (bindings/fortran/Makefile does the same into its bin/):
!   gfortran -c bindings/fortran/inferkit.f90
!   gfortran bindings/fortran/examples/fit_poly.f90 inferkit.o -Lbuild -linferkit \
!            -Wl,-rpath,"$PWD/build"
program fit_poly
  use, intrinsic :: iso_c_binding
  use, intrinsic :: iso_fortran_env, only: error_unit
  use inferkit
  implicit none
  integer, parameter :: n = 8, p = 3, dp = c_double
  real(dp) :: x(n), a(n, p), params(p), se(p), chi2(1)
  real(dp), parameter :: y(n) = [2.05_dp, 1.24_dp, 0.83_dp, 0.46_dp, &
                                 0.41_dp, 0.55_dp, 0.77_dp, 1.32_dp]
  real(dp), target :: sigma(n) = [0.05_dp, 0.05_dp, 0.05_dp, 0.05_dp, &
                                  0.1_dp, 0.1_dp, 0.1_dp, 0.1_dp] ! 1-sigma errors of y
  type(ik_linear_options_t), target :: opts
  type(c_ptr) :: fit
  integer(c_int32_t) :: status
  integer :: i

  x = [(real(i - 1, dp), i = 1, n)]
  a(:, 1) = 1.0_dp ! design matrix in Fortran (column-major) order: columns 1, x, x^2
  a(:, 2) = x
  a(:, 3) = x**2
  status = ik_linear_options_default(opts)
  opts%absolute_sigma = 1 ! sigma are measured errors, not relative weights

  ! IK_COL_MAJOR: the library reads a(n, p) and y as Fortran stores them, without a copy.
  ! Arguments that may be NULL in C (sigma, options) are passed as c_loc(...) or c_null_ptr.
  status = ik_linear_fit(a, int(n, c_size_t), int(p, c_size_t), IK_COL_MAJOR, y, &
                         1_c_size_t, c_loc(sigma), c_loc(opts), fit)
  if (status /= IK_OK) then
     write (error_unit, '(a, i0, 2a)') 'fit failed (status ', status, '): ', ik_error_message()
     error stop 1
  end if
  status = ik_linear_result_params(fit, params, size(params, kind=c_size_t))
  status = ik_linear_result_stderr(fit, se, size(se, kind=c_size_t)) ! sqrt(diag(cov))
  status = ik_linear_result_chi2(fit, chi2, 1_c_size_t)
  call ik_linear_result_free(fit)

  do i = 1, p
     print '(a, i0, a, f8.4, a, f6.4)', 'c', i - 1, ' = ', params(i), ' +/- ', se(i)
  end do
  print '(a, f6.3, a, i0, a)', 'chi2 = ', chi2(1), ' for ', n - p, ' degrees of freedom'
end program fit_poly
