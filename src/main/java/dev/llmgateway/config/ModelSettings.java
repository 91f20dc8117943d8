package dev.llmgateway.config;

import java.util.List;

/**
 * A model name clients send, and the providers that serve it, tried in order.
 */
public record ModelSettings(String name, List<String> routing) {

    public ModelSettings {
        routing = List.copyOf(routing);
    }
}
