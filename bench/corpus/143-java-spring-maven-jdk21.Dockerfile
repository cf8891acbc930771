# Builder image
FROM maven:3.8-openjdk-17 AS builder

# Working directory inside the container
WORKDIR /build

# Only copy the dependency files first so this layer is cached
COPY pom.xml .

RUN mvn --batch-mode dependency:go-offline

COPY src ./src

# Production build
RUN mvn -B -q package -DskipTests

FROM eclipse-temurin:21-jre

RUN groupadd -r spring && useradd -r -g spring spring

# Set the working directory
WORKDIR /app

COPY --from=builder /build/target/*.jar app.jar

USER spring:spring

EXPOSE 8080

# Default command
ENTRYPOINT ["sh", "-c", "java $JAVA_OPTS -jar /app/app.jar"]
