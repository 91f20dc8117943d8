package dev.llmgateway.it;

import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.container.test.api.RunAsClient;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.extension.ExtendWith;

/** Traces exported over OTLP HTTP/protobuf, configured with the gateway.tracing.* settings, content capture on. */
@ExtendWith(ArquillianExtension.class)
@RunAsClient
class TracingHttpIT extends TracingContract implements RequestExportContract {

    @Deployment(testable = false)
    static WebArchive deployment() {
        return GatewayDeployment.withTracing("http/protobuf", true);
    }

    @Override
    protected boolean capturesContent() {
        return true;
    }
}
