// header_cxx.cpp - include/inferkit.h must compile as C++11 (extern "C", no C-only syntax).
#include "inferkit.h"

int main() {
    ik_linear_options_t options;
    ik_linear_result_t* result = nullptr;
    ik_status_t status = ik_linear_options_default(&options);
    ik_linear_result_free(result);
    return ik_version()[0] != '\0' && status == IK_OK ? 0 : 1;
}
