# Runtime image
FROM debian:stretch
MAINTAINER admin

# Install system dependencies
RUN apt-get update && apt-get upgrade -y && apt-get install -y apache2 php libapache2-mod-php php-mysql php-curl unzip vim iputils-ping htop
# Install required packages
RUN sudo apt-get install -y vim

# Copy the application source
ADD . /src

# Install any needed packages
RUN composer install || true

# Document the listening port
EXPOSE 8080 22
# Set the working directory
WORKDIR /src

# Run the app
CMD ["/bin/bash"]

# Start the application
CMD service apache2 start && tail -f /var/log/apache2/access.log
