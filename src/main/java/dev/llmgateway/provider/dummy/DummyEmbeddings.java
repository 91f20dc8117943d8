package dev.llmgateway.provider.dummy;

import dev.llmgateway.json.Json;
import jakarta.json.JsonArray;
import jakarta.json.JsonNumber;
import jakarta.json.JsonObject;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.SplittableRandom;

/**
 * The dummy provider's embeddings: one unit vector per input, the same input always giving the same vector (seeded
 * by its SHA-256), so that a retrieval test can rely on them. A whitespace-separated word, or one token, counts as a token.
 */
final class DummyEmbeddings {

    /** The most values one answer holds (inputs × dimensions): about 5 MB of JSON, whatever a client asks for. */
    static final long MAX_VALUES = 262_144;

    private DummyEmbeddings() {
    }

    /** How many values the answer would hold, so that the provider can refuse one too large before making it. */
    static long values(JsonObject request, int defaultDimensions) {
        return (long) inputs(request.get("input")).size() * dimensions(request, defaultDimensions);
    }

    /** The embeddings list answering an OpenAI embeddings request, as JSON text written once. */
    static String answer(JsonObject request, String model, int defaultDimensions) {
        int dimensions = dimensions(request, defaultDimensions);
        boolean base64 = "base64".equals(Json.string(request, "encoding_format").orElse("float"));
        List<JsonValue> inputs = inputs(request.get("input"));
        StringBuilder json = new StringBuilder(64 + inputs.size() * (base64 ? dimensions * 6 : dimensions * 14)).append("{\"object\":\"list\",\"data\":[");
        long tokens = 0;
        for (int i = 0; i < inputs.size(); i++) {
            JsonValue input = inputs.get(i);
            tokens += input instanceof JsonArray ids ? ids.size() : DummyReply.words(((JsonString) input).getString()).size();
            float[] vector = vector(input, dimensions);
            json.append(i == 0 ? "" : ",").append("{\"object\":\"embedding\",\"index\":").append(i).append(",\"embedding\":");
            if (base64) {
                json.append('"').append(base64(vector)).append('"');
            } else {
                json.append('[');
                for (int d = 0; d < vector.length; d++) {
                    json.append(d == 0 ? "" : ",").append(vector[d]);
                }
                json.append(']');
            }
            json.append('}');
        }
        json.append("],\"model\":").append(Json.quote(model)).append(",\"usage\":{\"prompt_tokens\":").append(tokens)
                .append(",\"total_tokens\":").append(tokens).append("}}");
        return json.toString();
    }

    private static int dimensions(JsonObject request, int defaultDimensions) {
        return (int) Json.integer(request, "dimensions").orElse(defaultDimensions);
    }

    /** A string or a token array is one input; an array of either is many. */
    private static List<JsonValue> inputs(JsonValue input) {
        if (input instanceof JsonArray list && !list.isEmpty() && !(list.get(0) instanceof JsonNumber)) {
            return new ArrayList<>(list);
        }
        return List.of(input);
    }

    static float[] vector(JsonValue input, int dimensions) {
        SplittableRandom random = new SplittableRandom(seed(input instanceof JsonString s ? s.getString() : input.toString()));
        float[] vector = new float[dimensions];
        double norm = 0;
        for (int i = 0; i < dimensions; i++) {
            vector[i] = (float) (random.nextDouble() * 2 - 1);
            norm += vector[i] * vector[i];
        }
        float scale = (float) (1 / Math.sqrt(norm));
        for (int i = 0; i < dimensions; i++) {
            vector[i] *= scale;
        }
        return vector;
    }

    private static long seed(String text) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
            return ByteBuffer.wrap(digest).getLong();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java platform has SHA-256", e);
        }
    }

    /** OpenAI's base64 form: the float32 values little-endian, base64-encoded. */
    private static String base64(float[] vector) {
        ByteBuffer bytes = ByteBuffer.allocate(vector.length * Float.BYTES).order(ByteOrder.LITTLE_ENDIAN);
        for (float value : vector) {
            bytes.putFloat(value);
        }
        return Base64.getEncoder().encodeToString(bytes.array());
    }
}
