package dev.llmgateway.calls;

import java.lang.reflect.Method;
import java.util.Optional;
import java.util.concurrent.Executor;
import java.util.concurrent.ThreadFactory;

/**
 * Virtual threads, where the JVM has them (Java 21 and later): a call waiting on its upstream then holds no
 * platform thread. Looked up by reflection, so that the gateway still runs on Java 17, carrying each call on its
 * request thread there.
 */
public final class CallThreads {

    private static final ThreadFactory VIRTUAL = lookUp();

    private CallThreads() {
    }

    /** A factory of virtual threads named {@code gateway-call-N}, or empty on a JVM without them. */
    public static Optional<ThreadFactory> virtual() {
        return Optional.ofNullable(VIRTUAL);
    }

    /** Runs each task on a virtual thread of its own, or, on a JVM without them, on the thread that hands it over. */
    public static Executor elsewhere() {
        return VIRTUAL == null ? Runnable::run : task -> VIRTUAL.newThread(task).start();
    }

    private static ThreadFactory lookUp() {
        try {
            Object builder = Thread.class.getMethod("ofVirtual").invoke(null);
            Class<?> type = Class.forName("java.lang.Thread$Builder");
            Method name = type.getMethod("name", String.class, long.class);
            return (ThreadFactory) type.getMethod("factory").invoke(name.invoke(builder, "gateway-call-", 0L));
        } catch (ReflectiveOperationException | LinkageError noVirtualThreads) {
            return null;
        }
    }
}
