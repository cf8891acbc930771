# Use an official image as a parent image
FROM debian:jessie
MAINTAINER devops@example.com

RUN apt-get update

RUN apt-get install -y curl wget vim git net-tools sudo supervisor
ARG POSTGRES_PASSWORD=postgres
COPY . /root/app
RUN cd /root/app && make

RUN cd /tmp && wget http://example.com/tools/setup.sh && sh setup.sh

USER root

# Expose the port the app runs on
EXPOSE 3000

WORKDIR /root/app
CMD /usr/bin/supervisord -n
