# Builder image
FROM maven:3.8-openjdk-11 AS build

# Create app directory
WORKDIR /build

COPY mvnw .
COPY .mvn .mvn

# Only copy the dependency files first so this layer is cached
COPY pom.xml .

# Install dependencies
RUN ./mvnw -B -q dependency:go-offline

COPY src ./src

# Build a release artifact
RUN ./mvnw -B -q install -Dmaven.test.skip=true

# Base image
FROM amazoncorretto:11

RUN yum install -y shadow-utils && yum clean all && groupadd --system spring && useradd --system --gid spring spring

# Set the working directory
WORKDIR /app

COPY --from=build /build/target/*.jar app.jar

# Drop privileges
USER spring:spring

# Expose the port the app runs on
EXPOSE 8080

# Start the application
ENTRYPOINT ["java", "-XX:+UseG1GC", "-XX:MaxRAMPercentage=75", "-jar", "/app/app.jar"]
