package dev.llmgateway.api;

import dev.llmgateway.events.GatewayEvents;
import dev.llmgateway.request.ApiPaths;
import dev.llmgateway.request.RequestState;
import dev.llmgateway.request.ApiError;
import dev.llmgateway.admission.MemoryBudget;
import dev.llmgateway.admission.Reservation;
import dev.llmgateway.inference.InferenceFailedException;
import dev.llmgateway.provider.Provider;
import dev.llmgateway.provider.ProviderException;
import dev.llmgateway.provider.Providers;
import jakarta.inject.Inject;
import jakarta.servlet.annotation.WebServlet;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import java.io.IOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code GET}, {@code DELETE} and {@code POST …/cancel} of {@code /v1/responses/<id>}, and its {@code input_items}: passed
 * to the provider that keeps the response, for the gateway key that made it through this gateway only. Carried as every
 * call is: admitted, on a call thread, counted in flight, its answer charged to the memory budget.
 */
@WebServlet(urlPatterns = ApiPaths.RESPONSES + "/*", asyncSupported = true)
public class StoredResponsesServlet extends HttpServlet {

    static final int MAX_ID_CHARS = 200;
    /** An id goes into the upstream's URL: letters, digits, '_' and '-' only, never a path of its own. */
    private static final Pattern PATH = Pattern.compile("/([A-Za-z0-9_-]{1," + MAX_ID_CHARS + "})(/input_items|/cancel)?");
    private static final Pattern VALUE = Pattern.compile("([A-Za-z0-9_.,-]|%[0-9A-Fa-f]{2}){0,256}");
    /** The query parameters OpenAI's API defines for each route; {@code model}, once the gateway's own, is dropped. */
    private static final Map<String, Set<String>> PARAMETERS = Map.of(
            "GET", Set.of("include", "include[]"),
            "GET/input_items", Set.of("after", "before", "include", "include[]", "limit", "order"),
            "DELETE", Set.of(),
            "POST/cancel", Set.of());

    @Inject
    GatewayEvents events;

    @Inject
    Providers providers;

    @Inject
    ResponseOwners owners;

    @Inject
    MemoryBudget memoryBudget;

    @Inject
    CallAdmission admission;

    @Override
    protected void service(HttpServletRequest http, HttpServletResponse response) throws IOException {
        String path = ApiPaths.routed(http).substring(ApiPaths.RESPONSES.length());
        Matcher matcher = PATH.matcher(path);
        if (!matcher.matches()) {
            ApiErrors.http(404).writeTo(response);
            return;
        }
        String below = matcher.group(2) == null ? "" : matcher.group(2);
        String route = http.getMethod() + below;
        if (!PARAMETERS.containsKey(route)) {
            response.setHeader("Allow", below.isEmpty() ? "GET, DELETE" : below.equals("/cancel") ? "POST" : "GET");
            ApiErrors.http(405).writeTo(response);
            return;
        }
        admission.carry(http, response, () -> call(http, response, matcher.group(1), below, route));
    }

    private void call(HttpServletRequest http, HttpServletResponse response, String id, String below, String route) {
        try (Reservation answers = memoryBudget.open()) {
            String query = query(http.getQueryString(), PARAMETERS.get(route));
            Provider keeper = owners.provider(id, RequestState.callerKeyName()).map(providers::named).orElseThrow(() -> notFound(id, "response_id"));
            admission.inFlight(response, () -> {
                CallAdmission.json(response, exchange(keeper, http.getMethod(), "/" + id + below, query, answers));
            });
        } catch (RuntimeException | Error failure) {
            InferenceServlet.answer(failure, response, events);
        } catch (IOException clientGone) {
            // the client closed the connection: nobody is left to answer
        }
    }

    private static byte[] exchange(Provider keeper, String method, String path, String query, Reservation answers) {
        try {
            return keeper.storedResponses().orElseThrow().exchange(method, path, query, answers.forAnswers());
        } catch (ProviderException e) {
            throw new InferenceFailedException(keeper.name(), null, List.of(e));
        }
    }

    /** As unknown: a response this gateway did not pass on for the calling key (another key's, forgotten, another replica's). */
    static ApiException notFound(String id, String param) {
        return new ApiException(new ApiError(404, ApiError.INVALID_REQUEST, "response_not_found", param,
                "No response '" + (id.length() > 64 ? id.substring(0, 64) + "…" : id) + "' made with this key is known to this gateway", null));
    }

    /** The client's query, only the parameters the route defines and with values a provider's URL takes as they are. */
    static String query(String raw, Set<String> allowed) {
        StringBuilder query = new StringBuilder();
        for (String parameter : raw == null ? new String[0] : raw.split("&")) {
            if (parameter.isEmpty()) {
                continue;
            }
            int equals = parameter.indexOf('=');
            String name;
            try {
                name = URLDecoder.decode(equals < 0 ? parameter : parameter.substring(0, equals), StandardCharsets.UTF_8);
            } catch (IllegalArgumentException badEscape) {
                throw new ApiException(ApiError.invalidRequest("A query parameter's name holds a malformed percent-escape", null));
            }
            String value = equals < 0 ? "" : parameter.substring(equals + 1);
            if (name.equals("model")) {
                continue;
            }
            if (!allowed.contains(name)) {
                throw new ApiException(ApiError.invalidRequest("Unknown query parameter for this route; it takes "
                        + (allowed.isEmpty() ? "none" : String.join(", ", new java.util.TreeSet<>(allowed))), name.length() > 64 ? null : name));
            }
            if (!VALUE.matcher(value).matches()) {
                throw new ApiException(ApiError.invalidRequest("The value of this query parameter holds characters a provider's URL cannot take"
                        + " as they are", name));
            }
            query.append(query.length() == 0 ? "" : "&").append(name.equals("include[]") ? "include%5B%5D" : name).append('=').append(value);
        }
        return query.toString();
    }
}
