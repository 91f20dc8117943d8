# LLM Gateway container images.
#   docker build -t llm-gateway .                                  Payara Micro (default)
#   docker build -t llm-gateway:liberty --target liberty .         Open Liberty
#   docker run -p 8080:8080 -e GATEWAY_TRACING_ENABLED=true -e GATEWAY_TRACING_ENDPOINT=http://collector:4317 llm-gateway
# Every setting is an environment variable (see the README's configuration reference).

# ---- build: the same command as the README's, which CI runs as part of ./mvnw verify (a JDK 21 or later)
FROM eclipse-temurin:25-jdk AS build
WORKDIR /src
COPY .mvn .mvn
COPY mvnw pom.xml ./
COPY src src
COPY server-config server-config
RUN ./mvnw --batch-mode --no-transfer-progress -DskipTests package

# ---- Open Liberty: features from server-config/liberty/server.xml, runs as the image's non-root user 1001; Java 25, where
#      calls run on virtual threads that no synchronized block pins (README, "Runtimes")
FROM icr.io/appcafe/open-liberty:kernel-slim-java25-openj9-ubi-minimal AS liberty
COPY --chown=1001:0 server-config/liberty/server.xml server-config/liberty/gateway-app.xml /config/
RUN features.sh
COPY --chown=1001:0 --from=build /src/target/llm-gateway.war /config/apps/llm-gateway.war
# listen on every interface inside the container; declare the gateway WAR; size the heap from the container's limit
ENV GATEWAY_HTTP_HOST="*" \
    GATEWAY_APP_CONFIG=gateway-app.xml \
    JAVA_TOOL_OPTIONS="-XX:MaxRAMPercentage=75 -XX:+ExitOnOutOfMemoryError"
RUN configure.sh
EXPOSE 8080
HEALTHCHECK --interval=15s --timeout=3s --start-period=30s --retries=3 \
    CMD bash -c 'exec 3<>/dev/tcp/127.0.0.1/8080 && printf "GET /health/ready HTTP/1.0\r\n\r\n" >&3 && grep -q "200 OK" <&3'

# ---- Payara Micro (default): the Payara Micro launcher the build fetched, on Java 25 (the official images stop at 21, where a
#      virtual thread blocked in synchronized code pins its carrier), as a non-root user; heap sized from the container's limit
FROM eclipse-temurin:25-jre AS payara
RUN useradd --system --create-home --home-dir /opt/payara payara
COPY --from=build /src/target/payara-micro.jar /opt/payara/payara-micro.jar
COPY --from=build /src/target/llm-gateway.war /opt/payara/deployments/llm-gateway.war
USER payara
WORKDIR /opt/payara
ENV JVM_ARGS="-XX:MaxRAMPercentage=70 -XX:+UseParallelGC -XX:+UnlockExperimentalVMOptions -XX:TrimNativeHeapInterval=5000 -Djakarta.json.provider=org.eclipse.parsson.JsonProviderImpl -XX:+ExitOnOutOfMemoryError"
EXPOSE 8080
HEALTHCHECK --interval=15s --timeout=3s --start-period=45s --retries=3 \
    CMD bash -c 'exec 3<>/dev/tcp/127.0.0.1/8080 && printf "GET /health/ready HTTP/1.0\r\n\r\n" >&3 && grep -q "200 OK" <&3'
# twice the cores (the container's CPU quota when it has one) as carriers of the calls' virtual threads: beside Payara's
# request threads as many as cores fell behind (README, Performance); a -Djdk.virtualThreadScheduler.parallelism in JVM_ARGS wins
ENTRYPOINT ["sh", "-c", "c=$(nproc); if [ -r /sys/fs/cgroup/cpu.max ] && read q p < /sys/fs/cgroup/cpu.max && [ \"$q\" != max ]; then c=$(( (q + p - 1) / p )); fi; exec java -Djdk.virtualThreadScheduler.parallelism=$(( c * 2 )) $JVM_ARGS -jar /opt/payara/payara-micro.jar --deploymentDir /opt/payara/deployments --nocluster --port 8080 \"$@\"", "--"]
