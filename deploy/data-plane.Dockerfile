# Weft data plane image (one per host), built from the Maven output (run `mvn -B -DskipTests package` first):
#   docker build -f deploy/data-plane.Dockerfile -t weft/data-plane .
# BASE_IMAGE is any Java 17+ runtime; on machines without registry access pass a local one
# (see ../shared/BUILD-NOTES.md: a debootstrap image with openjdk-17-jre-headless, iproute2, iptables).
# The daemon plumbs bridges, TAPs and veths with `ip`, enters container namespaces with `nsenter`
# and lets bridged frames through Docker's FORWARD policy with `iptables`, so it needs iproute2,
# util-linux and iptables: installed here when the base image lacks them.
# Run it with the host's network, NET_ADMIN (+ SYS_ADMIN and SYS_PTRACE for nsenter), /dev/net/tun
# and the host's PID namespace: see docker-compose.yml.
ARG BASE_IMAGE=eclipse-temurin:17-jre
FROM ${BASE_IMAGE}
RUN if ! command -v ip >/dev/null || ! command -v nsenter >/dev/null || ! command -v iptables >/dev/null; then \
      apt-get update && apt-get install -y --no-install-recommends iproute2 util-linux iptables && rm -rf /var/lib/apt/lists/*; \
    fi
WORKDIR /opt/weft
COPY data-plane/target/quarkus-app/lib/ /opt/weft/lib/
COPY data-plane/target/quarkus-app/app/ /opt/weft/app/
COPY data-plane/target/quarkus-app/quarkus/ /opt/weft/quarkus/
COPY data-plane/target/quarkus-app/quarkus-run.jar /opt/weft/
ENV WEFT_STATE_DIR=/var/lib/weft
VOLUME /var/lib/weft
# The data path (UDP); the local API, /q/health and /q/metrics stay on the host's 127.0.0.1:6784.
EXPOSE 6783/udp
# exec form: java is PID 1 and gets SIGTERM directly, so `docker stop` shuts the daemon down
# cleanly (containers keep their interfaces; the next start resumes from the state volume).
ENTRYPOINT ["java", "-jar", "/opt/weft/quarkus-run.jar"]
