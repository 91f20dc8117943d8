package dev.llmgateway.auth;

import jakarta.enterprise.context.RequestScoped;

/** Who is calling: the name of the gateway API key the request presented, if keys are configured. */
@RequestScoped
public class Caller {

    private String keyName = "";

    public String keyName() {
        return keyName;
    }

    void authenticatedAs(String name) {
        this.keyName = name;
    }
}
