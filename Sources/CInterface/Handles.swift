#if canImport(Glibc)
import Glibc
#endif

/// The one handle table: every opaque handle given to C is a retained Swift object whose
/// address is registered here, so that a freed, foreign or garbage pointer is recognised and
/// rejected instead of being dereferenced.
final class HandleTable: @unchecked Sendable {
    static let shared = HandleTable()
    private var live: [UnsafeMutableRawPointer: AnyObject] = [:]
    private var lock = pthread_mutex_t()

    private init() { pthread_mutex_init(&lock, nil) }

    /// Registers an object and returns its handle.
    func register(_ object: AnyObject) -> UnsafeMutableRawPointer {
        let h = Unmanaged.passUnretained(object).toOpaque()
        pthread_mutex_lock(&lock)
        live[h] = object
        pthread_mutex_unlock(&lock)
        return h
    }

    /// The live object of type T behind a handle, or nil.
    func lookup<T: AnyObject>(_ h: UnsafeRawPointer?, as: T.Type) -> T? {
        guard let h else { return nil }
        pthread_mutex_lock(&lock)
        defer { pthread_mutex_unlock(&lock) }
        return live[UnsafeMutableRawPointer(mutating: h)] as? T
    }

    /// Unregisters (and so releases) a handle of type T; NULL, unknown handles and handles of
    /// another type are ignored.
    func release<T: AnyObject>(_ h: UnsafeRawPointer?, as: T.Type) {
        guard let h else { return }
        let key = UnsafeMutableRawPointer(mutating: h)
        pthread_mutex_lock(&lock)
        var object: AnyObject? = nil
        if live[key] is T { object = live.removeValue(forKey: key) }
        pthread_mutex_unlock(&lock)
        _ = object  // released here, outside the lock
    }
}

extension HandleTable {
    /// The live object of type T behind the C handle `h`, or IK_ERR_INVALID_ARGUMENT naming the
    /// argument (`name`) and the C type (`cType`) when it is NULL, freed or of another type.
    func object<T: AnyObject>(_ h: OpaquePointer?, as type: T.Type, name: String, cType: String) throws -> T {
        guard let h else { throw ArgumentError(status: .invalidArgument, message: "\(name) is NULL") }
        guard let object = lookup(UnsafeRawPointer(h), as: type) else {
            throw ArgumentError(status: .invalidArgument,
                                message: "\(name) \(h) is not a live \(cType) (freed, or never created)")
        }
        return object
    }

    /// Registers `object` and stores its handle in *out.
    func publish(_ object: AnyObject, into out: UnsafeMutablePointer<OpaquePointer?>) {
        out.pointee = OpaquePointer(register(object))
    }
}
