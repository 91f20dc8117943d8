package dev.llmgateway.api;

import jakarta.inject.Inject;
import dev.llmgateway.events.GatewayEvents;
import jakarta.servlet.RequestDispatcher;
import jakarta.servlet.annotation.WebServlet;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import java.io.IOException;

/** The container's error page (see web.xml): paths outside the API get OpenAI-shaped JSON, not HTML. */
@WebServlet("/error")
public class ErrorPageServlet extends HttpServlet {

    @Inject
    GatewayEvents events;

    @Override
    protected void service(HttpServletRequest request, HttpServletResponse response) throws IOException {
        int status = request.getAttribute(RequestDispatcher.ERROR_STATUS_CODE) instanceof Integer code ? code : 404;
        // a failure that escaped a filter or servlet is answered as any other, counted and logged alike; Liberty also
        // attaches an exception to its own 404s, which stay 404s
        if (status >= 500 && request.getAttribute(RequestDispatcher.ERROR_EXCEPTION) instanceof Throwable escaped
                && !(escaped instanceof IOException)) { // an IOException is a client gone, not the gateway's failure
            ApiErrors.answering(escaped, events).writeTo(response);
            return;
        }
        ApiErrors.http(status).writeTo(response);
    }
}
