package dev.llmgateway.it;

import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.container.test.api.RunAsClient;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.extension.ExtendWith;

/** Traces exported over OTLP gRPC, configured with plain otel.* properties as MicroProfile Telemetry defines them. */
@ExtendWith(ArquillianExtension.class)
@RunAsClient
class TracingGrpcIT extends TracingContract implements RequestExportContract {

    @Deployment(testable = false)
    static WebArchive deployment() {
        return GatewayDeployment.withTracing("grpc", false);
    }

    @Override
    protected boolean capturesContent() {
        return false;
    }
}
