FROM sbtscala/scala-sbt:eclipse-temurin-jammy-17.0.10_7_1.9.9_3.4.1 AS build

WORKDIR /build

COPY build.sbt .
COPY project project

RUN sbt update

COPY src src

RUN sbt assembly

FROM eclipse-temurin:17-jre

COPY --from=build /build/target/scala-3.4.1/app-assembly.jar /app.jar

ENTRYPOINT ["java", "-jar", "/app.jar"]
