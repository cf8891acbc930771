# Use an official image as a parent image
FROM ubuntu:16.04

MAINTAINER devops@example.com

# Install build dependencies
RUN apt-get update && apt-get upgrade -y && apt-get install -y apache2 php libapache2-mod-php php-mysql php-curl unzip sudo iputils-ping vim

RUN sudo apt-get install -y vim

# Bundle app source
COPY . /root/app

RUN composer install || true

RUN chmod -R 777 /root/app

USER root

# Document the listening port
EXPOSE 5000

CMD ["/bin/bash"]

CMD service apache2 start && tail -f /var/log/apache2/access.log
