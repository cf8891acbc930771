# See https://aka.ms/customizecontainer to learn how to customize your debug container and how Visual Studio uses this Dockerfile to build your images for faster debugging.

# Base stage shared by the others
FROM mcr.microsoft.com/dotnet/aspnet:7.0-alpine AS base
# Working directory inside the container
WORKDIR /app

# Make the service port available outside the container
EXPOSE 80

# === build ===
FROM mcr.microsoft.com/dotnet/sdk:7.0-alpine AS build
ARG BUILD_CONFIGURATION=Release

# Set the working directory
WORKDIR /src

# Copy the requirements file into the container
COPY ["Catalog.Service/Catalog.Service.csproj", "Catalog.Service/"]

# Copy dependency manifests first to leverage Docker layer caching
COPY ["Catalog.Service.Domain/Catalog.Service.Domain.csproj", "Catalog.Service.Domain/"]

# Fetch dependencies (cached unless the manifests change)
RUN dotnet restore "./Catalog.Service/Catalog.Service.csproj"

# Copy the current directory contents into the container
COPY . .
# Set the working directory
WORKDIR "/src/Catalog.Service"

# Build a release artifact
RUN dotnet build "./Catalog.Service.csproj" -c $BUILD_CONFIGURATION -o /app/build

# Runtime stage
FROM build AS publish
ARG BUILD_CONFIGURATION=Release

# Build a release artifact
RUN dotnet publish "./Catalog.Service.csproj" -c $BUILD_CONFIGURATION -o /app/publish /p:UseAppHost=false

FROM base AS final

# Working directory inside the container
WORKDIR /app
COPY --from=publish /app/publish .

# Run the app
ENTRYPOINT ["dotnet", "Catalog.Service.dll"]
