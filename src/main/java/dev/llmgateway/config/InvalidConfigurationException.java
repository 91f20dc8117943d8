package dev.llmgateway.config;

/** Fails deployment; the message always starts with the property at fault. */
public class InvalidConfigurationException extends RuntimeException {

    public InvalidConfigurationException(String property, String problem) {
        super(property + ": " + problem);
    }
}
