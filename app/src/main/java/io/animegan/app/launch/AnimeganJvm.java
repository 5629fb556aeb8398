package io.animegan.app.launch;

import io.animegan.app.Main;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The one way to start {@code animegan <args>} in a child JVM: {@code java @<argfile>}, the file
 * holding {@code <jvm options> -cp <this JVM's class path> io.animegan.app.Main <args>}. The
 * argument file keeps the command line short however long the class path is: ONNX Runtime 1.29
 * crashes when the command line is longer than about 4 KB (see BUILD-NOTES).
 */
public final class AnimeganJvm {

    /** The JVM options the {@code animegan} script uses by default. */
    public static final List<String> DEFAULT_OPTIONS = List.of(
            "-Xss4m",
            "-Xms64m",
            "-Xmx1g",
            "-XX:MinHeapFreeRatio=10",
            "-XX:MaxHeapFreeRatio=30",
            "-XX:G1PeriodicGCInterval=10000");

    /** The glibc arena limit the {@code animegan} script sets unless the environment has one. */
    static final String MALLOC_ARENA_MAX = "2";

    /** The glibc tunables the {@code animegan} script sets unless the environment has some: huge pages for malloc. */
    static final String GLIBC_TUNABLES = "glibc.malloc.hugetlb=1";

    private AnimeganJvm() {}

    /**
     * A process builder for {@code java @argFile}, with {@code argFile} written; the caller adds
     * redirects and environment (credentials go there, never on the command line).
     */
    public static ProcessBuilder builder(Path argFile, List<String> jvmOptions, List<String> args) throws IOException {
        List<String> lines = new ArrayList<>();
        jvmOptions.forEach(option -> lines.add(quoted(option)));
        lines.add("-cp");
        lines.add(quoted(classPath()));
        lines.add(Main.class.getName());
        args.forEach(arg -> lines.add(quoted(arg)));
        Files.write(argFile, lines);
        ProcessBuilder builder = new ProcessBuilder(java().toString(), "@" + argFile);
        builder.environment().putIfAbsent("MALLOC_ARENA_MAX", MALLOC_ARENA_MAX);
        builder.environment().putIfAbsent("GLIBC_TUNABLES", GLIBC_TUNABLES);
        return builder;
    }

    /**
     * This JVM's class path: under Surefire the tests' one; from {@code java -jar x.jar} the jar,
     * whose manifest class path names the rest.
     */
    public static String classPath() {
        return System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
    }

    /** The {@code java} of this JVM. */
    public static Path java() {
        return Path.of(System.getProperty("java.home"), "bin", "java");
    }

    /** An argument-file token: quoted, backslashes escaped, so paths with spaces survive. */
    static String quoted(String value) {
        return "\"" + value.replace("\\", "\\\\") + "\"";
    }
}
