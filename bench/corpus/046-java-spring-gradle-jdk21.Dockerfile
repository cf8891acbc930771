# syntax=docker/dockerfile:1.6
# === build ===
FROM gradle:8-jdk21-alpine AS builder
WORKDIR /app

COPY build.gradle settings.gradle ./
COPY src src
RUN --mount=type=cache,target=/root/.gradle gradle shadowJar --no-daemon

# Use an official image as a parent image
FROM eclipse-temurin:21-jre-jammy
RUN groupadd -r spring && useradd -r -g spring spring

WORKDIR /app

COPY --from=builder /app/build/libs/*.jar app.jar

# Run as non-root user
USER spring:spring

# Expose the port the app runs on
EXPOSE 8080

# Runtime configuration
ENV JAVA_OPTS="-XX:MaxRAMPercentage=75.0"
HEALTHCHECK --interval=10s --timeout=5s --retries=3 CMD curl -f http://localhost:8080/actuator/health || exit 1

ENTRYPOINT ["java", "-XX:MaxRAMPercentage=75.0", "-jar", "/app/app.jar"]
