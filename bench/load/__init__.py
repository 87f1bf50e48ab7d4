"""The January rush as a load test (`make load`): locust against the production stack.

`prepare` builds the benchmark dataset in PostgreSQL and opens the virtual users'
sessions; `locustfile` holds the scenarios; `run` starts gunicorn, a Celery worker and
beat with `DEBUG` off, drives locust at each load and writes the report.
"""
