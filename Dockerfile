# Image for every part of a distributed deployment (docker-compose.yml picks the command).
FROM maven:3.9-eclipse-temurin-17 AS build
WORKDIR /src
COPY . .
RUN mvn -q -B -DskipTests package

FROM eclipse-temurin:17-jre
WORKDIR /opt/animegan
COPY --from=build /src/app/target/animegan.jar ./animegan.jar
COPY --from=build /src/app/target/lib ./lib
ENV ANIMEGAN_MODELS_DIR=/models
ENTRYPOINT ["java", "-Xss4m", "-XX:MaxRAMPercentage=75", "-jar", "/opt/animegan/animegan.jar"]
