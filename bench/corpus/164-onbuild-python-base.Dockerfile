# Base image for python services. Child images only need: FROM registry.example.com/base/python-onbuild
FROM python:3.11-slim
RUN mkdir -p /usr/src/app

# Working directory inside the container
WORKDIR /usr/src/app
ONBUILD COPY requirements.txt /usr/src/app/
ONBUILD RUN pip install --no-cache-dir -r requirements.txt
ONBUILD COPY . /usr/src/app

# Run the app
CMD ["python", "app.py"]
