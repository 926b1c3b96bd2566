# Weft control plane image, built from the Maven output (run `mvn -B -DskipTests package` first):
#   docker build -f deploy/control-plane.Dockerfile -t weft/control-plane .
# BASE_IMAGE is any Java 17+ runtime; on machines without registry access pass a local one
# (see ../shared/BUILD-NOTES.md: a debootstrap image with openjdk-17-jre-headless).
ARG BASE_IMAGE=eclipse-temurin:17-jre
FROM ${BASE_IMAGE}
WORKDIR /opt/weft
COPY control-plane/target/quarkus-app/lib/ /opt/weft/lib/
COPY control-plane/target/quarkus-app/app/ /opt/weft/app/
COPY control-plane/target/quarkus-app/quarkus/ /opt/weft/quarkus/
COPY control-plane/target/quarkus-app/quarkus-run.jar /opt/weft/
ENV WEFT_DATA_DIR=/var/lib/weft WEFT_PORT=6785
VOLUME /var/lib/weft
EXPOSE 6785
ENTRYPOINT ["java", "-jar", "/opt/weft/quarkus-run.jar"]
