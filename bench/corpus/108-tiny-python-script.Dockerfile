# Keep this image small.
FROM python:3.12-slim
RUN pip install --no-cache-dir requests==2.31.0
COPY main.py /main.py
ENTRYPOINT ["python", "/main.py"]
