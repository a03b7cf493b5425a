// swift-tools-version:6.0
// InferKit: the Swift core (InferKit), the C-ABI layer (CInterface) that becomes
// libinferkit.so, and the system-library module for LAPACKE/CBLAS (CLapack).
import PackageDescription

/// x86-64-v3 code generation for the kernels module on x86-64 hosts (elsewhere the baseline).
#if arch(x86_64)
let kernelSettings: [SwiftSetting] = [.unsafeFlags(["-target-cpu", "haswell"])]
#else
let kernelSettings: [SwiftSetting] = []
#endif

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
        // The kernels InferKit runs in a second build for x86-64-v3 (AVX2) when the processor
        // has it (Sources/InferKitKernels/ExpKernel.swift); InferKit also inlines them for the
        // baseline. Swift has no per-function target attribute, so they are a module of their own.
        .target(
            name: "InferKitKernels",
            path: "Sources/InferKitKernels",
            swiftSettings: kernelSettings
        ),
        .target(
            name: "InferKit",
            dependencies: ["CLapack", "InferKitKernels"],
            path: "Sources/InferKit"
        ),
        .target(name: "CInterface", dependencies: ["InferKit", "CInferKitABI"], path: "Sources/CInterface"),
        .testTarget(name: "InferKitTests", dependencies: ["InferKit"], path: "Tests/InferKitTests"),
    ],
    swiftLanguageModes: [.v5]
)
