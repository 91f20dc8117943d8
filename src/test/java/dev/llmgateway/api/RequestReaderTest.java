package dev.llmgateway.api;

import dev.llmgateway.request.ApiError;
import dev.llmgateway.admission.MemoryBudget;
import dev.llmgateway.admission.MemoryBudgetExceededException;
import dev.llmgateway.admission.Reservation;
import dev.llmgateway.config.RequestLimits;
import jakarta.json.JsonObject;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

class RequestReaderTest {

    private static final RequestLimits LIMITS = new RequestLimits(8 << 20, 64, 300_000, 1L << 30);
    private static final String START = "{\"model\":\"m\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}],";

    @Test
    void invalidUtf8InsideAValidRequestIsRefusedNotReplaced() {
        var bytes = new ByteArrayOutputStream();
        bytes.writeBytes("{\"model\":\"m\",\"messages\":[{\"role\":\"user\",\"content\":\"a".getBytes(StandardCharsets.UTF_8));
        bytes.write(0xC3);
        bytes.write(0x28);
        bytes.writeBytes("\"}]}".getBytes(StandardCharsets.UTF_8));

        ApiError error = refusal(bytes.toByteArray());

        assertThat(error.status()).isEqualTo(400);
        assertThat(error.message()).contains("UTF-8");
    }

    @Test
    void aRealReplacementCharacterIsText() {
        assertThat(read(START + "\"user\":\"\uFFFD\"}").getString("user")).isEqualTo("\uFFFD");
    }

    @Test
    void deepNestingInsideTheRequestIsA400NamingTheMember() {
        ApiError error = refusal(START + "\"metadata\":" + "[".repeat(1000) + "]".repeat(1000) + "}");

        assertThat(error.status()).isEqualTo(400);
        assertThat(error.param()).isEqualTo("metadata");
        assertThat(error.message()).contains("64 levels");
    }

    @Test
    void contentAfterTheObjectIsA400() {
        for (String trailing : new String[] {" xyz", "{\"model\":\"other\"}", " {}", "]", " 1"}) {
            ApiError error = refusal(START + "\"user\":\"u\"}" + trailing);
            assertThat(error.status()).as(trailing).isEqualTo(400);
            assertThat(error.message()).as(trailing).contains("content after");
        }
        assertThat(read(START + "\"user\":\"u\"} \r\n\t").getString("user")).isEqualTo("u");
    }

    @Test
    void anEscapedLoneSurrogateAnywhereIsA400AndAPairIsText() {
        for (String lone : new String[] {"\\ud800", "\\udc00", "a\\ud83d", "\\ud83d\\u0041", "\\ud83dx"}) {
            ApiError error = refusal(START + "\"metadata\":{\"k\":[\"" + lone + "\"]}}");
            assertThat(error.status()).as(lone).isEqualTo(400);
            assertThat(error.message()).as(lone).contains("lone surrogate");
            assertThat(error.param()).isEqualTo("metadata");
        }
        assertThat(read(START + "\"user\":\"\\ud83d\\ude00\"}").getString("user")).isEqualTo("\ud83d\ude00");
    }

    @Test
    void aKeyTwiceInOneObjectAtAnyDepthIsA400() {
        for (String body : new String[] {
                "{\"model\":\"m\",\"model\":\"n\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}",
                START + "\"metadata\":{\"a\":{\"b\":1,\"b\":2}}}",
                START + "\"metadata\":{\"a\":1,\"\\u0061\":2}}"}) {
            ApiError error = refusal(body);
            assertThat(error.status()).as(body).isEqualTo(400);
            assertThat(error.message()).as(body).contains("same key twice");
        }
        assertThat(read(START + "\"metadata\":{\"a\":{\"b\":1},\"c\":{\"b\":2}}}").getJsonObject("metadata")).hasSize(2);
    }

    @Test
    void nestingWithinTheLimitIsRead() {
        assertThat(read(START + "\"metadata\":" + "[".repeat(60) + "]".repeat(60) + "}").containsKey("metadata")).isTrue();
    }

    @Test
    void aNumberOfAThousandDigitsIsA400NamingTheMember() {
        ApiError error = refusal(START + "\"temperature\":" + "1".repeat(1200) + "}");

        assertThat(error.status()).isEqualTo(400);
        assertThat(error.param()).isEqualTo("temperature");
    }

    @Test
    void tooManyValuesIsA400BeforeAnyTreeIsBuilt() {
        ApiError error = refusal(START + "\"metadata\":[" + "0,".repeat(400_000) + "0]}");

        assertThat(error.status()).isEqualTo(400);
        assertThat(error.param()).isEqualTo("metadata");
        assertThat(error.message()).contains("300000 values");
    }

    @Test
    void stringsWithStructureCharactersAreNotCountedAsStructure() {
        JsonObject json = read(START + "\"user\":\"" + "[{\\\"".repeat(500) + "\"}");

        assertThat(json.getString("user")).startsWith("[{\"");
    }

    @Test
    void theTreeIsChargedByItsValuesAndEverythingIsGivenBack() {
        MemoryBudget budget = new MemoryBudget(1L << 30);
        String body = START + "\"metadata\":[" + "0,".repeat(10_000) + "0]}";
        try (Reservation memory = budget.open()) {
            RequestReader.object(new ByteArrayInputStream(body.getBytes(StandardCharsets.UTF_8)), -1, LIMITS, memory);

            assertThat(budget.inUse()).isGreaterThanOrEqualTo(10_000L * RequestLimits.BYTES_PER_VALUE + body.length());
        }
        assertThat(budget.inUse()).isZero();
    }

    @Test
    void aTreeThatCouldNeverFitTheBudgetIs413AndEverythingIsGivenBack() {
        MemoryBudget budget = new MemoryBudget(500_000);
        String body = START + "\"metadata\":[" + "0,".repeat(10_000) + "0]}";

        MemoryBudgetExceededException refused = catchThrowableOfType(MemoryBudgetExceededException.class, () -> {
            try (Reservation memory = budget.open()) {
                RequestReader.object(new ByteArrayInputStream(body.getBytes(StandardCharsets.UTF_8)), -1, LIMITS, memory);
            }
        });
        assertThat(refused.never()).isTrue();
        assertThat(budget.inUse()).isZero();
    }

    @Test
    void oneLongStringIsChargedForTheParsersBufferAndWideTextForTwoBytesACharacter() {
        MemoryBudget budget = new MemoryBudget(1L << 30);
        String body = START + "\"user\":\"" + "€".repeat(100_000) + "\"}";
        try (Reservation memory = budget.open()) {
            long before = budget.inUse();
            RequestReader.object(new ByteArrayInputStream(body.getBytes(StandardCharsets.UTF_8)), -1, LIMITS, memory);
            assertThat(budget.inUse() - before).as("held once parsed: the tree's UTF-16 strings and the upstream's copy")
                    .isGreaterThanOrEqualTo(2L * 100_000 + body.getBytes(StandardCharsets.UTF_8).length);
        }
        assertThat(RequestLimits.parsingCost(8 << 20, 8 << 20, true, 1)).as("one 8 MiB string while parsed")
                .isGreaterThan(80L << 20);
    }

    private static JsonObject read(String body) {
        try (Reservation memory = new MemoryBudget(1L << 30).open()) {
            return RequestReader.object(new ByteArrayInputStream(body.getBytes(StandardCharsets.UTF_8)), -1, LIMITS, memory);
        }
    }

    private static ApiError refusal(String body) {
        return refusal(body.getBytes(StandardCharsets.UTF_8));
    }

    private static ApiError refusal(byte[] body) {
        try (Reservation memory = new MemoryBudget(1L << 30).open()) {
            return catchThrowableOfType(ApiException.class,
                    () -> RequestReader.object(new ByteArrayInputStream(body), -1, LIMITS, memory)).error();
        }
    }
}
