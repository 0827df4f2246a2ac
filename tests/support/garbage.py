"""Loaded with `-p` (pyproject.toml's addopts), before Django, Wagtail and the test modules: Python's
garbage collector in a test process.

Importing all of them builds a few hundred thousand objects that live until the end of the run; the
collector walked them about ten times during start-up (0.6 s per process, its controller included) and
then, in every full collection during the tests, about twenty per test process on the comparable part
of the suite (some 3.3 s per process), and twice more in pytest's own clean-up at the end. So the
collector stays off while things load; once the tests are collected (in the xdist controller, which
collects none: when it starts its workers), one collection, then what is left is frozen (out of the
collector's sight for good) and the collector comes back with a first threshold of 10,000 allocations
instead of 700: a test creates them by the hundred thousand. A test process now spends under 2 s in the
collector."""

import gc

import pytest

gc.disable()


def settle():
    gc.collect()
    gc.freeze()
    gc.set_threshold(10_000, 10, 10)
    gc.enable()


@pytest.hookimpl(trylast=True)
def pytest_collection_finish(session):
    settle()


@pytest.hookimpl(optionalhook=True)
def pytest_xdist_setupnodes(config, specs):
    settle()
