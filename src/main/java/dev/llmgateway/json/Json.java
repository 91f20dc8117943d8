package dev.llmgateway.json;

import jakarta.json.JsonArray;
import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonBuilderFactory;
import jakarta.json.JsonConfig;
import jakarta.json.JsonNumber;
import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;
import jakarta.json.JsonReader;
import jakarta.json.JsonReaderFactory;
import jakarta.json.JsonString;
import jakarta.json.JsonStructure;
import jakarta.json.JsonValue;
import jakarta.json.JsonWriter;
import jakarta.json.JsonWriterFactory;
import jakarta.json.spi.JsonProvider;
import jakarta.json.stream.JsonParser;
import jakarta.json.stream.JsonParserFactory;
import jakarta.json.stream.JsonParsingException;

import java.io.StringReader;
import java.nio.charset.CharacterCodingException;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;

/** JSON-P with its provider looked up once: {@code jakarta.json.Json} repeats a ServiceLoader scan per call. */
public final class Json {

    private static final JsonProvider PROVIDER = JsonProvider.provider();
    private static final JsonReaderFactory READERS = PROVIDER.createReaderFactory(Map.of());
    /** A key twice in one object is refused: the gateway would check one value while an upstream acted on the other. */
    private static final JsonReaderFactory UNIQUE_KEYS = PROVIDER.createReaderFactory(Map.of(JsonConfig.KEY_STRATEGY, JsonConfig.KeyStrategy.NONE));
    private static final JsonWriterFactory WRITERS = PROVIDER.createWriterFactory(Map.of());
    private static final JsonBuilderFactory BUILDERS = PROVIDER.createBuilderFactory(Map.of());
    private static final JsonParserFactory PARSERS = PROVIDER.createParserFactory(Map.of());

    private Json() {
    }

    /**
     * Parses a JSON object in UTF-8, as JSON on the wire is; throws {@link JsonParsingException} (or another
     * JsonException) when it is not one. Decoded to a string first: the provider's stream reader allocates an 8 KB
     * decoder buffer per call.
     */
    public static JsonObject parseObject(byte[] utf8) {
        return parseObject(text(utf8));
    }

    /** JSON text on the wire, decoded from UTF-8 without a byte order mark. */
    public static String text(byte[] utf8) {
        String text = new String(utf8, StandardCharsets.UTF_8);
        return !text.isEmpty() && text.charAt(0) == '\uFEFF' ? text.substring(1) : text;
    }

    /**
     * JSON text from a client, refusing bytes that are not UTF-8 instead of replacing them with U+FFFD. The bytes are
     * checked only when the fast decoding replaced something (or the text holds a real U+FFFD), and without copying them.
     */
    public static String strictText(byte[] utf8) throws CharacterCodingException {
        String text = text(utf8);
        if (text.indexOf('\uFFFD') >= 0 && !Utf8.valid(utf8)) {
            throw new CharacterCodingException();
        }
        return text;
    }

    /** A stream of parse events, for reading a few fields of a document without building its tree. */
    public static JsonParser parser(String text) {
        return PARSERS.createParser(new StringReader(text));
    }

    public static JsonObject parseObject(String text) {
        try (JsonReader reader = READERS.createReader(new StringReader(text))) {
            return reader.readObject();
        }
    }

    /** A client's JSON object, refusing duplicate keys at any depth with a {@link JsonException}. */
    public static JsonObject parseUniqueKeys(String text) {
        try (JsonReader reader = UNIQUE_KEYS.createReader(new StringReader(text))) {
            return reader.readObject();
        }
    }

    /** Whether the JSON provider refuses duplicate keys when asked to (JSON-P 2.1's key strategy); said at startup if not. */
    public static boolean refusesDuplicateKeys() {
        return UNIQUE_KEYS.getConfigInUse().containsKey(JsonConfig.KEY_STRATEGY);
    }

    public static JsonArray parseArray(String text) {
        try (JsonReader reader = READERS.createReader(new StringReader(text))) {
            return reader.readArray();
        }
    }

    /** The object in UTF-8; written as text first, for the same reason as {@link #parseObject(byte[])}. */
    public static byte[] toBytes(JsonObject object) {
        return toText(object).getBytes(StandardCharsets.UTF_8);
    }

    public static String toText(JsonStructure json) {
        var out = new StringWriter(256);
        try (JsonWriter writer = WRITERS.createWriter(out)) {
            writer.write(json);
        }
        return out.toString();
    }

    public static JsonObjectBuilder object() {
        return BUILDERS.createObjectBuilder();
    }

    public static JsonObjectBuilder object(JsonObject copyOf) {
        return BUILDERS.createObjectBuilder(copyOf);
    }

    public static JsonArrayBuilder array() {
        return BUILDERS.createArrayBuilder();
    }

    /** A string as a JSON string literal, quoted and escaped. */
    public static String quote(String text) {
        return PROVIDER.createValue(text).toString();
    }

    /** A configuration value as JSON: a number, boolean, null, object or array when it parses as one, else a string. */
    public static JsonValue literal(String text) {
        String trimmed = text.strip();
        try (JsonReader reader = READERS.createReader(new StringReader(trimmed))) {
            return reader.readValue();
        } catch (RuntimeException notJson) {
            return PROVIDER.createValue(text);
        }
    }

    public static Optional<String> string(JsonObject object, String key) {
        JsonValue value = object.get(key);
        return value instanceof JsonString s ? Optional.of(s.getString()) : Optional.empty();
    }

    public static OptionalLong integer(JsonObject object, String key) {
        JsonValue value = object.get(key);
        return value instanceof JsonNumber n && n.isIntegral() ? OptionalLong.of(n.longValue()) : OptionalLong.empty();
    }

    public static Optional<JsonObject> object(JsonObject object, String key) {
        JsonValue value = object.get(key);
        return value instanceof JsonObject o ? Optional.of(o) : Optional.empty();
    }

    public static Optional<JsonArray> array(JsonObject object, String key) {
        JsonValue value = object.get(key);
        return value instanceof JsonArray a ? Optional.of(a) : Optional.empty();
    }
}
