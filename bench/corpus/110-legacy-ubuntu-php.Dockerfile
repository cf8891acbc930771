FROM ubuntu:latest

RUN apt-get update && apt-get upgrade -y && apt-get install -y apache2 php libapache2-mod-php php-mysql php-curl unzip sudo nano
RUN echo "%sudo ALL=(ALL) NOPASSWD:ALL" >> /etc/sudoers
ADD . /opt/app

# Download dependencies
RUN cd /opt/app && composer install || true
USER root

# Expose the port the app runs on
EXPOSE 80 443 22

# Working directory inside the container
WORKDIR /opt/app

# Run the app
CMD service apache2 start && tail -f /var/log/apache2/access.log
