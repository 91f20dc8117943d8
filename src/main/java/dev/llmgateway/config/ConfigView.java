package dev.llmgateway.config;

import java.util.Optional;

/** The read side of a configuration: enough for {@link SettingsBinder}, small enough to fake in a unit test. */
public interface ConfigView {

    /** The value of a property, expressions expanded; empty when unset or blank. */
    Optional<String> get(String name);

    /** Names this configuration can enumerate (environment-only names may be missing). */
    Iterable<String> names();
}
