"""What the crawls covered (pages and links, both languages), printed at the end of the run by
tests/conftest.py; under pytest-xdist each worker process hands its lines to the controller."""

COVERAGE = []
