# syntax=docker/dockerfile:1.6
# Runtime image
FROM python:3.10-slim-bullseye

# Copy the current directory contents into the container
ADD . /usr/src/app
WORKDIR /usr/src/app
RUN pip install -r requirements.txt

# Document the listening port
EXPOSE 8888
# Run the service
CMD jupyter lab --ip=0.0.0.0 --no-browser --allow-root
