package dev.llmgateway.provider.messages;

import dev.llmgateway.provider.ChunkStream;
import dev.llmgateway.provider.Completion;
import dev.llmgateway.provider.Operation;
import dev.llmgateway.provider.OverChat;
import dev.llmgateway.provider.Provider;
import dev.llmgateway.provider.ProviderException;
import dev.llmgateway.provider.ProviderRequest;
import dev.llmgateway.provider.UntranslatableException;

/**
 * Serves Anthropic's Messages API with a provider that only chats (OpenAI, Azure, the dummy): the request goes down as a
 * chat request, the answer comes back as a message, a stream as Anthropic's events. What the translation leaves out is
 * named on the request's state, for the answer's header and the span. Every other operation goes to the provider unchanged.
 */
public final class MessagesOverChat extends OverChat {

    private MessagesOverChat(Provider chat, boolean refuseHostedTools) {
        super(chat, Operation.MESSAGES, refuseHostedTools);
    }

    /** @param refuseHostedTools whether a server tool is refused (400) rather than left out and named */
    public static Provider wrap(Provider chat, boolean refuseHostedTools) {
        return new MessagesOverChat(chat, refuseHostedTools);
    }

    @Override
    protected Completion completeOverChat(ProviderRequest request) throws ProviderException {
        return MessageFromChat.translate(chat.complete(asChat(request)), request.body().getString("model", request.model()));
    }

    @Override
    protected ChunkStream streamOverChat(ProviderRequest request) throws ProviderException {
        return new MessageEventsFromChat(chat.stream(asChat(request)), request.body().getString("model", request.model()), name());
    }

    private ProviderRequest asChat(ProviderRequest request) throws ProviderException {
        ChatFromMessages translation = new ChatFromMessages(refuseHostedTools);
        try {
            return asChat(request, translation.translate(request.body(), request.stream()), translation.dropped());
        } catch (UntranslatableException e) {
            throw untranslatable(e);
        }
    }
}
