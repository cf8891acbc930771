FROM --platform=$BUILDPLATFORM golang:1.22-bookworm AS build
RUN apt-get update && apt-get install --no-install-recommends -y ca-certificates && apt-get clean && rm -rf /var/lib/apt/lists/*

# Set the working directory
WORKDIR /workspace

# Dependency manifests
COPY go.mod go.sum ./
RUN go mod download && go mod verify

COPY . .

ARG TARGETOS
ARG TARGETARCH

# Compile a static binary
RUN CGO_ENABLED=0 GOOS=${TARGETOS} GOARCH=${TARGETARCH} go build -trimpath -ldflags "-s -w" -o app .

FROM gcr.io/distroless/static-debian12:nonroot

COPY --from=build /workspace/app /app

ENTRYPOINT ["/app"]

# Start the application
CMD ["serve"]
