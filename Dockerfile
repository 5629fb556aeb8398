# Image for every part of a distributed deployment (docker-compose.yml picks the command).
FROM maven:3.9-eclipse-temurin-17 AS build
WORKDIR /src
COPY . .
RUN mvn -q -B -DskipTests package

FROM eclipse-temurin:17-jre
# Runs as an unprivileged user with a fixed uid/gid (10001), so Kubernetes can check runAsNonRoot
# and volumes can be owned by it. It owns only what the service writes: its home and the Kafka
# Streams state directory; /tmp (ONNX Runtime, OpenCV and RocksDB unpack native libraries there)
# stays the image's world-writable one.
RUN groupadd --system --gid 10001 animegan \
    && useradd --system --uid 10001 --gid 10001 --home-dir /var/lib/animegan --no-create-home \
        --shell /usr/sbin/nologin animegan \
    && mkdir -p /var/lib/animegan /var/lib/animegan-streams \
    && chown -R 10001:10001 /var/lib/animegan /var/lib/animegan-streams \
    && chmod 0750 /var/lib/animegan /var/lib/animegan-streams
WORKDIR /opt/animegan
COPY --from=build /src/app/target/animegan.jar ./animegan.jar
COPY --from=build /src/app/target/lib ./lib
# The models ship in the image (about 46 MB, read-only, owned by root); a volume mounted at
# /models with ANIMEGAN_MODELS_DIR=/models replaces them without a rebuild (docker-compose.yml does).
COPY --from=build /src/models ./models
ENV ANIMEGAN_MODELS_DIR=/opt/animegan/models \
    ANIMEGAN_STATE_DIR=/var/lib/animegan-streams \
    HOME=/var/lib/animegan \
    MALLOC_ARENA_MAX=2 \
    GLIBC_TUNABLES=glibc.malloc.hugetlb=1
USER 10001:10001
ENTRYPOINT ["java", "-Xss4m", "-XX:MaxRAMPercentage=75", "-jar", "/opt/animegan/animegan.jar"]
