#!/usr/bin/env python3
"""A hostile client for the attack tests, run as its own process so that it competes with
the legitimate client for nothing but the server.

    attacker.py PORT COUNT SOURCE[,SOURCE...] [CA CERT KEY]

Holds COUNT connections to 127.0.0.1:PORT, spread over the source addresses, and reopens
each one the server closes, until SIGTERM. Without CA, CERT and KEY the connections are
silent TCP sockets that never start a handshake; with them, each completes an mTLS
handshake and then sits idle. Prints how many connections it opened when it ends."""

import resource
import selectors
import signal
import socket
import ssl
import sys


def main(port, count, sources, ca=None, cert=None, key=None):
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    resource.setrlimit(resource.RLIMIT_NOFILE, (hard, hard))
    context = None
    if ca:
        context = ssl.create_default_context(cafile=ca)
        context.load_cert_chain(cert, key)
    stopping = []
    signal.signal(signal.SIGTERM, lambda *_: stopping.append(True))
    selector = selectors.DefaultSelector()
    opened = 0

    def open_one(n):
        nonlocal opened
        try:
            sock = socket.create_connection(("127.0.0.1", port), timeout=5,
                                            source_address=(sources[n % len(sources)], 0))
            if context:
                sock = context.wrap_socket(sock, server_hostname="localhost")
        except (OSError, ssl.SSLError):
            return False
        opened += 1
        sock.setblocking(False)
        selector.register(sock, selectors.EVENT_READ, n)
        return True

    closed = []  # slots to open again
    for n in range(count):
        if stopping:
            break
        if not open_one(n):
            closed.append(n)
    print("holding", flush=True)
    while not stopping:
        for n in [closed.pop() for _ in range(len(closed))]:
            if not open_one(n):
                closed.append(n)
        for key_, _ in selector.select(timeout=0.1):
            sock, n = key_.fileobj, key_.data
            try:
                if sock.recv(4096):
                    continue
            except (BlockingIOError, ssl.SSLWantReadError):
                continue
            except (OSError, ssl.SSLError):
                pass
            selector.unregister(sock)
            sock.close()
            if not open_one(n):
                closed.append(n)
    print(f"opened {opened}", flush=True)


if __name__ == "__main__":
    arguments = sys.argv[1:]
    main(int(arguments[0]), int(arguments[1]), arguments[2].split(","), *arguments[3:6])
