# === build ===
FROM maven:3.8-openjdk-17 AS builder
WORKDIR /home/gradle/src
COPY pom.xml .

# Download dependencies
RUN mvn -B dependency:go-offline
COPY src ./src

# Production build
RUN mvn --batch-mode clean package -DskipTests

# Use an official image as a parent image
FROM amazoncorretto:17
RUN yum install -y shadow-utils && yum clean all && groupadd --system spring && useradd --system --gid spring spring
WORKDIR /app
COPY --from=builder /home/gradle/src/target/*.jar app.jar

# Do not run as root
USER spring:spring

# Make the service port available outside the container
EXPOSE 8081

# Let the orchestrator know when the service is healthy
HEALTHCHECK --interval=15s --timeout=5s --retries=5 \
    CMD curl -f http://localhost:8081/actuator/health || exit 1
ENTRYPOINT ["java", "-XX:MaxRAMPercentage=75.0", "-jar", "/app/app.jar"]
