package dev.llmgateway.calls;

import dev.llmgateway.telemetry.UnexpectedFailures;
import jakarta.servlet.ServletRequest;

import java.util.ArrayList;
import java.util.List;

/**
 * What filters do once their request is answered: end its span, count it, release its export route. A request
 * answered on the thread it arrived on runs these as the filters unwind; one whose call another thread carries runs
 * them when that thread has written the answer, whichever comes second.
 */
public final class RequestEnd {

    private static final String ATTRIBUTE = RequestEnd.class.getName();

    private final List<Runnable> actions = new ArrayList<>(4);
    private boolean ended;

    private RequestEnd() {
    }

    /** Marks the request as answered by another thread: actions registered from now on wait for {@link #run()}. */
    public static RequestEnd defer(ServletRequest request) {
        RequestEnd end = new RequestEnd();
        request.setAttribute(ATTRIBUTE, end);
        return end;
    }

    /** Runs {@code action} once the request is answered: now, unless another thread is still answering it. */
    public static void after(ServletRequest request, Runnable action) {
        if (request.getAttribute(ATTRIBUTE) instanceof RequestEnd end) {
            end.add(action);
        } else {
            action.run();
        }
    }

    private void add(Runnable action) {
        synchronized (this) {
            if (!ended) {
                actions.add(action);
                return;
            }
        }
        action.run();
    }

    /** The request is answered: runs the actions registered so far, in order; later ones run as they are registered. */
    public void run() {
        List<Runnable> due;
        synchronized (this) {
            ended = true;
            due = List.copyOf(actions);
            actions.clear();
        }
        for (Runnable action : due) {
            try {
                action.run();
            } catch (RuntimeException | Error e) {
                UnexpectedFailures.report(e); // the other actions still run: spans end, routes are released
            }
        }
    }
}
