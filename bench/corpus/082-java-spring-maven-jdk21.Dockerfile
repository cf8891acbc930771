# ---- Build ----
FROM maven:3.9.6-eclipse-temurin-21 AS build

# Working directory inside the container
WORKDIR /usr/src/app

# Copy the requirements file into the container
COPY pom.xml .

# Copy the rest of the code
COPY src ./src

# Build a release artifact
RUN mvn -B -q verify

# Runtime image
FROM eclipse-temurin:21-jre-jammy

# Create the service account
RUN groupadd -r spring && useradd -r -g spring spring

WORKDIR /app

COPY --from=build /usr/src/app/target/*.jar app.jar

USER spring:spring

EXPOSE 8081

# Environment
ENV JAVA_OPTS="-Xms256m -Xmx512m"

# Start the application
ENTRYPOINT ["sh", "-c", "java $JAVA_OPTS -jar /app/app.jar"]
