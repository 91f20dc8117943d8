package dev.llmgateway.provider.messages;

import dev.llmgateway.json.Json;
import dev.llmgateway.provider.ChunkStream;
import dev.llmgateway.provider.Completion;
import dev.llmgateway.provider.Operation;
import dev.llmgateway.provider.Provider;
import dev.llmgateway.provider.ProviderException;
import dev.llmgateway.provider.ProviderRequest;
import dev.llmgateway.provider.StoredResponses;
import dev.llmgateway.provider.UntranslatableException;
import dev.llmgateway.provider.UpstreamError;
import dev.llmgateway.request.RequestState;

import java.util.Optional;

/**
 * Serves Anthropic's Messages API with a provider that only chats (OpenAI, Azure, the dummy): the request goes down as a
 * chat request, the answer comes back as a message, a stream as Anthropic's events. What the translation leaves out is
 * named on the request's state, for the answer's header and the span. Every other operation goes to the provider unchanged.
 */
public final class MessagesOverChat implements Provider {

    private final Provider chat;
    private final boolean refuseHostedTools;

    private MessagesOverChat(Provider chat, boolean refuseHostedTools) {
        this.chat = chat;
        this.refuseHostedTools = refuseHostedTools;
    }

    /** @param refuseHostedTools whether a tool only its own provider runs is refused (400) rather than left out and named */
    public static Provider wrap(Provider chat, boolean refuseHostedTools) {
        return new MessagesOverChat(chat, refuseHostedTools);
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
        return operation == Operation.MESSAGES ? chat.serves(Operation.CHAT) : chat.serves(operation);
    }

    @Override
    public Optional<StoredResponses> storedResponses() {
        return chat.storedResponses();
    }

    @Override
    public java.util.Optional<byte[]> countTokens(ProviderRequest request) throws ProviderException {
        return chat.countTokens(request);
    }

    @Override
    public Completion complete(ProviderRequest request) throws ProviderException {
        if (request.operation() != Operation.MESSAGES) {
            return chat.complete(request);
        }
        return MessageFromChat.translate(chat.complete(asChat(request)), request.body().getString("model", request.model()));
    }

    @Override
    public ChunkStream stream(ProviderRequest request) throws ProviderException {
        if (request.operation() != Operation.MESSAGES) {
            return chat.stream(request);
        }
        return new MessageEventsFromChat(chat.stream(asChat(request)), request.body().getString("model", request.model()), name());
    }

    private ProviderRequest asChat(ProviderRequest request) throws ProviderException {
        ChatFromMessages translation = new ChatFromMessages(refuseHostedTools);
        try {
            var body = translation.translate(request.body(), request.stream());
            RequestState state = RequestState.current();
            if (state != null) {
                translation.dropped().forEach(state::dropped);
            }
            return new ProviderRequest(Operation.CHAT, Json.object(body).build(), request.model(), request.stream(), request.memory());
        } catch (UntranslatableException e) {
            throw new ProviderException(name(), ProviderException.Reason.UNSUPPORTED, 400, e.getMessage(), null, e)
                    .with(UpstreamError.parameter(e.param()));
        }
    }
}
