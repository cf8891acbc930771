# escape=`

# Build tools image for the legacy .NET Framework solution.
FROM mcr.microsoft.com/dotnet/framework/runtime:4.8-windowsservercore-ltsc2022

SHELL ["cmd", "/S", "/C"]

# Install Build Tools with the workloads we need, excluding components with known issues.
RUN curl -SL --output vs_buildtools.exe https://aka.ms/vs/17/release/vs_buildtools.exe `
    && (start /w vs_buildtools.exe --quiet --wait --norestart --nocache `
        --installPath "%ProgramFiles(x86)%\Microsoft Visual Studio\2022\BuildTools" `
        --add Microsoft.VisualStudio.Workload.MSBuildTools `
        --add Microsoft.VisualStudio.Workload.NetCoreBuildTools `
        --add Microsoft.Net.Component.4.8.SDK `
        --remove Microsoft.VisualStudio.Component.Windows10SDK.10240 `
        --remove Microsoft.VisualStudio.Component.Windows10SDK.10586 `
        || IF "%ERRORLEVEL%"=="3010" EXIT 0) `
    && del /q vs_buildtools.exe

ENV NUGET_VERSION=6.9.1
RUN powershell -Command "Invoke-WebRequest https://dist.nuget.org/win-x86-commandline/v%NUGET_VERSION%/nuget.exe -OutFile C:\Windows\nuget.exe"

WORKDIR C:\src
COPY . .
RUN nuget restore Legacy.sln `
    && "%ProgramFiles(x86)%\Microsoft Visual Studio\2022\BuildTools\MSBuild\Current\Bin\MSBuild.exe" Legacy.sln /p:Configuration=Release /m

ENTRYPOINT ["C:\\Program Files (x86)\\Microsoft Visual Studio\\2022\\BuildTools\\Common7\\Tools\\VsDevCmd.bat", "&&", "powershell.exe", "-NoLogo", "-ExecutionPolicy", "Bypass"]
