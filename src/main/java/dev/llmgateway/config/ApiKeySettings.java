package dev.llmgateway.config;

import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * One gateway API key and what its requests' spans are exported with.
 *
 * @param name                 the key's name, on spans and metric labels; never the key
 * @param sha256               the key's digest
 * @param exportHeaders        OTLP export headers (lower-case names) put on the export of this key's spans, the
 *                             tenant's backend credentials; its requests cannot replace them
 * @param allowedExportHeaders the only export header names this key's requests may set, replacing the global list;
 *                             null when the global list applies
 */
public record ApiKeySettings(String name, byte[] sha256, Map<String, Secret> exportHeaders, Set<String> allowedExportHeaders) {

    public ApiKeySettings {
        exportHeaders = Map.copyOf(exportHeaders);
        allowedExportHeaders = allowedExportHeaders == null ? null : Set.copyOf(allowedExportHeaders);
    }

    public Optional<Set<String>> exportHeaderAllowList() {
        return Optional.ofNullable(allowedExportHeaders);
    }

    @Override
    public String toString() {
        return "ApiKeySettings[name=" + name + ", exportHeaders=" + exportHeaders.keySet() + ", allowedExportHeaders=" + allowedExportHeaders + "]";
    }
}
