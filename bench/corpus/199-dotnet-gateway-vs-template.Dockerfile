# See https://aka.ms/customizecontainer to learn how to customize your debug container and how Visual Studio uses this Dockerfile to build your images for faster debugging.

# Base stage shared by the others
FROM mcr.microsoft.com/dotnet/aspnet:7.0 AS base
# Set the working directory
WORKDIR /app

# Expose the port the app runs on
EXPOSE 80

# Builder image
FROM mcr.microsoft.com/dotnet/sdk:7.0 AS build
ARG BUILD_CONFIGURATION=Release

# Working directory inside the container
WORKDIR /src

# Copy the requirements file into the container
COPY ["Gateway/Gateway.csproj", "Gateway/"]

# Install dependencies
RUN dotnet restore "./Gateway/Gateway.csproj"
COPY . .
WORKDIR "/src/Gateway"

# Production build
RUN dotnet build "./Gateway.csproj" -c $BUILD_CONFIGURATION -o /app/build

# Final image
FROM build AS publish
ARG BUILD_CONFIGURATION=Release

# Build the application
RUN dotnet publish "./Gateway.csproj" -c $BUILD_CONFIGURATION -o /app/publish /p:UseAppHost=false

# ---- Release ----
FROM base AS final

# Working directory inside the container
WORKDIR /app
COPY --from=publish /app/publish .
# Default command
ENTRYPOINT ["dotnet", "Gateway.dll"]
