#!/usr/bin/env python3
"""A PostgreSQL cluster for the tests: `start DIR` makes one in DIR (initdb) and starts
it on a Unix socket there, with no TCP port; `stop DIR` stops it and removes DIR;
`stop-server DIR` and `start-server DIR` stop and start its server, for outage tests. Run as
root, the server runs as the postgres user, as PostgreSQL requires. Where PostgreSQL is
not installed, `start` writes why to DIR/unavailable and succeeds, so that the tests that
need it report themselves skipped with that reason.

The tests find the connection string to the cluster's `postgres` database in
DIR/conninfo and make a database of their own in it."""

import os
import shutil
import subprocess
import sys
from pathlib import Path

PORT = 5432  # on the socket in DIR only: no clash with a system server's TCP port


def binaries():
    found = sorted(Path("/usr/lib/postgresql").glob("*/bin/initdb"))
    return found[-1].parent if found else None


def as_server_user(command):
    return ["runuser", "-u", "postgres", "--", *map(str, command)] if os.geteuid() == 0 else command


def start(state):
    stop(state)
    state.mkdir(parents=True)
    bin_dir = binaries()
    if bin_dir is None:
        (state / "unavailable").write_text(
            "PostgreSQL is not installed (scripts/install-deps.sh installs it)\n")
        return 0
    cluster = state / "cluster"
    cluster.mkdir()
    if os.geteuid() == 0:
        shutil.chown(cluster, "postgres", "postgres")
    subprocess.run(as_server_user([bin_dir / "initdb", "-D", cluster / "data", "-A", "trust",
                                   "-U", "postgres", "-E", "UTF8", "--no-locale", "--no-sync",
                                   "--no-instructions"]),
                   check=True, cwd=cluster, stdout=subprocess.DEVNULL)
    start_server(state)
    (state / "conninfo").write_text(f"host={cluster} port={PORT} user=postgres dbname=postgres\n")
    print(f"PostgreSQL {bin_dir.parent.name} started in {cluster}")
    return 0


def start_server(state):
    """Starts the server of a cluster made by start (again, after stop_server)."""
    cluster = state / "cluster"
    options = f"-k {cluster} -c listen_addresses='' -p {PORT} -c max_connections=300"
    subprocess.run(as_server_user([binaries() / "pg_ctl", "start", "-D", cluster / "data", "-w",
                                   "-t", "60", "-l", cluster / "server.log", "-o", options]),
                   check=True, cwd=cluster, stdout=subprocess.DEVNULL)
    return 0


def stop_server(state, mode="fast"):
    """Stops the server and keeps the cluster."""
    data = state / "cluster" / "data"
    bin_dir = binaries()
    if bin_dir and (data / "postmaster.pid").exists():
        subprocess.run(as_server_user([bin_dir / "pg_ctl", "stop", "-D", data, "-m", mode, "-w"]),
                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return 0


def stop(state):
    stop_server(state, "immediate")
    shutil.rmtree(state, ignore_errors=True)
    return 0


COMMANDS = {"start": start, "stop": stop, "start-server": start_server, "stop-server": stop_server}

if __name__ == "__main__":
    if len(sys.argv) != 3 or sys.argv[1] not in COMMANDS:
        sys.exit(f"usage: postgres_cluster.py {'|'.join(COMMANDS)} DIR")
    sys.exit(COMMANDS[sys.argv[1]](Path(sys.argv[2]).resolve()))
