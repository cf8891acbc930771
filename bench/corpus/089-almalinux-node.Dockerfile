# Start from a small base
FROM almalinux:9

LABEL maintainer="dev@company.local"

RUN dnf module enable -y nodejs:20 \
	&& dnf install -y --setopt=tsflags=nodocs nodejs npm \
	&& dnf clean all

# Working directory inside the container
WORKDIR /opt/app

# Copy dependency manifests first to leverage Docker layer caching
COPY package*.json ./

# Fetch dependencies (cached unless the manifests change)
RUN npm ci --omit=dev

# Bundle app source
COPY . .

USER 1001
EXPOSE 3000

# Run the app
CMD ["node", "server.js"]
