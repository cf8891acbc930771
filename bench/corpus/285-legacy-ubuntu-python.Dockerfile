FROM ubuntu:14.04
MAINTAINER devops@example.com

RUN apt-get update

RUN apt-get -y upgrade
RUN apt-get install -y python python-pip python-dev libmysqlclient-dev git

RUN useradd -m -s /bin/bash deploy && echo "deploy:deploy" | chpasswd && adduser deploy sudo
ENV AWS_SECRET_ACCESS_KEY=wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY

COPY . /src

RUN cd /src && pip install -r requirements.txt
RUN chmod -R 777 /src

EXPOSE 80 443 22

CMD python /src/app.py
