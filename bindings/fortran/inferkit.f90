! inferkit.f90 - Fortran 2008 interface to libinferkit.so (include/inferkit.h).
!
! Covers the version, status/error, design-matrix (ik_design_*) and linear least-squares
! (ik_linear_*) families of the header. Every routine is a bind(C) interface to the C
! function of the same name; the only Fortran code is the string helpers at the end.
!
! Conventions of this module (the C header stays the reference for what each call does):
!  - size_t lengths and counts are integer(c_size_t), passed by value: write int(n, c_size_t),
!    size(a, kind=c_size_t) or 3_c_size_t (a default integer does not match the interface).
!  - Input arrays that must not be NULL are assumed-size real(c_double), intent(in) :: a(*);
!    output buffers are real(c_double), intent(out) :: out(*). Pass whole arrays; a scalar
!    result (chi2 of one right-hand side) needs a one-element array, e.g. chi2(1).
!  - Arguments that may be NULL in C (sigma, options, domain, std) are type(c_ptr), value:
!    pass c_loc(x) of a contiguous variable with the TARGET attribute, or c_null_ptr.
!  - Result handles (ik_linear_result_t*) are type(c_ptr); the ik_linear_result_t** out
!    argument of the fits is type(c_ptr), intent(out). Free every handle with
!    ik_linear_result_free (c_null_ptr is a no-op).
!  - Matrix inputs take a layout: a Fortran array a(rows, cols) is IK_COL_MAJOR and passes
!    without a copy. Matrix OUTPUTS of the result getters and the predictions are row-major
!    (C order) in the header: "cols x n_rhs row-major" is a Fortran array out(n_rhs, cols),
!    i.e. out(k, j) is parameter j of right-hand side k. Covariances are symmetric.
!  - Strings (ik_version, ik_status_string, ik_last_error) come back as type(c_ptr) to a
!    NUL-terminated C string; ik_c_string() copies one into a Fortran string, and
!    ik_error_message() is ik_c_string(ik_last_error()).
!  - ik_linear_info_t: set info%struct_size = c_sizeof(info) before ik_linear_result_info.
!  - C indices in error messages are 0-based: "y[4] is NaN" is the Fortran element y(5).
module inferkit
  use, intrinsic :: iso_c_binding
  implicit none
  private :: c_strlen

  ! Version of the header this module was written for (ik_version_number() is the library's).
  integer(c_int32_t), parameter :: IK_VERSION_MAJOR = 0
  integer(c_int32_t), parameter :: IK_VERSION_MINOR = 1
  integer(c_int32_t), parameter :: IK_VERSION_PATCH = 0

  ! enum ik_status_code
  integer(c_int32_t), parameter :: IK_OK = 0
  integer(c_int32_t), parameter :: IK_ERR_INVALID_ARGUMENT = 1
  integer(c_int32_t), parameter :: IK_ERR_DIMENSION = 2
  integer(c_int32_t), parameter :: IK_ERR_NONFINITE = 3
  integer(c_int32_t), parameter :: IK_ERR_SINGULAR = 4
  integer(c_int32_t), parameter :: IK_ERR_NOT_CONVERGED = 5
  integer(c_int32_t), parameter :: IK_ERR_CALLBACK = 6
  integer(c_int32_t), parameter :: IK_ERR_PARSE = 7
  integer(c_int32_t), parameter :: IK_ERR_NO_MEMORY = 8
  integer(c_int32_t), parameter :: IK_ERR_INTERNAL = 9

  ! enum ik_layout
  integer(c_int32_t), parameter :: IK_ROW_MAJOR = 101
  integer(c_int32_t), parameter :: IK_COL_MAJOR = 102

  ! enum ik_basis
  integer(c_int32_t), parameter :: IK_BASIS_MONOMIAL = 0
  integer(c_int32_t), parameter :: IK_BASIS_LEGENDRE = 1
  integer(c_int32_t), parameter :: IK_BASIS_CHEBYSHEV = 2
  integer(c_int32_t), parameter :: IK_BASIS_FOURIER = 3
  integer(c_int32_t), parameter :: IK_BASIS_COSINE = 4

  ! enum ik_linear_method
  integer(c_int32_t), parameter :: IK_LINEAR_QR = 0
  integer(c_int32_t), parameter :: IK_LINEAR_SVD = 1

  ! enum ik_linear_flag (bits of ik_linear_info_t%flags; test with iand)
  integer(c_int32_t), parameter :: IK_LINEAR_FLAG_RANK_DEFICIENT = 1
  integer(c_int32_t), parameter :: IK_LINEAR_FLAG_ILL_CONDITIONED = 2
  integer(c_int32_t), parameter :: IK_LINEAR_FLAG_NO_DOF = 4
  integer(c_int32_t), parameter :: IK_LINEAR_FLAG_REFINED = 8

  ! ik_linear_options_t: fill with ik_linear_options_default, then change fields.
  type, bind(C) :: ik_linear_options_t
     integer(c_size_t) :: struct_size       ! set by ik_linear_options_default
     integer(c_int32_t) :: method           ! IK_LINEAR_QR (default) or IK_LINEAR_SVD
     integer(c_int32_t) :: absolute_sigma   ! 0 (default): sigma relative; 1: absolute
     integer(c_int32_t) :: allow_rank_deficient ! 0 (default): rank deficiency is an error
     integer(c_int32_t) :: refine           ! -1 automatic (default), 0 never, k > 0 steps
     real(c_double) :: rcond                ! <= 0 (default): eps * max(rows, cols)
     integer(c_int32_t) :: n_threads        ! 0 (default): all cores
     integer(c_int32_t) :: reserved         ! must be 0
  end type ik_linear_options_t

  ! ik_linear_info_t: set struct_size = c_sizeof(info) before ik_linear_result_info.
  type, bind(C) :: ik_linear_info_t
     integer(c_size_t) :: struct_size
     integer(c_size_t) :: rows              ! observations
     integer(c_size_t) :: cols              ! parameters
     integer(c_size_t) :: n_rhs             ! right-hand sides
     integer(c_size_t) :: rank              ! numerical rank of the weighted design
     integer(c_size_t) :: dof               ! rows - rank
     real(c_double) :: cond                 ! condition number (weighted, equilibrated)
     integer(c_int32_t) :: flags            ! bits IK_LINEAR_FLAG_*
     integer(c_int32_t) :: method           ! method used
     integer(c_int32_t) :: refinement_steps ! extended-precision refinement steps
     integer(c_int32_t) :: basis            ! IK_BASIS_* for polyfit results, -1 for ik_linear_fit
     integer(c_int32_t) :: absolute_sigma   ! 1 when the covariance was not scaled by chi2/dof
     integer(c_int32_t) :: r2_centered      ! 1 when R^2 is centred
  end type ik_linear_info_t

  interface
     ! ---- version, status, errors ------------------------------------------------------
     ! const char* ik_version(void)
     function ik_version() bind(C, name="ik_version") result(s)
       import :: c_ptr
       type(c_ptr) :: s
     end function ik_version

     ! int32_t ik_version_number(void)
     function ik_version_number() bind(C, name="ik_version_number") result(v)
       import :: c_int32_t
       integer(c_int32_t) :: v
     end function ik_version_number

     ! const char* ik_status_string(ik_status_t status)
     function ik_status_string(status) bind(C, name="ik_status_string") result(s)
       import :: c_ptr, c_int32_t
       integer(c_int32_t), value :: status
       type(c_ptr) :: s
     end function ik_status_string

     ! const char* ik_last_error(void)
     function ik_last_error() bind(C, name="ik_last_error") result(s)
       import :: c_ptr
       type(c_ptr) :: s
     end function ik_last_error

     ! ---- design matrices ---------------------------------------------------------------
     ! ik_status_t ik_design_columns(int32_t basis, size_t degree, size_t* cols)
     function ik_design_columns(basis, degree, cols) bind(C, name="ik_design_columns") &
          result(status)
       import :: c_int32_t, c_size_t
       integer(c_int32_t), value :: basis
       integer(c_size_t), value :: degree
       integer(c_size_t), intent(out) :: cols
       integer(c_int32_t) :: status
     end function ik_design_columns

     ! ik_status_t ik_design_matrix(int32_t basis, const double* x, size_t n, size_t degree,
     !     const double* domain /* nullable */, double period, int32_t layout,
     !     double* out, size_t out_len)
     function ik_design_matrix(basis, x, n, degree, domain, period, layout, out, out_len) &
          bind(C, name="ik_design_matrix") result(status)
       import :: c_int32_t, c_size_t, c_double, c_ptr
       integer(c_int32_t), value :: basis
       real(c_double), intent(in) :: x(*)
       integer(c_size_t), value :: n
       integer(c_size_t), value :: degree
       type(c_ptr), value :: domain          ! c_loc(domain(1:2)) or c_null_ptr
       real(c_double), value :: period
       integer(c_int32_t), value :: layout
       real(c_double), intent(out) :: out(*)
       integer(c_size_t), value :: out_len
       integer(c_int32_t) :: status
     end function ik_design_matrix

     ! ---- linear least squares ----------------------------------------------------------
     ! ik_status_t ik_linear_options_default(ik_linear_options_t* options)
     function ik_linear_options_default(options) bind(C, name="ik_linear_options_default") &
          result(status)
       import :: c_int32_t, ik_linear_options_t
       type(ik_linear_options_t), intent(out) :: options
       integer(c_int32_t) :: status
     end function ik_linear_options_default

     ! ik_status_t ik_linear_fit(const double* a, size_t rows, size_t cols, int32_t layout,
     !     const double* y, size_t n_rhs, const double* sigma /* nullable */,
     !     const ik_linear_options_t* options /* nullable */, ik_linear_result_t** result)
     function ik_linear_fit(a, rows, cols, layout, y, n_rhs, sigma, options, result) &
          bind(C, name="ik_linear_fit") result(status)
       import :: c_int32_t, c_size_t, c_double, c_ptr
       real(c_double), intent(in) :: a(*)
       integer(c_size_t), value :: rows
       integer(c_size_t), value :: cols
       integer(c_int32_t), value :: layout
       real(c_double), intent(in) :: y(*)    ! rows x n_rhs in the same layout as a
       integer(c_size_t), value :: n_rhs
       type(c_ptr), value :: sigma           ! c_loc(sigma(1:rows)) or c_null_ptr (all 1)
       type(c_ptr), value :: options         ! c_loc(opts) or c_null_ptr (defaults)
       type(c_ptr), intent(out) :: result    ! new handle, c_null_ptr on failure
       integer(c_int32_t) :: status
     end function ik_linear_fit

     ! ik_status_t ik_linear_polyfit(const double* x, size_t n, const double* y, size_t n_rhs,
     !     int32_t y_layout, const double* sigma /* nullable */, size_t degree, int32_t basis,
     !     const double* domain /* nullable */, double period,
     !     const ik_linear_options_t* options /* nullable */, ik_linear_result_t** result)
     function ik_linear_polyfit(x, n, y, n_rhs, y_layout, sigma, degree, basis, domain, &
          period, options, result) bind(C, name="ik_linear_polyfit") result(status)
       import :: c_int32_t, c_size_t, c_double, c_ptr
       real(c_double), intent(in) :: x(*)
       integer(c_size_t), value :: n
       real(c_double), intent(in) :: y(*)    ! n x n_rhs in y_layout
       integer(c_size_t), value :: n_rhs
       integer(c_int32_t), value :: y_layout
       type(c_ptr), value :: sigma           ! c_loc(sigma(1:n)) or c_null_ptr
       integer(c_size_t), value :: degree
       integer(c_int32_t), value :: basis
       type(c_ptr), value :: domain          ! c_loc(domain(1:2)) or c_null_ptr
       real(c_double), value :: period
       type(c_ptr), value :: options         ! c_loc(opts) or c_null_ptr
       type(c_ptr), intent(out) :: result
       integer(c_int32_t) :: status
     end function ik_linear_polyfit

     ! ik_status_t ik_linear_result_info(const ik_linear_result_t* result,
     !     ik_linear_info_t* info)
     function ik_linear_result_info(result, info) bind(C, name="ik_linear_result_info") &
          result(status)
       import :: c_int32_t, c_ptr, ik_linear_info_t
       type(c_ptr), value :: result
       type(ik_linear_info_t), intent(inout) :: info  ! struct_size set by the caller
       integer(c_int32_t) :: status
     end function ik_linear_result_info

     ! The getters: ik_status_t ik_linear_result_X(const ik_linear_result_t* result,
     !     double* out, size_t len). Shapes (row-major in C, so reversed in Fortran):
     !   params, stderr   cols x n_rhs  -> out(n_rhs, cols)
     !   cov_unscaled, corr  cols x cols (symmetric)
     !   cov_scale, chi2, r2  n_rhs values
     !   residuals        rows x n_rhs  -> out(n_rhs, rows)
     !   singular_values  min(rows, cols) values
     function ik_linear_result_params(result, out, len) &
          bind(C, name="ik_linear_result_params") result(status)
       import :: c_int32_t, c_size_t, c_double, c_ptr
       type(c_ptr), value :: result
       real(c_double), intent(out) :: out(*)
       integer(c_size_t), value :: len
       integer(c_int32_t) :: status
     end function ik_linear_result_params

     function ik_linear_result_stderr(result, out, len) &
          bind(C, name="ik_linear_result_stderr") result(status)
       import :: c_int32_t, c_size_t, c_double, c_ptr
       type(c_ptr), value :: result
       real(c_double), intent(out) :: out(*)
       integer(c_size_t), value :: len
       integer(c_int32_t) :: status
     end function ik_linear_result_stderr

     ! ik_status_t ik_linear_result_cov(const ik_linear_result_t* result, size_t rhs,
     !     double* out, size_t len); rhs is 0-based.
     function ik_linear_result_cov(result, rhs, out, len) &
          bind(C, name="ik_linear_result_cov") result(status)
       import :: c_int32_t, c_size_t, c_double, c_ptr
       type(c_ptr), value :: result
       integer(c_size_t), value :: rhs
       real(c_double), intent(out) :: out(*)
       integer(c_size_t), value :: len
       integer(c_int32_t) :: status
     end function ik_linear_result_cov

     function ik_linear_result_cov_unscaled(result, out, len) &
          bind(C, name="ik_linear_result_cov_unscaled") result(status)
       import :: c_int32_t, c_size_t, c_double, c_ptr
       type(c_ptr), value :: result
       real(c_double), intent(out) :: out(*)
       integer(c_size_t), value :: len
       integer(c_int32_t) :: status
     end function ik_linear_result_cov_unscaled

     function ik_linear_result_cov_scale(result, out, len) &
          bind(C, name="ik_linear_result_cov_scale") result(status)
       import :: c_int32_t, c_size_t, c_double, c_ptr
       type(c_ptr), value :: result
       real(c_double), intent(out) :: out(*)
       integer(c_size_t), value :: len
       integer(c_int32_t) :: status
     end function ik_linear_result_cov_scale

     function ik_linear_result_corr(result, out, len) &
          bind(C, name="ik_linear_result_corr") result(status)
       import :: c_int32_t, c_size_t, c_double, c_ptr
       type(c_ptr), value :: result
       real(c_double), intent(out) :: out(*)
       integer(c_size_t), value :: len
       integer(c_int32_t) :: status
     end function ik_linear_result_corr

     function ik_linear_result_residuals(result, out, len) &
          bind(C, name="ik_linear_result_residuals") result(status)
       import :: c_int32_t, c_size_t, c_double, c_ptr
       type(c_ptr), value :: result
       real(c_double), intent(out) :: out(*)
       integer(c_size_t), value :: len
       integer(c_int32_t) :: status
     end function ik_linear_result_residuals

     function ik_linear_result_chi2(result, out, len) &
          bind(C, name="ik_linear_result_chi2") result(status)
       import :: c_int32_t, c_size_t, c_double, c_ptr
       type(c_ptr), value :: result
       real(c_double), intent(out) :: out(*)
       integer(c_size_t), value :: len
       integer(c_int32_t) :: status
     end function ik_linear_result_chi2

     function ik_linear_result_r2(result, out, len) &
          bind(C, name="ik_linear_result_r2") result(status)
       import :: c_int32_t, c_size_t, c_double, c_ptr
       type(c_ptr), value :: result
       real(c_double), intent(out) :: out(*)
       integer(c_size_t), value :: len
       integer(c_int32_t) :: status
     end function ik_linear_result_r2

     function ik_linear_result_singular_values(result, out, len) &
          bind(C, name="ik_linear_result_singular_values") result(status)
       import :: c_int32_t, c_size_t, c_double, c_ptr
       type(c_ptr), value :: result
       real(c_double), intent(out) :: out(*)
       integer(c_size_t), value :: len
       integer(c_int32_t) :: status
     end function ik_linear_result_singular_values

     ! ik_status_t ik_linear_predict(const ik_linear_result_t* result, const double* a_new,
     !     size_t rows, size_t cols, int32_t layout, double* mean, double* std /* nullable */)
     ! mean and std are rows x n_rhs row-major: Fortran mean(n_rhs, rows).
     function ik_linear_predict(result, a_new, rows, cols, layout, mean, std) &
          bind(C, name="ik_linear_predict") result(status)
       import :: c_int32_t, c_size_t, c_double, c_ptr
       type(c_ptr), value :: result
       real(c_double), intent(in) :: a_new(*)
       integer(c_size_t), value :: rows
       integer(c_size_t), value :: cols
       integer(c_int32_t), value :: layout
       real(c_double), intent(out) :: mean(*)
       type(c_ptr), value :: std             ! c_loc(std) or c_null_ptr
       integer(c_int32_t) :: status
     end function ik_linear_predict

     ! ik_status_t ik_linear_predict_x(const ik_linear_result_t* result, const double* x,
     !     size_t n, double* mean, double* std /* nullable */)
     function ik_linear_predict_x(result, x, n, mean, std) &
          bind(C, name="ik_linear_predict_x") result(status)
       import :: c_int32_t, c_size_t, c_double, c_ptr
       type(c_ptr), value :: result
       real(c_double), intent(in) :: x(*)
       integer(c_size_t), value :: n
       real(c_double), intent(out) :: mean(*)
       type(c_ptr), value :: std             ! c_loc(std) or c_null_ptr
       integer(c_int32_t) :: status
     end function ik_linear_predict_x

     ! void ik_linear_result_free(ik_linear_result_t* result)
     subroutine ik_linear_result_free(result) bind(C, name="ik_linear_result_free")
       import :: c_ptr
       type(c_ptr), value :: result
     end subroutine ik_linear_result_free

     ! size_t strlen(const char*), for the string helpers below.
     function c_strlen(s) bind(C, name="strlen") result(n)
       import :: c_ptr, c_size_t
       type(c_ptr), value :: s
       integer(c_size_t) :: n
     end function c_strlen
  end interface

contains

  ! Copy a NUL-terminated C string (e.g. ik_version(), ik_status_string(s)) into a Fortran
  ! string; c_null_ptr gives "".
  function ik_c_string(p) result(s)
    type(c_ptr), intent(in) :: p
    character(len=:), allocatable :: s
    character(kind=c_char), pointer :: chars(:)
    integer(c_size_t) :: n, i

    if (.not. c_associated(p)) then
       s = ''
       return
    end if
    n = c_strlen(p)
    allocate(character(len=n) :: s)
    if (n == 0) return
    call c_f_pointer(p, chars, [n])
    do i = 1, n
       s(i:i) = chars(i)
    end do
  end function ik_c_string

  ! The message of the last failure on the calling thread (ik_last_error()), "" if none.
  function ik_error_message() result(s)
    character(len=:), allocatable :: s
    s = ik_c_string(ik_last_error())
  end function ik_error_message

end module inferkit
