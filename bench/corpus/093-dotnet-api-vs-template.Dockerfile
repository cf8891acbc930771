# See https://aka.ms/customizecontainer to learn how to customize your debug container and how Visual Studio uses this Dockerfile to build your images for faster debugging.

# Common base
FROM mcr.microsoft.com/dotnet/aspnet:7.0-jammy AS base

# Set the working directory
WORKDIR /app

# Document the listening port
EXPOSE 80
EXPOSE 443

# Builder image
FROM mcr.microsoft.com/dotnet/sdk:7.0-jammy AS build
ARG BUILD_CONFIGURATION=Release

# Create app directory
WORKDIR /src

# Copy the requirements file into the container
COPY ["Api/Api.csproj", "Api/"]

# Download dependencies
RUN dotnet restore "./Api/Api.csproj"
# Bundle app source
COPY . .
# Working directory inside the container
WORKDIR "/src/Api"

# Build a release artifact
RUN dotnet build "./Api.csproj" -c $BUILD_CONFIGURATION -o /app/build

# Production image
FROM build AS publish

ARG BUILD_CONFIGURATION=Release
RUN dotnet publish "./Api.csproj" -c $BUILD_CONFIGURATION -o /app/publish /p:UseAppHost=false

# Runtime stage
FROM base AS final

# Create app directory
WORKDIR /app
COPY --from=publish /app/publish .

# Run the app
ENTRYPOINT ["dotnet", "Api.dll"]
