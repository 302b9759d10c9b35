"""The connection dialog's 加密连接 (TLS): with it on, the server says the session is encrypted;
the saved choice asks for TLS (sslmode=require), so a server without it is refused, not used in
clear text."""

from __future__ import annotations

import pytest

from models.core.errors import ServerProblem
from models.server.connection import ServerConnection, probe
from tests.pgserver import USER
from tests.server.helpers import start_server


def test_a_saved_connection_with_tls_is_encrypted_and_insists_on_it():
    server = start_server(tls=True)
    plain = start_server()
    try:
        state = probe(ServerConnection("127.0.0.1", server.port, "postgres", USER, tls=True).url())
        assert state.encrypted and "已加密" in state.describe()
        state = probe(ServerConnection("127.0.0.1", server.port, "postgres", USER, tls=False).url())
        assert not state.encrypted and "未加密" in state.describe()
        with pytest.raises(ServerProblem, match="没有打开加密连接"):
            probe(ServerConnection("127.0.0.1", plain.port, "postgres", USER, tls=True).url())
    finally:
        server.stop()
        plain.stop()
