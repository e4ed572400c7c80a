package io.paylink.gateway.support;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

import org.jboss.logmanager.ExtLogRecord;

/** Everything the application logs while it is open, with each record's MDC as it was then. */
public final class LogCapture implements AutoCloseable {

    private final List<ExtLogRecord> records = new CopyOnWriteArrayList<>();
    private final Handler handler = new Handler() {
        @Override
        public void publish(LogRecord record) {
            ExtLogRecord ext = ExtLogRecord.wrap(record);
            ext.copyMdc();
            records.add(ext);
        }

        @Override
        public void flush() {
        }

        @Override
        public void close() {
        }
    };

    private LogCapture() {
        Logger.getLogger("").addHandler(handler);
    }

    public static LogCapture start() {
        return new LogCapture();
    }

    public List<ExtLogRecord> records() {
        return records;
    }

    /** Every record as text: its formatted message and the chain of any exception it carries. */
    public String text() {
        StringBuilder all = new StringBuilder();
        for (ExtLogRecord record : records) {
            all.append(record.getFormattedMessage());
            for (Throwable t = record.getThrown(); t != null; t = t.getCause()) {
                all.append(" | ").append(t);
            }
            all.append('\n');
        }
        return all.toString();
    }

    @Override
    public void close() {
        Logger.getLogger("").removeHandler(handler);
    }
}
