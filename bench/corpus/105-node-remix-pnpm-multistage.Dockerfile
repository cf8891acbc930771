# Dependencies
FROM node:18-bullseye-slim AS deps

# Set the working directory
WORKDIR /app
RUN npm install -g pnpm@8

# Dependency manifests
COPY package.json pnpm-lock.yaml .npmrc ./

# Download dependencies
RUN pnpm install --frozen-lockfile

# Builder image
FROM deps AS build

# Copy the current directory contents into the container
COPY . .
RUN pnpm test
# Production build
RUN pnpm run build

# Runtime stage
FROM cgr.dev/chainguard/node:latest AS production

# Set the working directory
WORKDIR /app

# Runtime configuration
ENV NODE_ENV=production PORT=3000
COPY --from=build /app/node_modules ./node_modules
COPY --from=build /app/build ./build
COPY --from=build /app/package.json ./

# Make the service port available outside the container
EXPOSE 3000
# Run the service
CMD ["build/index.js"]
