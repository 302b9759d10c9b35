"""A PostgreSQL server that asks for passwords (scram-sha-256 over TCP), as a township's does,
shared by the server tests; each test makes its own database, owned by the owner login."""

from __future__ import annotations

import itertools
from collections.abc import Iterator

import pytest

from tests.pgserver import PostgresServer
from tests.server.helpers import start_server

OWNER, OWNER_PASSWORD = "town_owner", "owner-口令-2026"
_numbers = itertools.count()


@pytest.fixture(scope="session")
def secured() -> Iterator[PostgresServer]:
    server = start_server(password="superuser-口令")
    try:
        server.admin(f"CREATE ROLE {OWNER} LOGIN CREATEROLE PASSWORD '{OWNER_PASSWORD}'")
        yield server
    finally:
        server.stop()


@pytest.fixture
def township_database(secured: PostgresServer) -> str:
    """A new, empty database owned by the owner login, as the guide's step 2 makes it."""
    name = f"town{next(_numbers)}"
    secured.admin(f"CREATE DATABASE {name} OWNER {OWNER}")
    return name
