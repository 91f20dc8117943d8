package dev.llmgateway.api;

import dev.llmgateway.config.FunctionSettings;
import dev.llmgateway.config.GatewaySettings;
import dev.llmgateway.inference.UnknownModelException;
import dev.llmgateway.json.Json;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonObjectBuilder;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import java.time.Instant;
import java.util.TreeSet;

/** {@code GET /v1/models}: the names clients may send as {@code model}, in OpenAI's list format. */
@Path("models")
@ApplicationScoped
public class ModelsResource {

    private static final long STARTED = Instant.now().getEpochSecond();

    @Inject
    GatewaySettings settings;

    @GET
    public Response list() {
        JsonArrayBuilder data = Json.array();
        for (String name : new TreeSet<>(settings.models().keySet())) {
            data.add(model(name));
        }
        for (String name : new TreeSet<>(settings.functions().keySet())) {
            data.add(model(FunctionSettings.PREFIX + name));
        }
        return json(Json.toBytes(Json.object().add("object", "list").add("data", data).build()));
    }

    @GET
    @Path("{model: .+}")
    public Response get(@PathParam("model") String name) {
        boolean function = name.startsWith(FunctionSettings.PREFIX)
                && settings.function(name.substring(FunctionSettings.PREFIX.length())).isPresent();
        if (!function && settings.model(name).isEmpty()) {
            throw new UnknownModelException(name);
        }
        return json(Json.toBytes(model(name).build()));
    }

    private static JsonObjectBuilder model(String name) {
        return Json.object().add("id", name).add("object", "model").add("created", STARTED).add("owned_by", "llm-gateway");
    }

    private static Response json(byte[] body) {
        return Response.ok(body, MediaType.APPLICATION_JSON_TYPE).build();
    }
}
