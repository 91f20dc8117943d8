package dev.llmgateway.api;

import java.util.List;
import java.util.ArrayList;
import jakarta.ws.rs.HeaderParam;
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

/**
 * {@code GET /v1/models}: the names clients may send as {@code model}, in OpenAI's list format, or in Anthropic's when
 * the request carries {@code anthropic-version} (as Anthropic's SDKs and Claude Code send it).
 */
@Path("models")
@ApplicationScoped
public class ModelsResource {

    private static final long STARTED = Instant.now().getEpochSecond();

    @Inject
    GatewaySettings settings;

    private static final String CREATED_AT = Instant.ofEpochSecond(STARTED).toString();

    @GET
    public Response list(@HeaderParam("anthropic-version") String anthropic) {
        JsonArrayBuilder data = Json.array();
        List<String> names = new ArrayList<>(new TreeSet<>(settings.models().keySet()));
        new TreeSet<>(settings.functions().keySet()).forEach(name -> names.add(FunctionSettings.PREFIX + name));
        names.forEach(name -> data.add(anthropic == null ? model(name) : anthropicModel(name)));
        if (anthropic == null) {
            return json(Json.toBytes(Json.object().add("object", "list").add("data", data).build()));
        }
        JsonObjectBuilder page = Json.object().add("data", data).add("has_more", false);
        if (names.isEmpty()) {
            page.addNull("first_id").addNull("last_id");
        } else {
            page.add("first_id", names.get(0)).add("last_id", names.get(names.size() - 1));
        }
        return json(Json.toBytes(page.build()));
    }

    @GET
    @Path("{model: .+}")
    public Response get(@PathParam("model") String name, @HeaderParam("anthropic-version") String anthropic) {
        boolean function = name.startsWith(FunctionSettings.PREFIX)
                && settings.function(name.substring(FunctionSettings.PREFIX.length())).isPresent();
        if (!function && settings.model(name).isEmpty()) {
            throw new UnknownModelException(name);
        }
        return json(Json.toBytes((anthropic == null ? model(name) : anthropicModel(name)).build()));
    }

    private static JsonObjectBuilder anthropicModel(String name) {
        return Json.object().add("type", "model").add("id", name).add("display_name", name).add("created_at", CREATED_AT);
    }

    private static JsonObjectBuilder model(String name) {
        return Json.object().add("id", name).add("object", "model").add("created", STARTED).add("owned_by", "llm-gateway");
    }

    private static Response json(byte[] body) {
        return Response.ok(body, MediaType.APPLICATION_JSON_TYPE).build();
    }
}
