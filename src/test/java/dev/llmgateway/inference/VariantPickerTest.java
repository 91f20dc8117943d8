package dev.llmgateway.inference;

import dev.llmgateway.config.FunctionSettings;
import dev.llmgateway.config.VariantSettings;
import jakarta.json.JsonValue;
import org.junit.jupiter.api.Test;

import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class VariantPickerTest {

    private static final FunctionSettings FUNCTION = new FunctionSettings("summarize", Map.of(
            "a", variant("a", 3), "b", variant("b", 1), "off", variant("off", 0)));

    @Test
    void splitsTheRollByWeight() {
        Map<String, Integer> picks = new HashMap<>();
        for (int i = 0; i < 1000; i++) {
            picks.merge(VariantPicker.pick(FUNCTION, Optional.empty(), i / 1000.0).name(), 1, Integer::sum);
        }
        assertThat(picks).containsEntry("a", 750).containsEntry("b", 250).doesNotContainKey("off");
        assertThat(VariantPicker.pick(FUNCTION, Optional.empty(), Math.nextDown(1.0)).name()).isEqualTo("b");
    }

    @Test
    void aPinnedVariantWinsEvenWithoutWeight() {
        assertThat(VariantPicker.pick(FUNCTION, Optional.of("off"), 0.1).name()).isEqualTo("off");
    }

    @Test
    void anUnknownPinnedVariantIsNotFound() {
        assertThatThrownBy(() -> VariantPicker.pick(FUNCTION, Optional.of("zzz"), 0.1))
                .isInstanceOf(UnknownModelException.class).hasMessageContaining("'zzz'");
    }

    static VariantSettings variant(String name, double weight) {
        return new VariantSettings(name, "dummy", weight, Optional.empty(), JsonValue.EMPTY_JSON_OBJECT);
    }
}
