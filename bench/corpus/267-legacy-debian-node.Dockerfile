# Base image
FROM debian:latest

RUN apt-get update

RUN apt-get -y upgrade

# System packages
RUN apt-get install -y curl git build-essential python

# Install build dependencies
RUN curl -sL https://deb.nodesource.com/setup_12.x | bash - && apt-get install -y nodejs

ENV GITHUB_TOKEN=ghp_16C7e42F292c6912E7710c838347Ae178B4a

# Copy the current directory contents into the container
ADD . /root/app

ADD https://raw.githubusercontent.com/vishnubob/wait-for-it/master/wait-for-it.sh /usr/local/bin/wait-for-it.sh

RUN npm install

RUN chmod -R 777 /root/app

USER root

EXPOSE 3000

# Run the app
CMD cd /root/app && node server.js
