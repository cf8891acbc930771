FROM debian:bookworm-slim

RUN apt-get update \
    && apt-get install -y apt-transport-https ca-certificates gnupg curl \
    && curl -fsSL https://packages.cloud.google.com/apt/doc/apt-key.gpg | gpg --dearmor -o /usr/share/keyrings/cloud.google.gpg \
    && echo "deb [signed-by=/usr/share/keyrings/cloud.google.gpg] https://packages.cloud.google.com/apt cloud-sdk main" | tee -a /etc/apt/sources.list.d/google-cloud-sdk.list \
    && apt-get update \
    && apt-get install -y google-cloud-cli google-cloud-cli-gke-gcloud-auth-plugin kubectl \
    && rm -rf /var/lib/apt/lists/*

COPY service-account.json /root/gcloud-key.json

ENV GOOGLE_APPLICATION_CREDENTIALS=/root/gcloud-key.json

ENTRYPOINT ["gcloud"]
