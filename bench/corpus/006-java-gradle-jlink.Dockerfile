# Build a trimmed Java runtime with jlink and ship only what the service needs.
FROM eclipse-temurin:21-jdk-jammy AS build
WORKDIR /workspace

COPY gradlew settings.gradle.kts build.gradle.kts gradle.properties ./
COPY gradle ./gradle
RUN --mount=type=cache,target=/root/.gradle ./gradlew --no-daemon dependencies > /dev/null

COPY src ./src
RUN --mount=type=cache,target=/root/.gradle \
    ./gradlew --no-daemon bootJar -x test \
 && mkdir -p build/extracted \
 && java -Djarmode=layertools -jar build/libs/*.jar extract --destination build/extracted

# Work out which JDK modules the application uses
RUN jdeps --ignore-missing-deps -q --recursive --multi-release 21 \
        --print-module-deps --class-path 'build/extracted/dependencies/BOOT-INF/lib/*' \
        build/libs/*.jar > modules.txt \
 && jlink --add-modules "$(cat modules.txt),jdk.crypto.ec,jdk.management" \
        --strip-debug --no-man-pages --no-header-files --compress=zip-6 \
        --output /opt/jre

FROM debian:bookworm-slim
ENV JAVA_HOME=/opt/jre \
    PATH="/opt/jre/bin:${PATH}" \
    JAVA_TOOL_OPTIONS="-XX:MaxRAMPercentage=75 -XX:+ExitOnOutOfMemoryError"

RUN groupadd --system --gid 1000 app \
 && useradd --system --uid 1000 --gid app --no-create-home app

COPY --from=build /opt/jre /opt/jre
WORKDIR /app
COPY --from=build /workspace/build/extracted/dependencies/ ./
COPY --from=build /workspace/build/extracted/spring-boot-loader/ ./
COPY --from=build /workspace/build/extracted/snapshot-dependencies/ ./
COPY --from=build /workspace/build/extracted/application/ ./

USER app:app
EXPOSE 8080 8081
ENTRYPOINT ["java", "org.springframework.boot.loader.launch.JarLauncher"]
