package dev.llmgateway.api;

import dev.llmgateway.admission.CallsInFlight;
import dev.llmgateway.calls.CallCarrier;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import java.io.IOException;

/**
 * The one way a call that reaches an upstream is let in, on every route: admitted on its request thread while places
 * are free (else 429 at once, the body unread), carried on a thread of its own, and counted in flight while it runs.
 */
@ApplicationScoped
class CallAdmission {

    @Inject
    CallsInFlight callsInFlight;

    @Inject
    CallCarrier carrier;

    /** Carries {@code call} on a thread of its own, or refuses the request here with 429. */
    void carry(HttpServletRequest http, HttpServletResponse response, Runnable call) throws IOException {
        CallsInFlight.Admission admission = callsInFlight.tryAdmit();
        if (admission == null) {
            // refused here on the request thread, the body unread: a surge takes no call thread and no asynchronous request
            ApiErrors.tooManyCalls().writeTo(response);
            return;
        }
        // admitted until its thread runs: a client that then trickles its body holds nothing of anyone else's
        carrier.carry(http, admission::started, call);
    }

    /** As {@link #carry}, for a route that takes POST only: any other method is 405 here. */
    void carryPost(HttpServletRequest http, HttpServletResponse response, Runnable call) throws IOException {
        if (!"POST".equals(http.getMethod())) {
            response.setHeader("Allow", "POST");
            ApiErrors.http(405).writeTo(response);
            return;
        }
        carry(http, response, call);
    }

    /** Writes a whole JSON answer. */
    static void json(HttpServletResponse response, byte[] answer) throws IOException {
        response.setContentType("application/json");
        response.setContentLength(answer.length);
        response.getOutputStream().write(answer);
    }

    /** Runs {@code call} counted in flight, once its request is read; answers 429 instead when as many calls run already. */
    void inFlight(HttpServletResponse response, Call call) throws IOException {
        // counted once its body is in: a client trickling a body holds no place of a call, only its memory share
        if (!callsInFlight.tryEnter()) {
            ApiErrors.tooManyCalls().writeTo(response);
            return;
        }
        try {
            call.run();
        } finally {
            callsInFlight.leave();
        }
    }

    @FunctionalInterface
    interface Call {
        void run() throws IOException;
    }
}
