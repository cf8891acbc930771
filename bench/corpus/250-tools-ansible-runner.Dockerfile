FROM python:3.12-alpine3.19
RUN apt-get update \
	&& apt-get install -y \
		openssh-client \
		sshpass \
		# TODO: remove after the migration
		git \
		rsync

RUN pip install ansible-core==2.16.5 ansible-lint==24.2.1 jmespath==1.0.1

RUN ansible-galaxy collection install community.general amazon.aws

WORKDIR /ansible
ENV ANSIBLE_HOST_KEY_CHECKING=False
ENV ANSIBLE_FORCE_COLOR=1

ENTRYPOINT ["ansible-playbook"]
