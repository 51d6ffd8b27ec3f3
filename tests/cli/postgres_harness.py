"""The tests' PostgreSQL: a database of a test's own in the cluster that ctest starts
(tests/support/postgres_cluster.py, named by TLSHOP_TEST_POSTGRES_DIR), and SQL run in
it with psql. Where there is no cluster, the test is skipped with the reason."""

import itertools
import os
import re
import subprocess
import unittest
from pathlib import Path

_numbers = itertools.count(1)


def _cluster():
    state = os.environ.get("TLSHOP_TEST_POSTGRES_DIR")
    if not state:
        raise unittest.SkipTest("no PostgreSQL cluster: ctest starts one (TLSHOP_TEST_POSTGRES_DIR)")
    state = Path(state)
    if (state / "unavailable").exists():
        raise unittest.SkipTest((state / "unavailable").read_text().strip())
    conninfo = (state / "conninfo").read_text().strip()
    return dict(re.findall(r"(\w+)=(\S+)", conninfo))


def psql(url, sql):
    """Runs SQL; returns its rows, each a list of column texts."""
    result = subprocess.run(["psql", "-X", "-q", "-A", "-t", "-F", "\t", "-v", "ON_ERROR_STOP=1",
                             "-d", url, "-c", sql], capture_output=True, text=True, timeout=60)
    if result.returncode != 0:
        raise AssertionError(f"psql: {sql}: {result.stderr}")
    return [line.split("\t") for line in result.stdout.splitlines() if line]


def database_url(cluster, name):
    return f"postgresql://{cluster['user']}@/{name}?host={cluster['host']}&port={cluster['port']}"


def new_database(test):
    """A URL for an empty database of the test's own, dropped when the test ends."""
    cluster = _cluster()
    name = f"cli_{os.getpid()}_{next(_numbers)}"
    admin = database_url(cluster, "postgres")
    psql(admin, f"CREATE DATABASE {name}")
    test.addCleanup(psql, admin, f"DROP DATABASE {name} WITH (FORCE)")
    return database_url(cluster, name)
