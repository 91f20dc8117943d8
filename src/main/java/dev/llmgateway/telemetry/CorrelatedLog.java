package dev.llmgateway.telemetry;

import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanContext;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

/**
 * Log records that carry their trace: {@code trace_id}, {@code span_id} and any other fields, written three ways
 * at once so that each runtime's format shows them as fields of their own. In plain text they close the message
 * as {@code key=value}; Payara's JSON formatter turns a map parameter into top-level fields; Liberty's JSON
 * logs show {@code LogRecordContext} extensions as {@code ext_<key>} fields.
 */
public final class CorrelatedLog {

    private static final MethodHandle ADD_EXTENSION;
    private static final MethodHandle REMOVE_EXTENSION;

    static {
        MethodHandle add = null;
        MethodHandle remove = null;
        try {
            Class<?> context = Class.forName("com.ibm.websphere.logging.hpel.LogRecordContext");
            MethodHandles.Lookup lookup = MethodHandles.publicLookup();
            add = lookup.findStatic(context, "addExtension", MethodType.methodType(void.class, String.class, String.class));
            remove = lookup.findStatic(context, "removeExtension", MethodType.methodType(boolean.class, String.class));
        } catch (ReflectiveOperationException | LinkageError notLiberty) {
            // not on Liberty: the map parameter and the message text carry the fields
        }
        ADD_EXTENSION = add;
        REMOVE_EXTENSION = remove;
    }

    private CorrelatedLog() {
    }

    /** Logs with the current span's ids. */
    public static void log(Logger logger, Level level, String message, Throwable failure) {
        log(logger, level, message, Span.current().getSpanContext(), Map.of(), failure);
    }

    /** Logs with the given span's ids and fields, in the order given. */
    public static void log(Logger logger, Level level, String message, SpanContext span, Map<String, String> fields, Throwable failure) {
        if (!logger.isLoggable(level)) {
            return;
        }
        Map<String, String> all = new LinkedHashMap<>(fields);
        if (span.isValid()) {
            all.put("trace_id", span.getTraceId());
            all.put("span_id", span.getSpanId());
        }
        // sized for the fields at once, not grown from the message
        StringBuilder text = new StringBuilder(message.length() + 40 * all.size()).append(message);
        all.forEach((key, value) -> text.append(' ').append(key).append('=').append(value));
        LogRecord record = new LogRecord(level, text.toString());
        record.setLoggerName(logger.getName());
        // named here so the handler does not walk the stack to find the caller
        record.setSourceClassName(logger.getName());
        record.setSourceMethodName(null);
        if (ADD_EXTENSION == null) {
            // Liberty prints a record's parameters on a line of their own: its extensions carry the fields there
            record.setParameters(new Object[]{all});
        }
        record.setThrown(failure);
        addExtensions(all);
        try {
            logger.log(record);
        } finally {
            removeExtensions(all);
        }
    }

    private static void addExtensions(Map<String, String> fields) {
        if (ADD_EXTENSION != null) {
            fields.forEach((key, value) -> invoke(ADD_EXTENSION, key, value));
        }
    }

    private static void removeExtensions(Map<String, String> fields) {
        if (REMOVE_EXTENSION != null) {
            fields.keySet().forEach(key -> invoke(REMOVE_EXTENSION, key, null));
        }
    }

    private static void invoke(MethodHandle handle, String key, String value) {
        try {
            if (value == null) {
                handle.invoke(key);
            } else {
                handle.invoke(key, value);
            }
        } catch (Throwable e) {
            // a logging extension that fails must not fail the request
        }
    }
}
