package dev.llmgateway.inference;

import dev.llmgateway.config.FunctionSettings;
import dev.llmgateway.config.VariantSettings;

import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/** Chooses a function's variant: the pinned one, else by weight. */
final class VariantPicker {

    private VariantPicker() {
    }

    /** @param roll a uniform random number in [0, 1) */
    static VariantSettings pick(FunctionSettings function, Optional<String> pinned, double roll) {
        if (pinned.isPresent()) {
            return function.variant(pinned.get()).orElseThrow(() -> UnknownModelException.variant(function.name(), pinned.get()));
        }
        List<VariantSettings> variants = function.variants().values().stream()
                .sorted(Comparator.comparing(VariantSettings::name)).toList();
        double total = variants.stream().mapToDouble(VariantSettings::weight).sum();
        double point = roll * total;
        for (VariantSettings variant : variants) {
            point -= variant.weight();
            if (point < 0) {
                return variant;
            }
        }
        // rounding can leave the roll just past the last positive weight
        return variants.stream().filter(v -> v.weight() > 0).reduce((a, b) -> b).orElseThrow();
    }
}
