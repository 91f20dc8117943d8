package dev.llmgateway.provider.responses;

import dev.llmgateway.provider.ChunkStream;
import dev.llmgateway.provider.Completion;
import dev.llmgateway.provider.Operation;
import dev.llmgateway.provider.OverChat;
import dev.llmgateway.provider.Provider;
import dev.llmgateway.provider.ProviderException;
import dev.llmgateway.provider.ProviderRequest;
import dev.llmgateway.provider.UntranslatableException;

import java.util.Set;
import java.util.TreeSet;

/**
 * Serves OpenAI's Responses API with a provider that only chats (Anthropic, the dummy): the request goes down as
 * a chat request, the answer comes back as a {@code response}, a stream as the Responses API's typed events. Every
 * other operation goes to the provider unchanged.
 */
public final class ResponsesOverChat extends OverChat {

    private ResponsesOverChat(Provider chat, boolean refuseHostedTools) {
        super(chat, Operation.RESPONSES, refuseHostedTools);
    }

    /** @param refuseHostedTools whether a hosted tool is refused (400) rather than left out and named */
    public static Provider wrap(Provider chat, boolean refuseHostedTools) {
        return new ResponsesOverChat(chat, refuseHostedTools);
    }

    @Override
    protected Completion completeOverChat(ProviderRequest request) throws ProviderException {
        return Completion.of(ResponseFromChat.translate(request.body(), chat.complete(asChat(request)), request.model()));
    }

    @Override
    protected ChunkStream streamOverChat(ProviderRequest request) throws ProviderException {
        return new ResponseEventsFromChat(chat.stream(asChat(request)), request.body(), request.model(), name(), request.memory());
    }

    private ProviderRequest asChat(ProviderRequest request) throws ProviderException {
        Set<String> dropped = new TreeSet<>();
        try {
            return asChat(request, ChatFromResponses.translate(request.body(), dropped, refuseHostedTools), dropped);
        } catch (UntranslatableException e) {
            throw untranslatable(e);
        }
    }
}
