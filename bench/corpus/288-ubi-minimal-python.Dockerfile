FROM registry.access.redhat.com/ubi9/ubi-minimal:9.3

RUN microdnf install -y --nodocs --setopt=install_weak_deps=0 python3 python3-pip shadow-utils

WORKDIR /opt/app-root/src

COPY requirements.txt .

RUN pip3 install --no-cache-dir -r requirements.txt

COPY . .

USER 1001

CMD ["python3", "app.py"]
