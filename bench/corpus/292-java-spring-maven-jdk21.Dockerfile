# Build stage
FROM maven:3-amazoncorretto-21 AS builder

# Create app directory
WORKDIR /app

# Dependency manifests
COPY pom.xml .

# Fetch dependencies (cached unless the manifests change)
RUN mvn --batch-mode dependency:go-offline

# Bundle app source
COPY src ./src

# Compile
RUN mvn -B verify

# Runtime image
FROM eclipse-temurin:21-jre-alpine

# System packages
RUN apk add --no-cache curl

# Set the working directory
WORKDIR /app

COPY --from=builder /app/target/*.jar app.jar
EXPOSE 8081

# Runtime configuration
ENV JAVA_OPTS="-Xms256m -Xmx512m"

# Container health check
HEALTHCHECK --interval=15s --timeout=3s --start-period=10s --retries=3 \
    CMD curl -f http://localhost:8081/actuator/health || exit 1

# Run the service
ENTRYPOINT ["java", "-Xms256m", "-Xmx512m", "-jar", "/app/app.jar"]
