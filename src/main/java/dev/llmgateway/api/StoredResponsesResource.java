package dev.llmgateway.api;

import dev.llmgateway.config.GatewaySettings;
import dev.llmgateway.config.ModelSettings;
import dev.llmgateway.inference.InferenceFailedException;
import dev.llmgateway.inference.InvalidInferenceRequestException;
import dev.llmgateway.inference.UnknownModelException;
import dev.llmgateway.provider.Provider;
import dev.llmgateway.provider.ProviderException;
import dev.llmgateway.provider.Providers;
import dev.llmgateway.provider.StoredResponses;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;

import java.util.List;
import java.util.regex.Pattern;

/**
 * {@code GET}, {@code DELETE} and {@code POST …/cancel} of {@code /v1/responses/<id>}, and its {@code input_items}: passed
 * to the provider that keeps the response, the one that answered it through this gateway, or the first provider of
 * {@code ?model=} that keeps responses.
 */
@Path("responses/{id}")
@ApplicationScoped
public class StoredResponsesResource {

    static final int MAX_ID_CHARS = 200;
    /** An id goes into the upstream's URL: letters, digits, '_' and '-' only, never a path of its own. */
    private static final Pattern ID = Pattern.compile("[A-Za-z0-9_-]{1," + MAX_ID_CHARS + "}");
    private static final Pattern QUERY = Pattern.compile("[A-Za-z0-9_.,=&%\\[\\]-]{0,512}");

    @Inject
    GatewaySettings settings;

    @Inject
    Providers providers;

    @Inject
    ResponseOwners owners;

    @Context
    UriInfo uri;

    @GET
    public Response get(@PathParam("id") String id, @QueryParam("model") String model) {
        return pass("GET", id, "", model);
    }

    @DELETE
    public Response delete(@PathParam("id") String id, @QueryParam("model") String model) {
        return pass("DELETE", id, "", model);
    }

    @GET
    @Path("input_items")
    public Response inputItems(@PathParam("id") String id, @QueryParam("model") String model) {
        return pass("GET", id, "/input_items", model);
    }

    @POST
    @Path("cancel")
    public Response cancel(@PathParam("id") String id, @QueryParam("model") String model) {
        return pass("POST", id, "/cancel", model);
    }

    private Response pass(String method, String id, String below, String model) {
        if (!ID.matcher(id).matches()) {
            throw new InvalidInferenceRequestException("response_id", "A response id holds letters, digits, '_' and '-' only");
        }
        String query = query();
        Provider keeper = keeper(id, model);
        try {
            byte[] answer = keeper.storedResponses().orElseThrow().exchange(method, "/" + id + below, query);
            return Response.ok(answer, MediaType.APPLICATION_JSON_TYPE).build();
        } catch (ProviderException e) {
            throw new InferenceFailedException(model == null ? keeper.name() : model, null, List.of(e));
        }
    }

    private Provider keeper(String id, String model) {
        if (model != null && !model.isBlank()) {
            ModelSettings settings = this.settings.model(model).orElseThrow(() -> new UnknownModelException(model));
            return settings.routing().stream().map(providers::named).filter(p -> p.storedResponses().isPresent()).findFirst()
                    .orElseThrow(() -> new InvalidInferenceRequestException("model", "The model '" + model
                            + "' has no provider that keeps responses (openai or azure)"));
        }
        return owners.provider(id).map(providers::named).orElseThrow(() -> new ApiException(new ApiError(404, ApiError.INVALID_REQUEST,
                "response_not_found", "response_id", "This gateway has not passed on a response '" + id
                + "' lately; name the model that made it with ?model=<model>", null)));
    }

    /** The client's own query (input_items paging) as it came, the gateway's {@code model} left out. */
    private String query() {
        String raw = uri.getRequestUri().getRawQuery();
        StringBuilder query = new StringBuilder();
        for (String parameter : raw == null ? new String[0] : raw.split("&")) {
            if (!parameter.isEmpty() && !parameter.equals("model") && !parameter.startsWith("model=")) {
                query.append(query.length() == 0 ? "" : "&").append(parameter);
            }
        }
        if (!QUERY.matcher(query).matches()) {
            throw new InvalidInferenceRequestException("query", "The query holds characters a provider's URL cannot take as they are");
        }
        return query.toString();
    }
}
