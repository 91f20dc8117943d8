package dev.llmgateway.keys;

import dev.llmgateway.config.GatewaySettings;
import dev.llmgateway.json.Json;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.json.JsonArray;
import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonNumber;
import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;

import java.security.SecureRandom;
import java.sql.SQLException;
import java.time.Instant;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashSet;
import java.util.Set;
import java.util.UUID;

/**
 * The admin API's side of virtual keys and teams: made, listed, changed, revoked and rotated. A key's secret is made
 * here from 256 random bits, shown once in the answer that made it, and stored only as its SHA-256.
 */
@ApplicationScoped
public class KeyAdmin {

    /** Every secret starts so: a leaked one is recognisable by secret scanners and in logs. */
    static final String SECRET_PREFIX = "sk-gw-";
    private static final Set<String> CREATE_FIELDS = Set.of("name", "team", "metadata", "models", "functions", "limits", "expires_at");
    private static final Set<String> UPDATE_FIELDS = Set.of("team", "metadata", "models", "functions", "limits", "expires_at");
    private static final int MAX_NAMES = 256;
    private static final int MAX_NAMES_CHARS = 8_192;
    /** Expiry times a database stores on every platform. */
    private static final Instant LATEST_EXPIRY = Instant.parse("9999-12-31T23:59:59Z");
    private static final int MAX_METADATA_CHARS = 8_192;
    private static final SecureRandom RANDOM = new SecureRandom();

    @Inject
    VirtualKeys keys;

    @Inject
    Limiter limiter;

    @Inject
    GatewaySettings settings;

    /** Makes a key; the answer holds its secret, which is never shown again. */
    public JsonObject create(JsonObject body) {
        KeyStore store = store();
        fields(body, CREATE_FIELDS);
        String name = KeyText.name(string(body, "name"), "name");
        if (settings.auth().keys().containsKey(name)) {
            throw new KeyAdminException(409, "key_name_taken", "name", "A configured key is named '" + name + "'.");
        }
        String secret = SECRET_PREFIX + Base64.getUrlEncoder().withoutPadding().encodeToString(bytes(32));
        Instant now = Instant.now();
        VirtualKey key = new VirtualKey(UUID.randomUUID().toString(), name, team(body), digest(secret), secret.substring(0, 10), metadata(body),
                names(body, "models"), names(body, "functions"), limits(body), now, now, expiry(body), null, 0);
        boolean made = write(() -> store.insert(key));
        if (!made) {
            throw new KeyAdminException(409, "key_name_taken", "name", "A key named '" + name + "' exists already.");
        }
        VirtualKey stored = keys.byId(key.id());
        return Json.object(shown(stored == null ? key : stored)).add("key", secret).build();
    }

    /** The configured keys (read-only, names only) and the virtual ones, without secrets. */
    public JsonObject list() {
        store();
        JsonArrayBuilder data = Json.array();
        settings.auth().keys().keySet().stream().sorted().forEach(name -> data.add(Json.object().add("name", name).add("source", "configuration")
                .add("read_only", true)));
        keys.all().values().stream().sorted(java.util.Comparator.comparing(VirtualKey::name)).forEach(key -> data.add(shown(key)));
        return Json.object().add("object", "list").add("data", data).build();
    }

    /** One key, with what remains of its limits on this instance and its last refusals here. */
    public JsonObject get(String id) {
        store();
        VirtualKey key = found(id);
        JsonArrayBuilder refusals = Json.array();
        limiter.recentRefusals(key.id()).forEach(refusals::add);
        return Json.object(shown(key)).add("remaining", limiter.remaining(key)).add("recent_refusals", refusals).build();
    }

    /** Changes what an update may change; fields left out stay as they are, a field set to null is cleared. */
    public JsonObject update(String id, JsonObject body) {
        KeyStore store = store();
        fields(body, UPDATE_FIELDS);
        VirtualKey key = found(id);
        VirtualKey changed = new VirtualKey(key.id(), key.name(), body.containsKey("team") ? team(body) : key.team(), key.sha256(), key.hint(),
                body.containsKey("metadata") ? metadata(body) : key.metadata(), body.containsKey("models") ? names(body, "models") : key.models(),
                body.containsKey("functions") ? names(body, "functions") : key.functions(), body.containsKey("limits") ? limits(body) : key.limits(),
                key.createdAt(), Instant.now(), body.containsKey("expires_at") ? expiry(body) : key.expiresAt(), key.revokedAt(), key.revision());
        if (!write(() -> store.update(changed, key.revision()))) {
            found(id);
            throw new KeyAdminException(409, "key_changed", null, "The key changed meanwhile (on another instance); read it again and repeat the change.");
        }
        return shown(found(id));
    }

    /** Revokes the key: refused here at once, on every other instance within the keys' refresh interval. */
    public JsonObject revoke(String id) {
        KeyStore store = store();
        found(id);
        write(() -> store.revoke(id, Instant.now()));
        return shown(found(id));
    }

    /** Gives the key a new secret, shown once; the old one is refused from then on, as a revoked key is. */
    public JsonObject rotate(String id) {
        KeyStore store = store();
        VirtualKey key = found(id);
        if (key.revokedAt() != null) {
            throw new KeyAdminException(409, "key_revoked", null, "A revoked key cannot be rotated; make a new one.");
        }
        String secret = SECRET_PREFIX + Base64.getUrlEncoder().withoutPadding().encodeToString(bytes(32));
        if (!write(() -> store.rotate(id, digest(secret), secret.substring(0, 10)))) {
            throw new KeyAdminException(409, "key_revoked", null, "A revoked key cannot be rotated; make a new one.");
        }
        return Json.object(shown(found(id))).add("key", secret).build();
    }

    public JsonObject teams() {
        store();
        JsonArrayBuilder data = Json.array();
        keys.teams().values().stream().sorted(java.util.Comparator.comparing(Team::name))
                .forEach(team -> data.add(Json.object().add("name", team.name()).add("limits", team.limits().toJson())));
        return Json.object().add("object", "list").add("data", data).build();
    }

    /** Sets a team's limits, shared by every key naming the team. */
    public JsonObject putTeam(String name, JsonObject body) {
        KeyStore store = store();
        KeyText.team(name, "team");
        fields(body, Set.of("limits"));
        Limits limits = limits(body);
        write(() -> {
            store.putTeam(name, limits);
            return true;
        });
        return Json.object().add("name", name).add("limits", limits.toJson()).build();
    }

    private KeyStore store() {
        return switch (keys.state()) {
            case OFF -> throw new KeyAdminException(404, "virtual_keys_off", null,
                    "Virtual keys need the usage ledger (gateway.ledger.enabled) and the admin key (gateway.admin.key.sha256).");
            case LOADING -> throw new KeyAdminException(503, "keys_loading", null, "The keys' database has not answered yet; try again.");
            case LOADED -> keys.store();
        };
    }

    private VirtualKey found(String id) {
        VirtualKey key = keys.byId(id);
        if (key == null) {
            throw notFound();
        }
        return key;
    }

    private static KeyAdminException notFound() {
        return new KeyAdminException(404, "key_not_found", null, "There is no key with that id.");
    }

    private boolean write(DatabaseWrite write) {
        boolean done;
        try {
            done = write.run();
        } catch (SQLException e) {
            if (e.getSQLState() != null && e.getSQLState().startsWith("22")) {
                throw new IllegalArgumentException("A value is outside what the keys' database holds.");
            }
            throw new KeyAdminException(503, "keys_unavailable", null, "The keys' database failed to answer; try again.");
        }
        try {
            keys.reload();
        } catch (SQLException e) {
            // the write is committed: the refresher reads it within its interval; the answer (a secret, maybe) must not be lost
        }
        return done;
    }

    /** A key as the admin API shows it: never its secret or the secret's digest, only its first characters. */
    static JsonObject shown(VirtualKey key) {
        JsonObjectBuilder json = Json.object().add("id", key.id()).add("name", key.name()).add("source", "database").add("read_only", false);
        optional(json, "team", key.team());
        json.add("key_hint", key.hint() + "…");
        if (key.metadata() != null) {
            json.add("metadata", Json.parseObject(key.metadata()));
        }
        json.add("models", array(key.models())).add("functions", array(key.functions())).add("limits", key.limits().toJson())
                .add("created_at", key.createdAt().toString()).add("updated_at", key.updatedAt().toString());
        optional(json, "expires_at", key.expiresAt() == null ? null : key.expiresAt().toString());
        optional(json, "revoked_at", key.revokedAt() == null ? null : key.revokedAt().toString());
        json.add("status", key.revokedAt() != null ? "revoked" : key.expiresAt() != null && !Instant.now().isBefore(key.expiresAt()) ? "expired" : "active");
        return json.build();
    }

    private static void optional(JsonObjectBuilder json, String name, String value) {
        if (value == null) {
            json.addNull(name);
        } else {
            json.add(name, value);
        }
    }

    private static JsonArray array(Set<String> names) {
        JsonArrayBuilder array = Json.array();
        names.forEach(array::add);
        return array.build();
    }

    private static void fields(JsonObject body, Set<String> allowed) {
        for (String field : body.keySet()) {
            if (!allowed.contains(field)) {
                throw new IllegalArgumentException("Unknown field " + KeyText.shown(field) + "; this takes " + new java.util.TreeSet<>(allowed) + ".");
            }
        }
    }

    private static String string(JsonObject body, String field) {
        JsonValue value = body.get(field);
        if (value == null || value == JsonValue.NULL) {
            return null;
        }
        if (!(value instanceof JsonString text)) {
            throw new IllegalArgumentException("'" + field + "' must be a string");
        }
        return text.getString();
    }

    private static String team(JsonObject body) {
        String team = string(body, "team");
        return team == null ? null : KeyText.team(team, "team");
    }

    private static String metadata(JsonObject body) {
        JsonValue value = body.get("metadata");
        if (value == null || value == JsonValue.NULL) {
            return null;
        }
        if (!(value instanceof JsonObject object)) {
            throw new IllegalArgumentException("'metadata' must be an object");
        }
        String text = Json.toText(object);
        if (text.length() > MAX_METADATA_CHARS) {
            throw new IllegalArgumentException("'metadata' must be at most " + MAX_METADATA_CHARS + " characters of JSON");
        }
        return text;
    }

    private static Set<String> names(JsonObject body, String field) {
        JsonValue value = body.get(field);
        if (value == null || value == JsonValue.NULL) {
            return Set.of();
        }
        if (!(value instanceof JsonArray array) || array.size() > MAX_NAMES) {
            throw new IllegalArgumentException("'" + field + "' must be an array of at most " + MAX_NAMES + " names");
        }
        Set<String> names = new LinkedHashSet<>();
        for (JsonValue item : array) {
            if (!(item instanceof JsonString name)) {
                throw new IllegalArgumentException("'" + field + "' must hold strings");
            }
            names.add(KeyText.name(name.getString(), field + "[]"));
        }
        if (String.join("\n", names).length() > MAX_NAMES_CHARS) {
            throw new IllegalArgumentException("'" + field + "' must hold at most " + MAX_NAMES_CHARS + " characters of names");
        }
        return names;
    }

    private static Limits limits(JsonObject body) {
        return Limits.parse(body.get("limits"), "limits");
    }

    private static Instant expiry(JsonObject body) {
        JsonValue value = body.get("expires_at");
        if (value == null || value == JsonValue.NULL) {
            return null;
        }
        try {
            Instant expiry = null;
            if (value instanceof JsonNumber seconds && seconds.isIntegral()) {
                expiry = Instant.ofEpochSecond(seconds.longValueExact());
            } else if (value instanceof JsonString text) {
                expiry = Instant.parse(text.getString());
            }
            if (expiry != null && !expiry.isBefore(Instant.EPOCH) && !expiry.isAfter(LATEST_EXPIRY)) {
                return expiry;
            }
        } catch (ArithmeticException | java.time.DateTimeException e) {
            // answered below
        }
        throw new IllegalArgumentException("'expires_at' must be an RFC 3339 time in UTC (2027-01-31T00:00:00Z) or epoch seconds, from 1970 to 9999");
    }

    static String digest(String secret) {
        try {
            return HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256").digest(secret.getBytes(java.nio.charset.StandardCharsets.UTF_8)));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime has SHA-256", e);
        }
    }

    private static byte[] bytes(int count) {
        byte[] bytes = new byte[count];
        RANDOM.nextBytes(bytes);
        return bytes;
    }

    @FunctionalInterface
    private interface DatabaseWrite {
        boolean run() throws SQLException;
    }
}
