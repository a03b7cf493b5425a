import InferKit
#if canImport(Glibc)
import Glibc
#endif

/// ik_status_t codes (include/inferkit.h, enum ik_status_code).
enum Status: Int32 {
    case ok = 0
    case invalidArgument = 1
    case dimension = 2
    case nonFinite = 3
    case singular = 4
    case notConverged = 5
    case callback = 6
    case parse = 7
    case noMemory = 8
    case `internal` = 9

    /// The status of a core error.
    init(_ error: InferKitError) {
        switch error {
        case .invalidArgument: self = .invalidArgument
        case .dimensionMismatch: self = .dimension
        case .nonFinite: self = .nonFinite
        case .singular: self = .singular
        case .notConverged: self = .notConverged
        case .callbackFailed: self = .callback
        case .parse: self = .parse
        case .outOfMemory: self = .noMemory
        case .internal: self = .internal
        }
    }
}

/// The thread-local message of the last failure (ik_last_error), kept in a malloc'd C string
/// per thread and freed when the thread exits.
enum LastError {
    nonisolated(unsafe) private static var key: pthread_key_t = {
        var k = pthread_key_t()
        pthread_key_create(&k) { free($0) }
        return k
    }()

    private static let empty: StaticString = ""

    /// Replaces the calling thread's message.
    static func set(_ message: String) {
        let old = pthread_getspecific(key)
        let copy = strdup(message)
        pthread_setspecific(key, copy.map { UnsafeMutableRawPointer($0) })
        free(old)
    }

    /// The calling thread's message ("" before any failure).
    static func get() -> UnsafePointer<CChar> {
        if let p = pthread_getspecific(key) {
            return UnsafePointer(p.assumingMemoryBound(to: CChar.self))
        }
        return UnsafeRawPointer(empty.utf8Start).assumingMemoryBound(to: CChar.self)
    }
}

/// Records a failure and returns its code.
func fail(_ status: Status, _ message: String) -> Int32 {
    LastError.set(message)
    return status.rawValue
}

/// Runs one exported call: maps thrown core errors to status codes and messages.
func guarded(_ body: () throws -> Void) -> Int32 {
    do {
        try body()
        return Status.ok.rawValue
    } catch let e as InferKitError {
        return fail(Status(e), e.message)
    } catch let e as ArgumentError {
        return fail(e.status, e.message)
    } catch {
        return fail(.internal, "unexpected error: \(error)")
    }
}

/// A failure found while checking arguments at the boundary.
struct ArgumentError: Error {
    let status: Status
    let message: String
}

/// Throws IK_ERR_INVALID_ARGUMENT when a pointer argument is NULL.
func requireNonNull<T>(_ p: T?, _ name: String) throws -> T {
    guard let p else { throw ArgumentError(status: .invalidArgument, message: "\(name) is NULL") }
    return p
}

/// rows * cols, or IK_ERR_NO_MEMORY when the product overflows.
func product(_ a: Int, _ b: Int, _ what: String) throws -> Int {
    let (r, o) = a.multipliedReportingOverflow(by: b)
    guard !o else { throw ArgumentError(status: .noMemory, message: "\(what) has \(a) x \(b) elements: the size overflows") }
    return r
}

/// A size_t length as Int, rejecting values beyond Int.max.
func length(_ n: Int, _ name: String) throws -> Int {
    guard n >= 0 else { throw ArgumentError(status: .dimension, message: "\(name) is too large") }
    return n
}

/// The layout flag (IK_ROW_MAJOR = 101, IK_COL_MAJOR = 102).
func layout(_ v: Int32, _ name: String) throws -> MatrixLayout {
    switch v {
    case 101: return .rowMajor
    case 102: return .columnMajor
    default:
        throw ArgumentError(status: .invalidArgument,
                            message: "\(name) is \(v): use IK_ROW_MAJOR (101) or IK_COL_MAJOR (102)")
    }
}

/// Checks that an output buffer holds at least `needed` elements.
func requireLength(_ len: Int, _ needed: Int, _ name: String, _ what: String) throws {
    guard len >= needed else {
        throw ArgumentError(status: .dimension,
                            message: "\(name) has room for \(len) values but \(what) needs \(needed)")
    }
}

/// A 0/1 option or argument as a Bool; IK_ERR_INVALID_ARGUMENT naming it otherwise.
func flag(_ v: Int32, _ name: String) throws -> Bool {
    guard v == 0 || v == 1 else {
        throw ArgumentError(status: .invalidArgument, message: "\(name) is \(v): use 0 or 1")
    }
    return v == 1
}

/// Writes `count` values produced by `value(i)` into a caller buffer `out` after checking it.
func write(_ out: UnsafeMutablePointer<Double>?, _ len: Int, _ count: Int, _ what: String,
           _ value: (Int) -> Double) throws {
    let out = try requireNonNull(out, "out")
    try requireLength(len, count, "out", what)
    for i in 0..<count { out[i] = value(i) }
}

/// Writes into an optional output named `name` (NULL skips it) after checking its length.
func writeOptional(_ out: UnsafeMutablePointer<Double>?, _ name: String, _ len: Int, _ count: Int,
                   _ what: String, _ value: (Int) -> Double) throws {
    guard let out else { return }
    try requireLength(len, count, name, what)
    for i in 0..<count { out[i] = value(i) }
}

/// A non-NULL input vector `name` of n > 0 values (its length argument is `lengthName`).
func vector(_ p: UnsafePointer<Double>?, _ n: Int, _ name: String, _ lengthName: String) throws -> UnsafeBufferPointer<Double> {
    let p = try requireNonNull(p, name)
    let n = try length(n, lengthName)
    guard n > 0 else {
        throw ArgumentError(status: .dimension, message: "\(lengthName) is 0: \(name) needs at least one value")
    }
    return UnsafeBufferPointer(start: p, count: n)
}

/// `covariance`, or IK_ERR_SINGULAR with `issue` (why there is none) after filling the caller's
/// `out` (`count` values, `what` names it) with NaN: what every covariance getter returns.
func covarianceOrFail(_ covariance: DenseMatrix?, issue: String?, _ out: UnsafeMutablePointer<Double>?, _ len: Int,
                      count: Int, what: String) throws -> DenseMatrix {
    guard let c = covariance else {
        try write(out, len, count, what) { _ in .nan }
        throw ArgumentError(status: .singular, message: "no covariance: " + (issue ?? "it could not be computed"))
    }
    return c
}
