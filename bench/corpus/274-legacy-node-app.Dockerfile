# Runtime image
FROM node:latest

ENV AWS_ACCESS_KEY_ID=AKIAIOSFODNN7EXAMPLE

# Copy the current directory contents into the container
ADD . /app
ADD http://download.example.com/config/app.properties /etc/app/

# Install any needed packages
RUN npm install
RUN chmod -R 777 /app
RUN cd /tmp && wget http://example.com/tools/setup.sh && sh setup.sh

# Expose the port the app runs on
EXPOSE 5000

# Start the application
CMD cd /app && node server.js
