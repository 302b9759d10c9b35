"""Idempotency keys for retried user actions, made before the first try.

A key names what is being saved: the same content retried (the reply was lost, the clerk
presses Enter again) gives the same key, so the server returns the first try's result instead of
writing twice; changed content gives a new key, so a changed basket is never mistaken for the
one already saved. After a success, `done()` starts afresh: saving the same content again later
is a new action."""

from __future__ import annotations

import hashlib
import uuid


class AttemptKeys:
    def __init__(self, prefix: str):
        self.prefix = prefix
        self._round = uuid.uuid4().hex

    def key(self, *content: object) -> str:
        digest = hashlib.sha256(repr(content).encode("utf-8")).hexdigest()[:24]
        return f"{self.prefix}:{self._round}:{digest}"

    def done(self) -> None:
        self._round = uuid.uuid4().hex
