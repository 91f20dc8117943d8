package dev.llmgateway.it;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.Tuple;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Valid chat requests (tools, tool calls, content parts, streams) mutated inside: any member or element at any depth
 * replaced, removed, wrapped or joined by a hostile value (numbers of any length, deep nesting, wrong types, lone
 * surrogates, bytes that are not UTF-8). What clients, fuzzers and broken SDKs send, as jqwik arbitraries.
 */
final class HostileRequests {

    /** A body to send, and what was done to it, for the failure message. */
    record Case(String path, String model, byte[] body, String mutations) {
        @Override
        public String toString() {
            String text = new String(body, StandardCharsets.UTF_8);
            return path + " / " + model + " / " + mutations + " / " + (text.length() > 600 ? text.substring(0, 600) + "…" : text);
        }
    }

    /** A JSON number or literal written as is, or nesting written as text. */
    record Raw(String text) {
    }

    /** A string whose bytes are not UTF-8. */
    record NotUtf8(byte[] bytes) {
    }

    enum Kind { REPLACE, REMOVE, ADD_MEMBER, WRAP_IN_ARRAY }

    record Mutation(Kind kind, int target, String key, Object value) {
    }

    static final String TOOLS_REQUEST = """
            {"model":"%s","temperature":0.5,"max_tokens":12,"user":"u-1","stop":["\\n\\n"],"parallel_tool_calls":false,"tool_choice":"auto",
             "tools":[{"type":"function","function":{"name":"get_weather","description":"Weather now",
                       "parameters":{"type":"object","properties":{"location":{"type":"string"}}}}}],
             "messages":[{"role":"system","content":"Be brief."},
              {"role":"user","content":[{"type":"text","text":"héllo, what is this?"},{"type":"image_url","image_url":{"url":"data:image/png;base64,iVBORw0KGgo="}}]},
              {"role":"assistant","content":null,"tool_calls":[{"id":"call_1","type":"function","function":{"name":"get_weather","arguments":"{\\"location\\":\\"Paris\\"}"}}]},
              {"role":"tool","tool_call_id":"call_1","content":"18°C"},
              {"role":"user","content":"Thanks"}]}""";
    private static final String STREAM_REQUEST = """
            {"model":"%s","stream":true,"stream_options":{"include_usage":true},"logprobs":false,"frequency_penalty":0,
             "messages":[{"role":"developer","content":[{"type":"text","text":"Be brief."}]},{"role":"user","content":"hi"}]}""";
    private static final String EMBEDDINGS_REQUEST = """
            {"model":"%s","input":["héllo","world"],"encoding_format":"float","dimensions":8,"user":"u-1"}""";
    private static final String COMPLETIONS_REQUEST = """
            {"model":"%s","prompt":["Say","hi"],"max_tokens":5,"n":1,"stop":["\\n"],"stream":true,"stream_options":{"include_usage":true}}""";
    private static final String RESPONSES_REQUEST = """
            {"model":"%s","instructions":"Be brief.","max_output_tokens":32,"stream":true,"tools":[{"type":"function","name":"f","parameters":{"type":"object"}}],
             "input":[{"role":"user","content":[{"type":"input_text","text":"héllo"}]},{"type":"function_call","call_id":"c1","name":"f","arguments":"{}"},
                      {"type":"function_call_output","call_id":"c1","output":"ok"}]}""";
    private static final String MESSAGES_REQUEST = """
            {"model":"%s","max_tokens":32,"stream":true,"system":[{"type":"text","text":"Be brief.","cache_control":{"type":"ephemeral"}}],
             "tool_choice":{"type":"auto"},"tools":[{"name":"f","description":"d","input_schema":{"type":"object"}}],"stop_sequences":["END"],
             "messages":[{"role":"user","content":"héllo"},{"role":"assistant","content":[{"type":"text","text":"ok"},
               {"type":"tool_use","id":"toolu_1","name":"f","input":{"a":1}}]},
              {"role":"user","content":[{"type":"tool_result","tool_use_id":"toolu_1","content":"done"},{"type":"text","text":"thanks"}]}]}""";
    private static final List<String> KEYS = List.of("system", "tool_use", "tool_result", "tool_use_id", "input_schema", "stop_sequences", "cache_control", "thinking", "input", "prompt", "instructions", "max_output_tokens", "call_id", "output", "input_text", "encoding_format", "dimensions", "suffix", "echo", "model", "messages", "role", "content", "tool_calls", "function", "arguments", "name",
            "type", "tools", "parameters", "tool_choice", "parallel_tool_calls", "stop", "n", "temperature", "top_p", "max_tokens",
            "max_completion_tokens", "stream", "stream_options", "include_usage", "response_format", "user", "logprobs", "logit_bias",
            "frequency_penalty", "presence_penalty", "image_url", "url", "text", "tool_call_id", "seed", "metadata", "id", "description");
    private static final List<String> WORDS = List.of("user", "assistant", "tool", "system", "developer", "function", "text", "image_url",
            "input_audio", "auto", "none", "required", "json_schema", "json_object", "data:image/png;base64,@@", "data:,x", "http://x/y.png",
            "", " ", "[DONE]", "{\"a\":1}", "{", "null");

    private HostileRequests() {
    }

    /** Chat requests for the given models: most whole, some streamed, each with one to three mutations inside. */
    static Arbitrary<Case> cases(List<String> models) {
        return cases(models, Arbitraries.frequency(Tuple.of(5, TOOLS_REQUEST), Tuple.of(1, STREAM_REQUEST)), "/v1/chat/completions");
    }

    /** Embeddings, legacy-completions, Responses and Messages API requests (the last two streamed) for the given models, mutated the same way. */
    static Arbitrary<Case> otherEndpointCases(List<String> models) {
        return Arbitraries.oneOf(cases(models, Arbitraries.just(EMBEDDINGS_REQUEST), "/v1/embeddings"),
                cases(models, Arbitraries.just(COMPLETIONS_REQUEST), "/v1/completions"),
                cases(models, Arbitraries.just(RESPONSES_REQUEST), "/v1/responses"),
                cases(models, Arbitraries.just(MESSAGES_REQUEST), "/v1/messages"));
    }

    private static Arbitrary<Case> cases(List<String> models, Arbitrary<String> template, String path) {
        Arbitrary<String> model = Arbitraries.of(models);
        Arbitrary<List<Mutation>> mutations = mutation().list().ofMinSize(1).ofMaxSize(3);
        return Combinators.combine(model, template, mutations).as((m, t, list) -> {
            Object tree = Tree.parse(t.formatted(m));
            for (Mutation mutation : list) {
                tree = Tree.apply(tree, mutation);
            }
            return new Case(path, m, Tree.write(tree), list.stream().map(x -> x.kind() + "@" + x.target()).toList().toString());
        });
    }

    private static Arbitrary<Mutation> mutation() {
        return Combinators.combine(Arbitraries.of(Kind.class), Arbitraries.integers().between(0, 10_000), key(), value())
                .as(Mutation::new);
    }

    private static Arbitrary<String> key() {
        return Arbitraries.frequencyOf(Tuple.of(4, Arbitraries.of(KEYS)), Tuple.of(1, Arbitraries.strings().ofMaxLength(12)));
    }

    static Arbitrary<Object> value() {
        return Arbitraries.lazyOf(HostileRequests::leaf, HostileRequests::leaf, HostileRequests::leaf,
                () -> value().list().ofMaxSize(3).map(list -> (Object) new ArrayList<>(list)),
                () -> Arbitraries.maps(key(), value()).ofMaxSize(3).map(map -> (Object) new LinkedHashMap<>(map)));
    }

    private static Arbitrary<Object> leaf() {
        return Arbitraries.frequencyOf(
                Tuple.of(4, numbers()),
                Tuple.of(3, Arbitraries.strings().ofMaxLength(40).map(s -> (Object) s)),
                Tuple.of(3, Arbitraries.of(WORDS).map(s -> (Object) s)),
                Tuple.of(2, Arbitraries.of("true", "false", "null", "{}", "[]").map(s -> (Object) new Raw(s))),
                Tuple.of(1, Arbitraries.integers().between(1, 300).map(d -> (Object) new Raw("[".repeat(d) + "]".repeat(d)))),
                Tuple.of(1, Arbitraries.integers().between(1, 300).map(d -> (Object) new Raw("{\"a\":".repeat(d) + "1" + "}".repeat(d)))),
                Tuple.of(1, Arbitraries.of(new byte[]{(byte) 0xC3, 0x28}, new byte[]{(byte) 0xFF}, new byte[]{(byte) 0xE2, (byte) 0x82},
                        new byte[]{(byte) 0xED, (byte) 0xA0, (byte) 0x80}, new byte[]{(byte) 0xF8, (byte) 0x88, (byte) 0x80, (byte) 0x80, (byte) 0x80})
                        .map(b -> (Object) new NotUtf8(b))));
    }

    /** Numbers of every length and shape: a few digits to past what any JSON library converts. */
    private static Arbitrary<Object> numbers() {
        Arbitrary<String> digits = Arbitraries.strings().withChars("0123456789").ofMinLength(1).ofMaxLength(1500);
        Arbitrary<String> shaped = Combinators.combine(Arbitraries.of("", "-"), digits, Arbitraries.of("", ".5", "e309", "E-400", ".0"))
                .as((sign, d, tail) -> sign + d + tail);
        return Arbitraries.frequencyOf(Tuple.of(2, shaped), Tuple.of(1, Arbitraries.of("0", "-0", "1", "2", "2.0", "1.0", "-1", "12.5",
                "1e309", "99999999999999999999", "0.30000000000000004"))).map(s -> (Object) new Raw(s));
    }

    /** A small JSON tree of maps, lists, strings and raw numbers, enough to mutate and write the requests above. */
    static final class Tree {

        private Tree() {
        }

        static Object parse(String json) {
            return new Reader(json).value();
        }

        /** Applies the mutation to the node numbered {@code target} modulo the node count, in document order. */
        @SuppressWarnings("unchecked")
        static Object apply(Object root, Mutation mutation) {
            List<Object[]> slots = new ArrayList<>(); // {container, key or index}
            collect(root, slots);
            if (slots.isEmpty()) {
                return root;
            }
            Object[] slot = slots.get(mutation.target() % slots.size());
            Object container = slot[0];
            Object at = slot[1];
            Object current = container instanceof Map<?, ?> map ? map.get(at) : ((List<Object>) container).get((Integer) at);
            switch (mutation.kind()) {
                case REPLACE -> put(container, at, mutation.value());
                case WRAP_IN_ARRAY -> put(container, at, new ArrayList<>(List.of(current)));
                case REMOVE -> {
                    if (container instanceof Map<?, ?> map) {
                        map.remove(at);
                    } else {
                        ((List<Object>) container).remove((int) (Integer) at);
                    }
                }
                case ADD_MEMBER -> {
                    if (current instanceof Map<?, ?> map) {
                        ((Map<String, Object>) map).put(mutation.key(), mutation.value());
                    } else if (container instanceof Map<?, ?> map) {
                        ((Map<String, Object>) map).put(mutation.key(), mutation.value());
                    } else {
                        ((List<Object>) container).add(mutation.value());
                    }
                }
            }
            return root;
        }

        @SuppressWarnings("unchecked")
        private static void put(Object container, Object at, Object value) {
            if (container instanceof Map<?, ?> map) {
                ((Map<Object, Object>) map).put(at, value);
            } else {
                ((List<Object>) container).set((Integer) at, value);
            }
        }

        private static void collect(Object node, List<Object[]> slots) {
            if (node instanceof Map<?, ?> map) {
                for (Object key : new ArrayList<>(map.keySet())) {
                    slots.add(new Object[]{map, key});
                    collect(map.get(key), slots);
                }
            } else if (node instanceof List<?> list) {
                for (int i = 0; i < list.size(); i++) {
                    slots.add(new Object[]{list, i});
                    collect(list.get(i), slots);
                }
            }
        }

        static byte[] write(Object node) {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            write(node, out);
            return out.toByteArray();
        }

        private static void write(Object node, ByteArrayOutputStream out) {
            if (node instanceof Map<?, ?> map) {
                out.write('{');
                boolean first = true;
                for (Map.Entry<?, ?> entry : map.entrySet()) {
                    if (!first) {
                        out.write(',');
                    }
                    first = false;
                    string(String.valueOf(entry.getKey()), out);
                    out.write(':');
                    write(entry.getValue(), out);
                }
                out.write('}');
            } else if (node instanceof List<?> list) {
                out.write('[');
                for (int i = 0; i < list.size(); i++) {
                    if (i > 0) {
                        out.write(',');
                    }
                    write(list.get(i), out);
                }
                out.write(']');
            } else if (node instanceof Raw raw) {
                out.writeBytes(raw.text().getBytes(StandardCharsets.UTF_8));
            } else if (node instanceof NotUtf8 bad) {
                out.write('"');
                out.writeBytes("bad ".getBytes(StandardCharsets.US_ASCII));
                out.writeBytes(bad.bytes());
                out.write('"');
            } else {
                string(String.valueOf(node), out);
            }
        }

        /** Control characters and surrogates escaped, so that lone surrogates reach the gateway as JSON escapes. */
        private static void string(String text, ByteArrayOutputStream out) {
            StringBuilder escaped = new StringBuilder(text.length() + 2).append('"');
            for (char c : text.toCharArray()) {
                if (c == '"' || c == '\\') {
                    escaped.append('\\').append(c);
                } else if (c < 0x20 || Character.isSurrogate(c)) {
                    escaped.append(String.format("\\u%04x", (int) c));
                } else {
                    escaped.append(c);
                }
            }
            out.writeBytes(escaped.append('"').toString().getBytes(StandardCharsets.UTF_8));
        }

        /** Reads the templates above: objects, arrays, strings with simple escapes, numbers and literals. */
        private static final class Reader {
            private final String text;
            private int at;

            Reader(String text) {
                this.text = text;
            }

            Object value() {
                skipSpace();
                char c = text.charAt(at);
                if (c == '{') {
                    Map<String, Object> map = new LinkedHashMap<>();
                    at++;
                    skipSpace();
                    while (text.charAt(at) != '}') {
                        String key = (String) value();
                        skipSpace();
                        at++; // ':'
                        map.put(key, value());
                        skipSpace();
                        if (text.charAt(at) == ',') {
                            at++;
                            skipSpace();
                        }
                    }
                    at++;
                    return map;
                }
                if (c == '[') {
                    List<Object> list = new ArrayList<>();
                    at++;
                    skipSpace();
                    while (text.charAt(at) != ']') {
                        list.add(value());
                        skipSpace();
                        if (text.charAt(at) == ',') {
                            at++;
                            skipSpace();
                        }
                    }
                    at++;
                    return list;
                }
                if (c == '"') {
                    StringBuilder s = new StringBuilder();
                    for (at++; text.charAt(at) != '"'; at++) {
                        char ch = text.charAt(at);
                        if (ch == '\\') {
                            char next = text.charAt(++at);
                            s.append(next == 'n' ? '\n' : next);
                        } else {
                            s.append(ch);
                        }
                    }
                    at++;
                    return s.toString();
                }
                int start = at;
                while (at < text.length() && ",}] \n".indexOf(text.charAt(at)) < 0) {
                    at++;
                }
                return new Raw(text.substring(start, at));
            }

            private void skipSpace() {
                while (at < text.length() && Character.isWhitespace(text.charAt(at))) {
                    at++;
                }
            }
        }
    }
}
