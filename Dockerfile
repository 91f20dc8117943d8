# LLM Gateway on Payara Micro. Build:  docker build -t llm-gateway .
# Run:    docker run -p 8080:8080 -e GATEWAY_PROVIDER_OPENAI_API_KEY=... llm-gateway
# First version: a later change adds the Open Liberty variant and OTLP settings.

FROM eclipse-temurin:17-jdk AS build
WORKDIR /src
COPY .mvn .mvn
COPY mvnw pom.xml ./
COPY src src
COPY server-config server-config
RUN ./mvnw --batch-mode --no-transfer-progress -DskipTests package

FROM payara/micro:6.2025.10-jdk17
COPY --from=build /src/target/llm-gateway.war ${DEPLOY_DIR}/ROOT.war
EXPOSE 8080
HEALTHCHECK --interval=15s --timeout=3s --start-period=30s CMD curl -fsS http://127.0.0.1:8080/health || exit 1
CMD ["--deploymentDir", "/opt/payara/deployments", "--contextroot", "/", "--nocluster"]
