FROM registry.suse.com/bci/bci-base:15.5
LABEL org.opencontainers.image.source="https://github.com/example/tools" \
	org.opencontainers.image.authors="platform@acme.io" \
	org.opencontainers.image.licenses="Apache-2.0"
RUN zypper --non-interactive install --no-recommends nodejs npm && \
	zypper clean -a
WORKDIR /opt/app
COPY package*.json ./
RUN npm ci --omit=dev
COPY . .
USER 1001
EXPOSE 3000
CMD ["node", "server.js"]
