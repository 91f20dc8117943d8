package dev.llmgateway.testing;

import jakarta.servlet.ServletOutputStream;
import jakarta.servlet.WriteListener;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import java.io.ByteArrayOutputStream;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.Proxy;

/** Servlet requests and responses for unit tests of filters and servlets: only the methods a test answers exist. */
public final class ServletFakes {

    private ServletFakes() {
    }

    public static HttpServletRequest request(InvocationHandler answers) {
        return (HttpServletRequest) Proxy.newProxyInstance(ServletFakes.class.getClassLoader(), new Class<?>[]{HttpServletRequest.class}, answers);
    }

    public static HttpServletResponse response(InvocationHandler answers) {
        return (HttpServletResponse) Proxy.newProxyInstance(ServletFakes.class.getClassLoader(), new Class<?>[]{HttpServletResponse.class}, answers);
    }

    /** A response body that lands in {@code body}. */
    public static ServletOutputStream into(ByteArrayOutputStream body) {
        return new ServletOutputStream() {
            @Override
            public boolean isReady() {
                return true;
            }

            @Override
            public void setWriteListener(WriteListener listener) {
            }

            @Override
            public void write(int b) {
                body.write(b);
            }
        };
    }
}
