# See https://aka.ms/customizecontainer to learn how to customize your debug container and how Visual Studio uses this Dockerfile to build your images for faster debugging.

# ---- Base ----
FROM mcr.microsoft.com/dotnet/aspnet:7.0 AS base

# Set the working directory
WORKDIR /app

# Make the service port available outside the container
EXPOSE 80

# Build stage
FROM mcr.microsoft.com/dotnet/sdk:7.0 AS build

ARG BUILD_CONFIGURATION=Release

# Set the working directory
WORKDIR /src

# Copy dependency manifests first to leverage Docker layer caching
COPY ["WebApp/WebApp.csproj", "WebApp/"]

# Download dependencies
RUN dotnet restore "./WebApp/WebApp.csproj"

COPY . .
# Create app directory
WORKDIR "/src/WebApp"

# Production build
RUN dotnet build "./WebApp.csproj" -c $BUILD_CONFIGURATION -o /app/build

# ---- Release ----
FROM build AS publish

ARG BUILD_CONFIGURATION=Release

# Build a release artifact
RUN dotnet publish "./WebApp.csproj" -c $BUILD_CONFIGURATION -o /app/publish /p:UseAppHost=false

# Production image
FROM base as final

# Set the working directory
WORKDIR /app

COPY --from=publish /app/publish .

# Default command
ENTRYPOINT ["dotnet", "WebApp.dll"]
