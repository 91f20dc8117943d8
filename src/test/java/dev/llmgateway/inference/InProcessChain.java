package dev.llmgateway.inference;

import dev.llmgateway.config.GatewaySettings;
import dev.llmgateway.events.GatewayEvents;
import dev.llmgateway.provider.Provider;
import dev.llmgateway.provider.ProviderException;
import dev.llmgateway.provider.Providers;

import java.util.Map;
import java.util.concurrent.Callable;

/**
 * The inference chain wired by hand, as CDI wires it, each step's method passed through {@code around} the way its
 * interceptor binding passes it through an interceptor: for in-process tests of fallback, events and spans.
 */
public final class InProcessChain {

    /** What an interceptor does around one step: {@code proceed} runs the step. */
    @FunctionalInterface
    public interface Around {
        Object around(Object step, Callable<Object> proceed) throws Exception;
    }

    private InProcessChain() {
    }

    public static InferenceService build(GatewaySettings settings, Map<String, Provider> byName, GatewayEvents events, Around around) {
        Providers providers = new Providers() {
            @Override
            public Provider named(String name) {
                return byName.get(name);
            }
        };
        ProviderAttempt attempts = new ProviderAttempt() {
            @Override
            public InferenceResult call(ProviderStep step) throws ProviderException {
                return (InferenceResult) through(around, step, () -> super.call(step));
            }
        };
        attempts.events = events;
        ModelInference models = new ModelInference() {
            @Override
            public InferenceResult infer(ModelStep step) {
                return (InferenceResult) through(around, step, () -> super.infer(step));
            }
        };
        models.settings = settings;
        models.providers = providers;
        models.attempts = attempts;
        models.events = events;
        VariantInference variants = new VariantInference() {
            @Override
            public InferenceResult infer(VariantStep step) {
                return (InferenceResult) through(around, step, () -> super.infer(step));
            }
        };
        variants.settings = settings;
        variants.models = models;
        FunctionInference functions = new FunctionInference() {
            @Override
            public InferenceResult infer(FunctionStep step) {
                return (InferenceResult) through(around, step, () -> super.infer(step));
            }
        };
        functions.variants = variants;
        InferenceService service = new InferenceService();
        service.settings = settings;
        service.functions = functions;
        service.models = models;
        return service;
    }

    /** The step through {@code around}; a provider's failure passes as it was thrown, as through an interceptor. */
    private static Object through(Around around, Object step, Callable<Object> proceed) {
        try {
            return around.around(step, proceed);
        } catch (RuntimeException | Error e) {
            throw e;
        } catch (ProviderException e) {
            throw Sneaky.<RuntimeException>rethrow(e);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static final class Sneaky {
        @SuppressWarnings("unchecked")
        static <E extends Throwable> E rethrow(Throwable e) throws E {
            throw (E) e;
        }
    }
}
