FROM mcr.microsoft.com/dotnet/sdk:8.0 AS build
WORKDIR /source
COPY *.sln .
COPY src/Catalog.Service/*.csproj ./src/Catalog.Service/
RUN dotnet restore
COPY src/. ./src/
WORKDIR /source/src/Catalog.Service
RUN dotnet publish -c Release -o /app --no-restore --self-contained false

FROM mcr.microsoft.com/dotnet/aspnet:8.0
ENV ASPNETCORE_URLS=http://+:8080
ENV ASPNETCORE_ENVIRONMENT=Production
WORKDIR /app
COPY --from=build /app ./
EXPOSE 8080
ENTRYPOINT ["dotnet", "Catalog.Service.dll"]
