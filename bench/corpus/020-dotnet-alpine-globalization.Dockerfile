FROM mcr.microsoft.com/dotnet/sdk:8.0-alpine AS build
ARG TARGETARCH
WORKDIR /source

# copy csproj and restore as distinct layers
COPY Directory.Build.props Directory.Packages.props ./
COPY src/Invoicing.Api/*.csproj src/Invoicing.Api/
COPY src/Invoicing.Core/*.csproj src/Invoicing.Core/
RUN dotnet restore src/Invoicing.Api -a $TARGETARCH

# copy everything else and build app
COPY src/ src/
RUN dotnet publish src/Invoicing.Api -a $TARGETARCH --no-restore -c Release -o /app \
    -p:PublishReadyToRun=true

FROM mcr.microsoft.com/dotnet/aspnet:8.0-alpine
# Culture-aware formatting of invoices needs ICU and time zone data
RUN apk add --no-cache icu-data-full icu-libs tzdata
ENV DOTNET_SYSTEM_GLOBALIZATION_INVARIANT=false \
    TZ=Europe/Berlin \
    ASPNETCORE_HTTP_PORTS=8080

WORKDIR /app
COPY --from=build /app .
USER $APP_UID
EXPOSE 8080
HEALTHCHECK --interval=30s --timeout=3s CMD wget -qO- http://localhost:8080/health/live || exit 1
ENTRYPOINT ["./Invoicing.Api"]
