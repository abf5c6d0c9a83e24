package io.predastore.node.erasure;

/**
 * Chooses the {@link CodingKernel} at start-up. When module {@code jdk.incubator.vector} is in the boot layer (JVM
 * flag {@code --add-modules jdk.incubator.vector}) the default is a {@link WarmingCodingKernel}: scalar until the
 * Vector API kernel has been compiled and measured faster, then vector. Otherwise it is the scalar kernel. System
 * property {@code predastore.erasure.kernel} forces one: {@code scalar}, or {@code vector} (from the first call,
 * as benchmarks want).
 *
 * <p>The vector kernel class is loaded reflectively, so this code runs on JVMs without the module. Thread-safe.
 */
final class Kernels {

    /** System property that forces a kernel: {@code scalar} or {@code vector}; anything else means automatic. */
    static final String PROPERTY = "predastore.erasure.kernel";

    private static final String VECTOR_MODULE = "jdk.incubator.vector";
    private static final String VECTOR_CLASS = "io.predastore.node.erasure.VectorCodingKernel";

    private static final CodingKernel SCALAR = new ScalarCodingKernel();
    private static final CodingKernel DEFAULT = chooseDefault();

    private Kernels() {
    }

    static CodingKernel defaultKernel() {
        return DEFAULT;
    }

    static CodingKernel scalar() {
        return SCALAR;
    }

    /** Whether the Vector API module is present in the boot layer. */
    static boolean vectorModulePresent() {
        return ModuleLayer.boot().findModule(VECTOR_MODULE).isPresent();
    }

    /**
     * Returns the Vector API kernel.
     *
     * @throws IllegalStateException if the module is absent or the kernel cannot be loaded
     */
    static CodingKernel vector() {
        if (!vectorModulePresent()) {
            throw new IllegalStateException("module " + VECTOR_MODULE + " is not in the boot layer; start the JVM"
                    + " with --add-modules " + VECTOR_MODULE);
        }
        try {
            return (CodingKernel) Class.forName(VECTOR_CLASS).getDeclaredConstructor().newInstance();
        } catch (ReflectiveOperationException | LinkageError e) {
            throw new IllegalStateException("cannot load the vector erasure kernel", e);
        }
    }

    private static CodingKernel chooseDefault() {
        String forced = System.getProperty(PROPERTY, "auto");
        if ("scalar".equalsIgnoreCase(forced) || !vectorModulePresent()) {
            return SCALAR;
        }
        try {
            CodingKernel vector = vector();
            if ("vector".equalsIgnoreCase(forced)) {
                return vector;
            }
            // Without C2 the vector kernel never gets faster than its slow fallback: do not even warm it.
            return WarmingCodingKernel.optimizingCompilerEnabled() ? WarmingCodingKernel.start(SCALAR, vector)
                    : SCALAR;
        } catch (IllegalStateException e) {
            return SCALAR;
        }
    }
}
