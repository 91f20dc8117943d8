package dev.llmgateway.provider;

import dev.llmgateway.request.RequestState;
import jakarta.json.JsonObject;

import java.util.Optional;
import java.util.Set;

/**
 * One API served by a provider that only chats: requests for {@code served} go down as chat requests and their answers
 * come back in that API's shapes; every other operation, and the provider's stored responses and token counts, go to
 * the provider unchanged.
 */
public abstract class OverChat implements Provider {

    protected final Provider chat;
    protected final boolean refuseHostedTools;
    private final Operation served;

    /** @param refuseHostedTools whether a tool only its own provider runs is refused (400) rather than left out and named */
    protected OverChat(Provider chat, Operation served, boolean refuseHostedTools) {
        this.chat = chat;
        this.served = served;
        this.refuseHostedTools = refuseHostedTools;
    }

    /** The answer over chat to a request of the served API. */
    protected abstract Completion completeOverChat(ProviderRequest request) throws ProviderException;

    /** The stream over chat of a request of the served API. */
    protected abstract ChunkStream streamOverChat(ProviderRequest request) throws ProviderException;

    @Override
    public final String name() {
        return chat.name();
    }

    @Override
    public final boolean serves(Operation operation) {
        return operation == served ? chat.serves(Operation.CHAT) : chat.serves(operation);
    }

    @Override
    public final Optional<StoredResponses> storedResponses() {
        return chat.storedResponses();
    }

    @Override
    public final Optional<byte[]> countTokens(ProviderRequest request) throws ProviderException {
        return chat.countTokens(request);
    }

    @Override
    public final Completion complete(ProviderRequest request) throws ProviderException {
        return request.operation() == served ? completeOverChat(request) : chat.complete(request);
    }

    @Override
    public final ChunkStream stream(ProviderRequest request) throws ProviderException {
        return request.operation() == served ? streamOverChat(request) : chat.stream(request);
    }

    /** The chat request a translation made, what it left out named on the request's state for the header and the span. */
    protected final ProviderRequest asChat(ProviderRequest request, JsonObject chatBody, Set<String> dropped) {
        RequestState state = RequestState.current();
        if (state != null) {
            dropped.forEach(state::dropped);
        }
        return new ProviderRequest(Operation.CHAT, chatBody, request.model(), request.stream(), request.memory());
    }

    /** A field the translation cannot carry: the client's 400 naming it, and the model's next provider is tried. */
    protected final ProviderException untranslatable(UntranslatableException e) {
        return new ProviderException(name(), ProviderException.Reason.UNSUPPORTED, 400, e.getMessage(), null, e)
                .with(UpstreamError.parameter(e.param()));
    }
}
