package org.allocator4j.api;

import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.lang.reflect.Method;
import java.nio.charset.StandardCharsets;

/**
 * Captures what is logged to the {@code System.Logger} named {@code org.allocator4j} (where the resolver
 * reports broken providers) while it is open, and keeps it out of the test output.
 *
 * <p>In the test JVM that logger is backed by {@code java.util.logging}. The tests are compiled inside the
 * api module, which reads only {@code java.base}, so this class reaches {@code java.util.logging} by
 * reflection; at run time the tests are on the class path, where every module is readable.
 */
final class LogCapture implements AutoCloseable {
    private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    private final Object logger;
    private final Object handler;

    private LogCapture() throws ReflectiveOperationException {
        Class<?> loggerType = Class.forName("java.util.logging.Logger");
        Class<?> handlerType = Class.forName("java.util.logging.Handler");
        Class<?> formatterType = Class.forName("java.util.logging.Formatter");
        Object formatter = Class.forName("java.util.logging.SimpleFormatter").getConstructor().newInstance();
        logger = loggerType.getMethod("getLogger", String.class).invoke(null, "org.allocator4j");
        handler = Class.forName("java.util.logging.StreamHandler")
                .getConstructor(OutputStream.class, formatterType).newInstance(bytes, formatter);
        loggerType.getMethod("addHandler", handlerType).invoke(logger, handler);
        loggerType.getMethod("setUseParentHandlers", boolean.class).invoke(logger, false);
    }

    /** {@return a capture of the {@code org.allocator4j} logger, until it is closed} */
    static LogCapture open() {
        try {
            return new LogCapture();
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("java.util.logging is not usable in the test JVM", e);
        }
    }

    /** {@return everything logged so far, formatted by {@code SimpleFormatter}} */
    String text() {
        call(handler, "flush");
        return bytes.toString(StandardCharsets.UTF_8);
    }

    @Override
    public void close() {
        try {
            Class<?> loggerType = logger.getClass();
            loggerType.getMethod("removeHandler", Class.forName("java.util.logging.Handler")).invoke(logger, handler);
            loggerType.getMethod("setUseParentHandlers", boolean.class).invoke(logger, true);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void call(Object target, String method) {
        try {
            Method m = target.getClass().getMethod(method);
            m.invoke(target);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException(e);
        }
    }
}
