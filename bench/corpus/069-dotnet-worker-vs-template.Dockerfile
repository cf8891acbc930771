# See https://aka.ms/customizecontainer to learn how to customize your debug container and how Visual Studio uses this Dockerfile to build your images for faster debugging.

# ---- Base ----
FROM mcr.microsoft.com/dotnet/runtime:7.0-jammy-chiseled AS base

# Create app directory
WORKDIR /app

# ---- Build ----
FROM mcr.microsoft.com/dotnet/sdk:7.0-jammy AS build
ARG BUILD_CONFIGURATION=Release

# Set the working directory
WORKDIR /src

# Dependency manifests
COPY ["Worker/Worker.csproj", "Worker/"]

# Dependency manifests
COPY ["Worker.Domain/Worker.Domain.csproj", "Worker.Domain/"]

# Fetch dependencies (cached unless the manifests change)
RUN dotnet restore "./Worker/Worker.csproj"

# Bundle app source
COPY . .

# Set the working directory
WORKDIR "/src/Worker"

RUN dotnet build "./Worker.csproj" -c $BUILD_CONFIGURATION -o /app/build

# Final image
FROM build AS publish
ARG BUILD_CONFIGURATION=Release

# Build a release artifact
RUN dotnet publish "./Worker.csproj" -c $BUILD_CONFIGURATION -o /app/publish /p:UseAppHost=false

# ---- Release ----
FROM base AS final
WORKDIR /app

COPY --from=publish /app/publish .

# Start the application
ENTRYPOINT ["dotnet", "Worker.dll"]
