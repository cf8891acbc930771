FROM mcr.microsoft.com/dotnet/sdk:6.0 AS build

WORKDIR /source

COPY *.sln .

# Dependency manifests
COPY src/Api/*.csproj ./src/Api/

RUN dotnet restore

COPY src/. ./src/

# Set the working directory
WORKDIR /source/src/Api

# Build a release artifact
RUN dotnet publish -c Release -o /app --no-restore

FROM mcr.microsoft.com/dotnet/aspnet:6.0-jammy-chiseled

# Production settings
ENV ASPNETCORE_URLS=http://+:80

# Set the working directory
WORKDIR /app

COPY --from=build /app ./

# Run as non-root user
USER 1000

# Document the listening port
EXPOSE 80

# Default command
ENTRYPOINT ["./Api"]
