"""The demo year in time order: the passbooks are written up to the day of each red/black list's
publication, the list is published (it reads the points as they stood: the points component and
the 约谈 list), and its awards and deductions join the passbooks that day, in date order — the way
a real year goes. The lists' postings are what models.ranking.posting.post_intent writes, written
by the points step's bulk writer (`ListPoster`), so a county still generates in seconds."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from models.core.access import Actor
from models.core.db import Database
from models.points.demo import PointsYear
from models.points.years import check_entry_day
from models.ranking import demo as ranking_demo
from models.ranking import posting
from models.ranking.service import connect_points_posting
from models.ranking.tables import PointsIntent, RankingEntry, RankingList


class ListPoster:
    """The points poster of the demo's publications: the same entries as
    models.ranking.posting.post_intent, into the passbooks PointsYear is writing."""

    def __init__(self, points: PointsYear):
        self.points = points
        self.posted: dict[str, dict] = {}  # key → the entry's values, until a correction reverses it

    def __call__(self, session: Session, actor: Actor, intent: PointsIntent) -> str:
        entry = session.get(RankingEntry, intent.entry_id)
        listing = session.get(RankingList, entry.list_id)
        newest = posting.newest_version(session, listing)
        on = posting.posting_day(newest)
        check_entry_day(session, on, newest.published_on)
        key = posting.key_of(newest, entry, intent.head_id)
        if entry.list_id == newest.id:
            rule = posting.list_rule(session, actor, entry.colour)
            values = self.points.add(intent.head_id, on, rule=rule, requested=rule.points,
                                     note=intent.reason, reference=newest.doc_number, key=key)
            self.posted[key] = values
        else:
            original = self.posted.pop(self._standing(session, listing, entry, intent.head_id))
            on = max(on, original["occurred_on"])
            what = original["rule_text"] or original["note"]
            values = self.points.add(intent.head_id, on, requested=-original["score_delta"],
                                     note=f"冲正第 {original['seq']} 笔（{what}）：{intent.reason}",
                                     reference=original["reference"], key=key,
                                     reverses_id=original["id"])
        return f"{on.year}年积分存折第{values['seq']}笔"

    def _standing(self, session: Session, listing: RankingList, entry: RankingEntry,
                  head_id: int) -> str:
        """The key of the posting a correction takes back: the head's, for the zone on this
        list or an earlier version while the zone stayed on it."""
        while listing is not None:
            same = next((e for e in listing.entries
                         if e.colour is entry.colour and e.unit_id == entry.unit_id), None)
            if same is None:
                break
            key = posting.key_of(listing, same, head_id)
            if key in self.posted:
                return key
            listing = session.scalar(select(RankingList).where(RankingList.id == listing.supersedes_id)) \
                if listing.supersedes_id else None
        raise LookupError(f"the demo posted nothing to take back for {entry.unit_name}")


def step(db: Database, seed: int) -> None:
    points = PointsYear(db, seed)
    if points.done:
        return
    previous = connect_points_posting(ListPoster(points))
    try:
        for day, publish in ranking_demo.schedule(db, seed):
            points.write_until(day)
            publish()
    finally:
        connect_points_posting(previous)
    points.finish()
