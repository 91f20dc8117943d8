package dev.llmgateway.provider.responses;

import dev.llmgateway.request.RequestState;
import dev.llmgateway.provider.UntranslatableException;

import dev.llmgateway.provider.ChunkStream;
import dev.llmgateway.provider.Completion;
import dev.llmgateway.provider.Operation;
import dev.llmgateway.provider.Provider;
import dev.llmgateway.provider.ProviderException;
import dev.llmgateway.provider.ProviderRequest;
import dev.llmgateway.provider.UpstreamError;
import jakarta.json.JsonObject;

/**
 * Serves OpenAI's Responses API with a provider that only chats (Anthropic, the dummy): the request goes down as
 * a chat request, the answer comes back as a {@code response}, a stream as the Responses API's typed events. Every
 * other operation goes to the provider unchanged.
 */
public final class ResponsesOverChat implements Provider {

    private final Provider chat;
    private final boolean refuseHostedTools;

    private ResponsesOverChat(Provider chat, boolean refuseHostedTools) {
        this.chat = chat;
        this.refuseHostedTools = refuseHostedTools;
    }

    /** @param refuseHostedTools whether a tool only its own provider runs is refused (400) rather than left out and named */
    public static Provider wrap(Provider chat, boolean refuseHostedTools) {
        return new ResponsesOverChat(chat, refuseHostedTools);
    }

    public static Provider wrap(Provider chat) {
        return wrap(chat, false);
    }

    @Override
    public String name() {
        return chat.name();
    }

    @Override
    public boolean serves(Operation operation) {
        return operation == Operation.RESPONSES ? chat.serves(Operation.CHAT) : chat.serves(operation);
    }

    @Override
    public java.util.Optional<byte[]> countTokens(ProviderRequest request) throws ProviderException {
        return chat.countTokens(request);
    }

    @Override
    public Completion complete(ProviderRequest request) throws ProviderException {
        if (request.operation() != Operation.RESPONSES) {
            return chat.complete(request);
        }
        return Completion.of(ResponseFromChat.translate(request.body(), chat.complete(asChat(request)), request.model()));
    }

    @Override
    public ChunkStream stream(ProviderRequest request) throws ProviderException {
        if (request.operation() != Operation.RESPONSES) {
            return chat.stream(request);
        }
        return new ResponseEventsFromChat(chat.stream(asChat(request)), request.body(), request.model(), name(), request.memory());
    }

    private ProviderRequest asChat(ProviderRequest request) throws ProviderException {
        try {
            java.util.Set<String> dropped = new java.util.TreeSet<>();
            JsonObject body = ChatFromResponses.translate(request.body(), dropped, refuseHostedTools);
            RequestState state = RequestState.current();
            if (state != null) {
                dropped.forEach(state::dropped);
            }
            return new ProviderRequest(Operation.CHAT, body, request.model(), request.stream(), request.memory());
        } catch (UntranslatableException e) {
            throw new ProviderException(name(), ProviderException.Reason.UNSUPPORTED, 400, e.getMessage(), null, e)
                    .with(UpstreamError.parameter(e.param()));
        }
    }
}
