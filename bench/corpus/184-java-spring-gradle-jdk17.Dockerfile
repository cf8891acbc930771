FROM gradle:8.6.0-jdk17 AS build
WORKDIR /workspace/app
COPY build.gradle settings.gradle ./
RUN gradle dependencies --no-daemon
COPY src src
RUN gradle build -x test --no-daemon

FROM eclipse-temurin:17-jre-jammy
RUN useradd --create-home --uid 1000 --shell /usr/sbin/nologin spring
WORKDIR /app
COPY --from=build /workspace/app/build/libs/*.jar app.jar
USER spring:spring
EXPOSE 9000
ENTRYPOINT ["sh", "-c", "java $JAVA_OPTS -jar /app/app.jar"]
