# escape=\
# A file kept as-is from an old repo: mixed case, odd indentation, comments and a blank
# line inside continuations, JSON and shell forms side by side.
from    ubuntu:20.04   as   base

env TZ=Etc/UTC LANG=C.UTF-8 \
	DEBIAN_FRONTEND=noninteractive

run apt-get update \
# comment lines inside a continuation are removed by the builder
    && apt-get install -y --no-install-recommends \
        ca-certificates \
        curl   \
        # the blank line below is a deprecated "empty continuation line"

        python3 \
    && rm -rf /var/lib/apt/lists/*

Workdir /opt/tool
Copy [ "tool.py", "requirements.txt", "./" ]
Run pip3 install -r requirements.txt ; \
    python3 -m compileall .

LABEL "com.example.vendor"="ACME Incorporated" version="1.0" \
      description="This text illustrates \
that label-values can span multiple lines."

expose 8080/tcp 8125/udp
ENTRYPOINT [ "python3", "/opt/tool/tool.py" ]
cmd  --verbose --port 8080
