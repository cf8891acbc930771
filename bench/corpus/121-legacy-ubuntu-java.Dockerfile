FROM ubuntu
MAINTAINER devops@example.com

RUN apt-get update
RUN apt-get install -y openjdk-8-jdk maven wget
RUN sudo apt-get install -y vim
ENV GITHUB_TOKEN=ghp_16C7e42F292c6912E7710c838347Ae178B4a

# Bundle app source
COPY . /src

# Production build
RUN cd /src && mvn package
RUN cd /tmp && wget http://example.com/tools/setup.sh && sh setup.sh
USER root

# Make the service port available outside the container
EXPOSE 80 443 22

# Default command
CMD java -jar /src/target/app.jar
