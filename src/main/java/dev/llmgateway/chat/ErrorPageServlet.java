package dev.llmgateway.chat;

import jakarta.servlet.RequestDispatcher;
import jakarta.servlet.annotation.WebServlet;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import java.io.IOException;

/** The container's error page (see web.xml): paths outside the API get OpenAI-shaped JSON, not HTML. */
@WebServlet("/error")
public class ErrorPageServlet extends HttpServlet {

    @Override
    protected void service(HttpServletRequest request, HttpServletResponse response) throws IOException {
        Object status = request.getAttribute(RequestDispatcher.ERROR_STATUS_CODE);
        if (request.getAttribute(RequestDispatcher.ERROR_EXCEPTION) instanceof Throwable escaped) {
            // escaped a filter or servlet: answered as the gateway answers any failure, counted and logged alike
            ApiErrors.answering(escaped).writeTo(response);
            return;
        }
        ApiErrors.http(status instanceof Integer code ? code : 404).writeTo(response);
    }
}
