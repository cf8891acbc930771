# Base image
FROM python:3.12.2-slim-bookworm

RUN apt-get update \
    && apt-get install -y \
        openssh-client \
        sshpass \
        git \
        rsync
# Install dependencies
RUN python -m pip install --no-cache-dir ansible-core==2.16.5 ansible-lint==24.2.1 jmespath==1.0.1

RUN ansible-galaxy collection install community.general amazon.aws

# Working directory inside the container
WORKDIR /ansible

ENV ANSIBLE_HOST_KEY_CHECKING=False
ENV ANSIBLE_FORCE_COLOR=1

# Start the application
ENTRYPOINT ["ansible-playbook"]
