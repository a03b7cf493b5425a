/// The failures of InferKit's core, one case per failure class of the C contract.
///
/// Every message is one sentence that names the argument and the value, e.g.
/// "sigma[3] is 0: every sigma must be > 0". The C layer maps each case to an `ik_status_t`.
public enum InferKitError: Error, CustomStringConvertible, Equatable, Sendable {
    /// An argument is out of its allowed range (bad option, bad enum value, sigma <= 0).
    case invalidArgument(String)
    /// Sizes are zero or do not match each other.
    case dimensionMismatch(String)
    /// An input array holds NaN or infinity.
    case nonFinite(String)
    /// The problem is singular or rank-deficient.
    case singular(String)
    /// An iteration stopped before converging.
    case notConverged(String)
    /// A caller's callback asked to stop or failed.
    case callbackFailed(String)
    /// A formula could not be parsed.
    case parse(String)
    /// An allocation failed or a size overflowed.
    case outOfMemory(String)
    /// An internal inconsistency (a LAPACK argument error, say): a bug in InferKit.
    case `internal`(String)

    /// The one-sentence message.
    public var message: String {
        switch self {
        case .invalidArgument(let m), .dimensionMismatch(let m), .nonFinite(let m),
             .singular(let m), .notConverged(let m), .callbackFailed(let m), .parse(let m),
             .outOfMemory(let m), .internal(let m):
            return m
        }
    }

    public var description: String { message }
}
