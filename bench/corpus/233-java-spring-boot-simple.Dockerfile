from amazoncorretto:21-alpine

volume /tmp

arg JAR_FILE=target/*.jar

copy ${JAR_FILE} app.jar

# Start the application
entrypoint ["java", "-Djava.security.egd=file:/dev/./urandom", "-jar", "/app.jar"]
