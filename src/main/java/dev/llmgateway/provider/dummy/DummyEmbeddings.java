package dev.llmgateway.provider.dummy;

import dev.llmgateway.json.Json;
import jakarta.json.JsonArray;
import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonNumber;
import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;
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

    private DummyEmbeddings() {
    }

    /** The embeddings list answering an OpenAI embeddings request. */
    static JsonObject answer(JsonObject request, String model, int defaultDimensions) {
        int dimensions = (int) Json.integer(request, "dimensions").orElse(defaultDimensions);
        boolean base64 = "base64".equals(Json.string(request, "encoding_format").orElse("float"));
        JsonArrayBuilder data = Json.array();
        long tokens = 0;
        List<JsonValue> inputs = inputs(request.get("input"));
        for (int i = 0; i < inputs.size(); i++) {
            JsonValue input = inputs.get(i);
            tokens += input instanceof JsonArray ids ? ids.size() : words(((JsonString) input).getString());
            float[] vector = vector(input, dimensions);
            JsonObjectBuilder item = Json.object().add("object", "embedding").add("index", i);
            data.add(base64 ? item.add("embedding", base64(vector)) : item.add("embedding", floats(vector)));
        }
        JsonObject usage = Json.object().add("prompt_tokens", tokens).add("total_tokens", tokens).build();
        return Json.object().add("object", "list").add("data", data).add("model", model).add("usage", usage).build();
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

    private static JsonArrayBuilder floats(float[] vector) {
        JsonArrayBuilder array = Json.array();
        for (float value : vector) {
            array.add((double) value);
        }
        return array;
    }

    /** OpenAI's base64 form: the float32 values little-endian, base64-encoded. */
    private static String base64(float[] vector) {
        ByteBuffer bytes = ByteBuffer.allocate(vector.length * Float.BYTES).order(ByteOrder.LITTLE_ENDIAN);
        for (float value : vector) {
            bytes.putFloat(value);
        }
        return Base64.getEncoder().encodeToString(bytes.array());
    }

    private static long words(String text) {
        long words = 0;
        for (String word : text.strip().split("\\s+")) {
            if (!word.isEmpty()) {
                words++;
            }
        }
        return words;
    }
}
