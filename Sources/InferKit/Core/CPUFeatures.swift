#if canImport(Glibc)
import Glibc
#endif

/// What the processor offers beyond the baseline the library is compiled for, read once.
enum CPUFeatures {
    /// The x86-64-v3 level (AVX, AVX2, BMI1/2, F16C, FMA, LZCNT, MOVBE, and the operating
    /// system saving the AVX registers: Linux lists `avx` only then), which the InferKitKernels
    /// module is compiled for. Read from the `flags` line of /proc/cpuinfo; false when it cannot
    /// be read, on other architectures, and when the environment variable INFERKIT_BASELINE_ONLY
    /// is set (to compare the two builds, or to rule them out).
    static let x86_64_v3: Bool = {
        #if arch(x86_64) && canImport(Glibc)
        if getenv("INFERKIT_BASELINE_ONLY") != nil { return false }
        guard let flags = cpuFlags() else { return false }
        let needed = ["avx", "avx2", "bmi1", "bmi2", "f16c", "fma", "abm", "movbe", "xsave"]
        return needed.allSatisfy(flags.contains)
        #else
        return false
        #endif
    }()

    /// Arrays of at least this many points run the x86-64-v3 build of the elementwise kernels
    /// (a call into the other module per array; short ones keep the inlined loops).
    static let wideKernelPoints = 32

    /// True when an array of `count` points should run the x86-64-v3 kernels.
    @inline(__always)
    static func usesWideKernels(_ count: Int) -> Bool { count >= wideKernelPoints && x86_64_v3 }

    /// The words of the first `flags` line of /proc/cpuinfo.
    static func cpuFlags() -> Set<String>? {
        #if canImport(Glibc)
        guard let file = fopen("/proc/cpuinfo", "r") else { return nil }
        defer { fclose(file) }
        var line: UnsafeMutablePointer<CChar>?
        var capacity = 0
        defer { free(line) }
        while getline(&line, &capacity, file) > 0 {
            guard let line else { break }
            let text = String(cString: line)
            guard text.hasPrefix("flags") else { continue }
            guard let colon = text.firstIndex(of: ":") else { return nil }
            return Set(text[text.index(after: colon)...].split(whereSeparator: { $0 == " " || $0 == "\n" || $0 == "\t" })
                .map(String.init))
        }
        return nil
        #else
        return nil
        #endif
    }
}
