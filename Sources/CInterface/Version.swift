import InferKit

/// Version numbers; the header's IK_VERSION_* macros must agree (tested).
enum Version {
    static let major: Int32 = 0
    static let minor: Int32 = 1
    static let patch: Int32 = 0
    static let string: StaticString = "0.1.0"
}

/// const char* ik_version(void)
@_cdecl("ik_version")
public func ik_version() -> UnsafePointer<CChar> {
    UnsafeRawPointer(Version.string.utf8Start).assumingMemoryBound(to: CChar.self)
}

/// int32_t ik_version_number(void)
@_cdecl("ik_version_number")
public func ik_version_number() -> Int32 {
    Version.major * 10000 + Version.minor * 100 + Version.patch
}

/// const char* ik_status_string(ik_status_t)
@_cdecl("ik_status_string")
public func ik_status_string(_ status: Int32) -> UnsafePointer<CChar> {
    let name: StaticString
    switch Status(rawValue: status) {
    case .ok?: name = "IK_OK"
    case .invalidArgument?: name = "IK_ERR_INVALID_ARGUMENT"
    case .dimension?: name = "IK_ERR_DIMENSION"
    case .nonFinite?: name = "IK_ERR_NONFINITE"
    case .singular?: name = "IK_ERR_SINGULAR"
    case .notConverged?: name = "IK_ERR_NOT_CONVERGED"
    case .callback?: name = "IK_ERR_CALLBACK"
    case .parse?: name = "IK_ERR_PARSE"
    case .noMemory?: name = "IK_ERR_NO_MEMORY"
    case .internal?: name = "IK_ERR_INTERNAL"
    case nil: name = "IK_UNKNOWN"
    }
    return UnsafeRawPointer(name.utf8Start).assumingMemoryBound(to: CChar.self)
}

/// const char* ik_last_error(void)
@_cdecl("ik_last_error")
public func ik_last_error() -> UnsafePointer<CChar> {
    LastError.get()
}
