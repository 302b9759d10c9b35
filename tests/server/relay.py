"""A small TCP relay between the program and a test PostgreSQL server, standing in for the
network between a village office and the township: it can delay what the program sends (a line
with a 30 ms round trip: everything arrives `delay` later, nothing waits for what went before),
it counts round trips (a turn of talking: what the program sends until the server answers), and
it can lose the server's reply to one COMMIT — the transaction is committed on the server, but
the program sees the connection break, as when a cable is pulled at the worst moment."""

from __future__ import annotations

import queue
import socket
import threading
import time

COMMIT = b"COMMIT\x00"  # a simple-protocol Query message carrying COMMIT


class Relay:
    def __init__(self, target_port: int, delay: float = 0.0):
        self.target = ("127.0.0.1", target_port)
        self.delay = delay
        self._drop_next_commit = threading.Event()
        self.dropped = 0
        self.round_trips = 0
        self._listener = socket.create_server(("127.0.0.1", 0))
        self.port = self._listener.getsockname()[1]
        self._open: set[socket.socket] = set()
        self._lock = threading.Lock()
        self._running = True
        threading.Thread(target=self._accept, daemon=True).start()

    def lose_next_commit_reply(self) -> None:
        self._drop_next_commit.set()

    def close(self) -> None:
        self._running = False
        self._listener.close()
        with self._lock:
            for sock in list(self._open):
                _close(sock)

    # ---- the pumps --------------------------------------------------------------------------
    def _accept(self) -> None:
        while self._running:
            try:
                client, _ = self._listener.accept()
            except OSError:
                return
            server = socket.create_connection(self.target)
            for sock in (client, server):
                sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
            with self._lock:
                self._open |= {client, server}
            pending = threading.Event()  # this connection's COMMIT is on its way to the server
            answered = threading.Event()  # the server spoke since the program last did
            answered.set()
            line: queue.Queue = queue.Queue()
            threading.Thread(target=self._requests, args=(client, line, pending, answered),
                             daemon=True).start()
            threading.Thread(target=self._deliver, args=(line, server), daemon=True).start()
            threading.Thread(target=self._replies, args=(server, client, pending, answered),
                             daemon=True).start()

    def _requests(self, client: socket.socket, line: queue.Queue, pending: threading.Event,
                  answered: threading.Event) -> None:
        last = 0.0
        while data := _receive(client):
            # A new round trip: the program sends after the server spoke — and, on a slow line,
            # only after waiting for it (a pipeline keeps sending while early answers stream in).
            now = time.monotonic()
            if answered.is_set() and (not self.delay or now - last > self.delay / 2):
                answered.clear()
                self.round_trips += 1
            last = now
            if COMMIT in data and self._drop_next_commit.is_set():
                self._drop_next_commit.clear()
                pending.set()
            line.put((time.monotonic() + self.delay, data))
        line.put((0.0, b""))

    def _deliver(self, line: queue.Queue, server: socket.socket) -> None:
        """The far end of the line: each piece arrives `delay` after it was sent."""
        while True:
            due, data = line.get()
            if not data:
                break
            time.sleep(max(0.0, due - time.monotonic()))
            if not _send(server, data):
                break
        self._forget(server)

    def _replies(self, server: socket.socket, client: socket.socket,
                 pending: threading.Event, answered: threading.Event) -> None:
        while data := _receive(server):
            answered.set()
            if pending.is_set():
                # The server has answered the COMMIT: it is committed. The program never hears.
                self.dropped += 1
                break
            if not _send(client, data):
                break
        self._forget(client, server)

    def _forget(self, *sockets: socket.socket) -> None:
        with self._lock:
            for sock in sockets:
                self._open.discard(sock)
                _close(sock)


def _receive(sock: socket.socket) -> bytes:
    try:
        return sock.recv(65536)
    except OSError:
        return b""


def _send(sock: socket.socket, data: bytes) -> bool:
    try:
        sock.sendall(data)
        return True
    except OSError:
        return False


def _close(sock: socket.socket) -> None:
    try:
        sock.shutdown(socket.SHUT_RDWR)
    except OSError:
        pass
    sock.close()
