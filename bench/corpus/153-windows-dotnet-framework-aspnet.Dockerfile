# escape=`

from mcr.microsoft.com/dotnet/framework/sdk:4.8-windowsservercore-ltsc2022 as build
workdir /app
copy *.sln .
copy WebApp/*.csproj ./WebApp/
copy WebApp/*.config ./WebApp/
run nuget restore
copy WebApp/. ./WebApp/
workdir /app/WebApp
run msbuild /p:Configuration=Release -r:False

from mcr.microsoft.com/dotnet/framework/aspnet:4.8-windowsservercore-ltsc2022 as runtime
workdir /inetpub/wwwroot
copy --from=build /app/WebApp/. ./
