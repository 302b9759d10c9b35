"""The 约谈 list's one definition (DOMAIN §5): a passbook whose score is below its opening, or at
0. The points page and notice list it; eligibility for honours and the red list asks who is on it
(models.points.service.talk_standings)."""

from __future__ import annotations

from sqlalchemy import ColumnElement, or_

from models.points.tables import Passbook


def on_talk_list() -> ColumnElement[bool]:
    return or_(Passbook.score < Passbook.opening, Passbook.score == 0)

