FROM --platform=$BUILDPLATFORM mcr.microsoft.com/dotnet/sdk:8.0-alpine AS build

WORKDIR /source

COPY *.sln .

COPY src/Gateway/*.csproj ./src/Gateway/
ARG TARGETARCH

RUN --mount=type=cache,id=nuget,target=/root/.nuget/packages \
    dotnet restore -a $TARGETARCH

COPY src/. ./src/
WORKDIR /source/src/Gateway
RUN dotnet publish -c Release -o /app --no-restore

FROM mcr.microsoft.com/dotnet/aspnet:8.0-alpine

RUN apk add --no-cache icu-libs tzdata

ENV DOTNET_SYSTEM_GLOBALIZATION_INVARIANT=false
ENV ASPNETCORE_URLS=http://+:8080 ASPNETCORE_ENVIRONMENT=Production

WORKDIR /app
COPY --from=build /app ./
USER app

EXPOSE 8080

ENTRYPOINT ["dotnet", "Gateway.dll"]
