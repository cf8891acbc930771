# Base image for maven services. Child images only need: FROM registry.example.com/base/maven-onbuild
from maven:3.9-eclipse-temurin-21

run mkdir -p /usr/src/app

# Create app directory
workdir /usr/src/app

onbuild add . /usr/src/app

onbuild run mvn -B install -DskipTests

cmd ["sh", "-c", "java -jar target/*.jar"]
