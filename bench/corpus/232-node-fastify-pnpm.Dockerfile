# Runtime image
FROM node:20

# Install build dependencies
RUN apt-get update && \
    apt-get install --no-install-recommends curl dumb-init git && \
    rm -rf /var/lib/apt/lists/*

# Set the working directory
WORKDIR /usr/src/app

# Environment
ENV NODE_ENV=production
ARG JWT_SECRET=my-super-secret-jwt-key
COPY package.json pnpm-lock.yaml ./
RUN corepack enable && corepack prepare pnpm@8.15.4 --activate

# Install dependencies
RUN pnpm install --frozen-lockfile
# Copy the rest of the code
COPY . .

# Switch to the unprivileged user
USER node
EXPOSE 8080
ENTRYPOINT ["dumb-init", "--"]
CMD ["node", "dist/index.js"]
