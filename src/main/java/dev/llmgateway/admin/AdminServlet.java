package dev.llmgateway.admin;

import dev.llmgateway.json.Json;
import dev.llmgateway.keys.KeyAdmin;
import dev.llmgateway.keys.KeyAdminException;
import dev.llmgateway.ledger.FeedbackRefusedException;
import dev.llmgateway.ledger.LedgerQueries;
import dev.llmgateway.ledger.LedgerUnavailableException;
import dev.llmgateway.request.ApiError;
import dev.llmgateway.request.RequestState;
import jakarta.inject.Inject;
import jakarta.json.JsonObject;
import jakarta.servlet.annotation.WebServlet;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.Semaphore;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The admin API over the usage ledger: {@code GET /admin/v1/inferences[/{id}]}, {@code GET /admin/v1/usage} (the admin
 * key only) and {@code POST /admin/v1/feedback} (the admin key, or the gateway key that made the inference).
 */
@WebServlet("/admin/*")
public class AdminServlet extends HttpServlet {

    private static final Logger LOG = Logger.getLogger(AdminServlet.class.getName());
    private static final String INFERENCES = "/v1/inferences";
    private static final String KEYS = "/v1/keys";
    private static final String TEAMS = "/v1/teams";
    private static final int MAX_BODY_BYTES = 64 * 1024;
    private static final int MAX_FEEDBACK_BYTES = 16 * 1024;
    /** Admin requests at the database at once; more are answered 503 at once. */
    private static final int MAX_CONCURRENT = 4;

    @Inject
    LedgerQueries ledger;

    @Inject
    KeyAdmin keyAdmin;

    private final Semaphore database = new Semaphore(MAX_CONCURRENT);

    @Override
    protected void service(HttpServletRequest request, HttpServletResponse response) throws IOException {
        RequestState state = RequestState.of(request);
        boolean admin = state != null && state.admin();
        String path = request.getPathInfo() == null ? "" : request.getPathInfo();
        request.setCharacterEncoding("UTF-8"); // query parameters too, as Payara reads them and Liberty does not by default
        if (!database.tryAcquire()) {
            // a database that does not answer holds at most this many request threads
            new ApiError(503, "server_error", "ledger_busy", null, "The usage ledger is answering other queries; try again.", Duration.ofSeconds(1))
                    .writeTo(response);
            return;
        }
        try {
            if (path.equals("/v1/feedback")) {
                allow(request, "POST");
                write(response, 201, ledger.feedback(FeedbackRequest.read(request, MAX_FEEDBACK_BYTES), state == null ? "" : state.keyName(), admin));
                return;
            }
            if (!admin) {
                throw new AdminException(new ApiError(401, ApiError.INVALID_REQUEST, "invalid_api_key", null,
                        "The admin API needs the admin key (gateway.admin.key.sha256), as 'Authorization: Bearer <key>' or 'x-api-key: <key>'.", null));
            }
            if (path.equals(KEYS) || path.startsWith(KEYS + "/") || path.equals(TEAMS) || path.startsWith(TEAMS + "/")) {
                keys(request, response, path);
                return;
            }
            AdminQuery query = new AdminQuery(request);
            if (path.equals(INFERENCES)) {
                allow(request, "GET");
                write(response, 200, ledger.inferences(query.filter(), query.offset(), query.limit()));
            } else if (path.startsWith(INFERENCES + "/") && path.indexOf('/', INFERENCES.length() + 1) < 0) {
                allow(request, "GET");
                String id = path.substring(INFERENCES.length() + 1);
                JsonObject found = ledger.inference(id).orElseThrow(() -> new AdminException(new ApiError(404, ApiError.INVALID_REQUEST,
                        "inference_not_found", null, "The ledger has no inference with that id.", null)));
                write(response, 200, found);
            } else if (path.equals("/v1/usage")) {
                allow(request, "GET");
                write(response, 200, ledger.usage(query.filter(), query.groupBy(), query.offset(), query.limit()));
            } else {
                throw new AdminException(new ApiError(404, ApiError.INVALID_REQUEST, "unknown_url", null,
                        "No admin route " + request.getMethod() + " " + AdminQuery.shown(path) + ".", null));
            }
        } catch (AdminException e) {
            e.error().writeTo(response);
        } catch (KeyAdminException e) {
            e.error().writeTo(response);
        } catch (IllegalArgumentException e) {
            ApiError.invalidRequest(e.getMessage(), null).writeTo(response);
        } catch (FeedbackRefusedException e) {
            new ApiError(404, ApiError.INVALID_REQUEST, "inference_not_found", null, e.getMessage(), null).writeTo(response);
        } catch (LedgerUnavailableException e) {
            // why, to the admin only: the database's own message can name hosts and files
            new ApiError(503, "server_error", "ledger_unavailable", null, "The usage ledger cannot answer now" + (admin ? ": " + e.getMessage() : "."),
                    Duration.ofSeconds(5)).writeTo(response);
        } catch (RuntimeException e) {
            // a database that fails mid-query: the admin sees that, never a stack trace
            LOG.log(Level.WARNING, "Admin query failed", e);
            new ApiError(503, "server_error", "ledger_unavailable", null, "The usage ledger's database failed to answer.", Duration.ofSeconds(5))
                    .writeTo(response);
        } finally {
            database.release();
        }
    }

    /**
     * {@code /v1/keys}: GET lists, POST makes one; {@code /v1/keys/{id}}: GET, PATCH; {@code /v1/keys/{id}/revoke} and
     * {@code /rotate}: POST; {@code /v1/teams}: GET; {@code /v1/teams/{name}}: PUT its limits.
     */
    private void keys(HttpServletRequest request, HttpServletResponse response, String path) throws IOException {
        String[] parts = path.substring(1).split("/", -1);
        if (parts[1].equals("teams")) {
            if (parts.length == 2) {
                allow(request, "GET");
                write(response, 200, keyAdmin.teams());
                return;
            }
            if (parts.length == 3) {
                allow(request, "PUT");
                write(response, 200, keyAdmin.putTeam(parts[2], body(request)));
                return;
            }
        } else if (parts.length == 2) {
            if (request.getMethod().equals("POST")) {
                write(response, 201, keyAdmin.create(body(request)));
            } else {
                allow(request, "GET");
                write(response, 200, keyAdmin.list());
            }
            return;
        } else if (parts.length == 3) {
            if (request.getMethod().equals("PATCH")) {
                write(response, 200, keyAdmin.update(parts[2], body(request)));
            } else {
                allow(request, "GET");
                write(response, 200, keyAdmin.get(parts[2]));
            }
            return;
        } else if (parts.length == 4 && (parts[3].equals("revoke") || parts[3].equals("rotate"))) {
            allow(request, "POST");
            write(response, 200, parts[3].equals("revoke") ? keyAdmin.revoke(parts[2]) : keyAdmin.rotate(parts[2]));
            return;
        }
        throw new AdminException(new ApiError(404, ApiError.INVALID_REQUEST, "unknown_url", null,
                "No admin route " + request.getMethod() + " " + AdminQuery.shown(path) + ".", null));
    }

    /** A JSON object body of at most {@link #MAX_BODY_BYTES}. */
    private static JsonObject body(HttpServletRequest request) throws IOException {
        byte[] body;
        try (java.io.InputStream in = request.getInputStream()) {
            body = in.readNBytes(MAX_BODY_BYTES + 1);
        }
        if (body.length > MAX_BODY_BYTES) {
            throw new AdminException(new ApiError(413, ApiError.INVALID_REQUEST, "request_too_large", null, "The body is at most " + MAX_BODY_BYTES + " bytes.", null));
        }
        try {
            return Json.parseUniqueKeys(Json.strictText(body));
        } catch (java.nio.charset.CharacterCodingException | RuntimeException e) {
            throw new AdminException(ApiError.invalidRequest("The body must be a JSON object.", null));
        }
    }

    private static void allow(HttpServletRequest request, String method) {
        if (!request.getMethod().equals(method)) {
            throw new AdminException(new ApiError(405, ApiError.INVALID_REQUEST, "method_not_allowed", null,
                    "This admin route takes " + method + ".", null));
        }
    }

    private static void write(HttpServletResponse response, int status, JsonObject json) throws IOException {
        byte[] body = Json.toBytes(json);
        response.setStatus(status);
        response.setHeader("Cache-Control", "no-store"); // a key's secret is in one answer, usage in the others
        response.setContentType("application/json");
        response.setContentLength(body.length);
        response.getOutputStream().write(body);
    }
}
