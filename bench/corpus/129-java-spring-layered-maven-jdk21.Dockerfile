FROM maven:3.9-eclipse-temurin-21 AS build
WORKDIR /home/gradle/src
COPY mvnw .
COPY .mvn .mvn

# Copy the requirements file into the container
COPY pom.xml .

RUN ./mvnw --batch-mode dependency:go-offline

# Copy the application source
COPY src ./src

# Production build
RUN ./mvnw -B -q clean package -DskipTests
RUN mkdir -p target/extracted && java -Djarmode=layertools -jar target/*.jar extract --destination target/extracted

FROM amazoncorretto:21-alpine

WORKDIR /app
COPY --from=build /home/gradle/src/target/extracted/dependencies/ ./
COPY --from=build /home/gradle/src/target/extracted/spring-boot-loader/ ./
COPY --from=build /home/gradle/src/target/extracted/snapshot-dependencies/ ./
COPY --from=build /home/gradle/src/target/extracted/application/ ./

# Document the listening port
EXPOSE 8080

# Run the app
ENTRYPOINT ["java", "org.springframework.boot.loader.launch.JarLauncher"]
