# Runtime image
FROM node:18-alpine

LABEL maintainer="ops@example.com"

# Install required packages
RUN apk add --no-cache curl dumb-init git

WORKDIR /app

# Production settings
ENV NODE_ENV=production

# Only copy the dependency files first so this layer is cached
COPY package*.json ./

# Install dependencies
RUN npm ci --omit=dev
COPY --chown=node:node . .

# Drop privileges
USER node

# Expose the port the app runs on
EXPOSE 5000

ENTRYPOINT ["dumb-init", "--"]

CMD ["node", "src/index.js"]
