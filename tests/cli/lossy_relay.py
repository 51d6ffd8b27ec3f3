"""A UDP relay that loses, duplicates and reorders datagrams both ways, as a bad network
does: seeded, so a failing run can be repeated exactly."""

import random
import select
import socket
import threading


class LossyRelay:
    """Listens on 127.0.0.1:`port` for one client and forwards to the server's port. Each
    datagram is dropped with probability `drop`, else held back and sent after the next
    one in the same direction (or after 50 ms of quiet) with probability `reorder`, and,
    once sent, sent again with probability `duplicate`."""

    def __init__(self, test, server_port, drop=0.2, duplicate=0.1, reorder=0.1, seed=1):
        self.odds = (drop, duplicate, reorder)
        self.random = random.Random(seed)
        self.front = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        self.front.bind(("127.0.0.1", 0))
        self.port = self.front.getsockname()[1]
        self.back = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        self.back.connect(("127.0.0.1", server_port))
        self.client = None
        self.held = {}
        self.sent_up = []  # every datagram from the client, as it came
        self.counts = {"passed": 0, "dropped": 0, "duplicated": 0, "reordered": 0}
        self.running = True
        self.thread = threading.Thread(target=self._run, daemon=True)
        self.thread.start()
        test.addCleanup(self.close)

    def close(self):
        if self.running:
            self.running = False
            self.thread.join()
            self.front.close()
            self.back.close()

    def replay_up(self):
        """Sends every datagram the client sent again, from the relay's address, as an
        attacker who recorded them would."""
        for datagram in self.sent_up:
            self.back.send(datagram)

    def _send(self, direction, datagram):
        if direction == "up":
            self.back.send(datagram)
        elif self.client:
            self.front.sendto(datagram, self.client)

    def _forward(self, direction, datagram):
        drop, duplicate, reorder = self.odds
        roll = self.random.random()
        if roll < drop:
            self.counts["dropped"] += 1
            return
        if roll < drop + reorder and direction not in self.held:
            self.held[direction] = datagram
            self.counts["reordered"] += 1
            return
        self._send(direction, datagram)
        self.counts["passed"] += 1
        if self.random.random() < duplicate:
            self._send(direction, datagram)
            self.counts["duplicated"] += 1
        if direction in self.held:
            self._send(direction, self.held.pop(direction))

    def _run(self):
        while self.running:
            ready, _, _ = select.select([self.front, self.back], [], [], 0.05)
            for sock in ready:
                try:
                    datagram, sender = sock.recvfrom(65536)
                except ConnectionRefusedError:
                    continue  # the server's port is closed for now
                if sock is self.front:
                    self.client = sender
                    self.sent_up.append(datagram)
                    self._forward("up", datagram)
                else:
                    self._forward("down", datagram)
            if not ready:
                for direction in list(self.held):
                    self._send(direction, self.held.pop(direction))
