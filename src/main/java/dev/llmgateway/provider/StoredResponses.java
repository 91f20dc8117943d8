package dev.llmgateway.provider;

/**
 * The responses a provider keeps (OpenAI's and Azure's Responses API with {@code store}): fetched, listed, deleted
 * and cancelled where the provider holds them.
 */
public interface StoredResponses {

    /**
     * @param method {@code GET}, {@code DELETE} or {@code POST}
     * @param path   below the Responses API root: {@code /<id>}, {@code /<id>/input_items}, {@code /<id>/cancel}
     * @param query  the client's query string, already checked, or empty
     * @param memory what the answer is charged to as it is read
     * @return the provider's JSON answer
     */
    byte[] exchange(String method, String path, String query, AnswerMemory memory) throws ProviderException;
}
