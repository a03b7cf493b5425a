// swift-tools-version:6.0
// InferKit: the Swift core (InferKit), the C-ABI layer (CInterface) that becomes
// libinferkit.so, and the system-library module for LAPACKE/CBLAS (CLapack).
import PackageDescription

let package = Package(
    name: "InferKit",
    products: [
        // libinferkit.so: built by `make lib` with -static-stdlib, a version script and a soname.
        .library(name: "inferkit", type: .dynamic, targets: ["CInterface"]),
        .library(name: "InferKit", targets: ["InferKit"]),
    ],
    targets: [
        .systemLibrary(name: "CLapack", path: "Sources/CLapack"),
        // include/inferkit.h as a Clang module, so the @_cdecl layer uses the contract's own
        // struct layouts and constants.
        .systemLibrary(name: "CInferKitABI", path: "Sources/CInferKitABI"),
        .target(
            name: "InferKit",
            dependencies: ["CLapack"],
            path: "Sources/InferKit"
        ),
        .target(name: "CInterface", dependencies: ["InferKit", "CInferKitABI"], path: "Sources/CInterface"),
        .testTarget(name: "InferKitTests", dependencies: ["InferKit"], path: "Tests/InferKitTests"),
    ],
    swiftLanguageModes: [.v5]
)
