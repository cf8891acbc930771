# Runtime image
FROM denoland/deno:debian-1.41.3

# Make the service port available outside the container
EXPOSE 8000

# Create app directory
WORKDIR /app

USER deno

COPY deps.ts .

RUN deno cache deps.ts

# Bundle app source
ADD . .

RUN deno cache main.ts

# Run the app
CMD ["run", "--allow-net", "--allow-env", "main.ts"]
