"""The tests' PostgreSQL: a database of a test's own in the cluster that ctest starts
(tests/support/postgres_cluster.py, named by TLSHOP_TEST_POSTGRES_DIR), and SQL run in
it with psql. Where there is no cluster, the test is skipped with the reason."""

import itertools
import os
import re
import shutil
import subprocess
import sys
import tempfile
import unittest
from pathlib import Path

_numbers = itertools.count(1)


CLUSTER_SCRIPT = Path(__file__).resolve().parents[1] / "support" / "postgres_cluster.py"


def _cluster(state=None):
    state = state or os.environ.get("TLSHOP_TEST_POSTGRES_DIR")
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


def new_database(test, state=None):
    """A URL for an empty database of the test's own, dropped when the test ends; in the
    shared cluster, or in the one in `state` (private_cluster)."""
    cluster = _cluster(state)
    name = f"cli_{os.getpid()}_{next(_numbers)}"
    admin = database_url(cluster, "postgres")
    psql(admin, f"CREATE DATABASE {name}")
    if state is None:  # a private cluster goes as a whole
        test.addCleanup(psql, admin, f"DROP DATABASE {name} WITH (FORCE)")
    return database_url(cluster, name)


class PrivateCluster:
    """A cluster of the test's own, for tests that stop and restart the database server."""

    def __init__(self, test):
        _cluster()  # skips where PostgreSQL is missing, as the shared cluster does
        # The server runs as the postgres user, which must reach the directory.
        self.state = Path(tempfile.mkdtemp(prefix="tlshop-test-pg-")) / "cluster-state"
        self.state.parent.chmod(0o755)
        self._run("start")
        test.addCleanup(shutil.rmtree, self.state.parent, True)
        test.addCleanup(self._run, "stop")

    def _run(self, command):
        subprocess.run([sys.executable, CLUSTER_SCRIPT, command, self.state], check=True,
                       stdout=subprocess.DEVNULL)

    def stop(self):
        self._run("stop-server")

    def start(self):
        self._run("start-server")
