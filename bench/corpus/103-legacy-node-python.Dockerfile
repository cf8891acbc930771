# Start from a small base
FROM node:latest

ARG AWS_SECRET_ACCESS_KEY=wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY

ADD . /var/www/html
RUN cd /var/www/html && pip install -r requirements.txt
RUN cd /tmp && wget http://example.com/tools/setup.sh && sh setup.sh

EXPOSE 8080 22
WORKDIR /var/www/html
CMD python /var/www/html/app.py
