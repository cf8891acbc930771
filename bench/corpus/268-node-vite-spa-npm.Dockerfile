# syntax=docker/dockerfile:1.6
FROM node:18-bullseye-slim AS build
# Working directory inside the container
WORKDIR /app

# Copy the requirements file into the container
COPY package*.json ./

# Install any needed packages
RUN --mount=type=cache,target=/root/.npm npm install

# Bundle app source
COPY . .
ARG VITE_API_URL=https://api.example.com

# Compile
RUN npm run build

# Start from a small base
FROM nginx:1.25.4-alpine
COPY --from=build /app/build /usr/share/nginx/html
# Expose the port the app runs on
EXPOSE 80
CMD ["nginx", "-g", "daemon off;"]
