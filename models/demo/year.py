"""The demo year in time order: the passbooks are written up to the day of each red/black list's
publication, the list is published (it reads the points as they stood: the points component and
the 约谈 list), and its awards and deductions join the passbooks that day, in date order — the way
a real year goes. The lists' postings are what models.ranking.posting.post_intent writes, written
by the points step's bulk writer (`ListPoster`), so a county still generates in seconds. The
year's problems are worked first (models.problems.demo); the points their closings bring join
the passbooks on their days the same way (`ProblemClosings`), so every list counts the problems
closed before it."""

from __future__ import annotations

from itertools import count

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from models.core.access import Actor
from models.core.db import Database
from models.points.demo import DEMO_YEAR, OutsideEntry, PointsYear
from models.points.tables import LedgerEntry, Passbook
from models.points.years import check_entry_day
from models.problems import demo as problems_demo
from models.problems import points as problem_points
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


class ProblemClosings:
    """The problems step's closings: each gets its ledger id at once (the closing's history
    records it) and its entry is written by PointsYear on its day; the links and audit rows
    follow once the passbooks are written."""

    def __init__(self, db: Database):
        with db.read() as session:
            self.ids = count((session.scalar(select(func.max(LedgerEntry.id))) or 0) + 1)
        self.postings: dict[str, tuple[problem_points.Posting, OutsideEntry]] = {}

    def __call__(self, posting: problem_points.Posting) -> int:
        """A problem reopened and closed again with the same outcome posts once (as the
        ledger's own posting does)."""
        key = problem_points.key(posting.problem_id, posting.outcome)
        if key not in self.postings:
            self.postings[key] = posting, OutsideEntry(
                posting.on, posting.rule_code, posting.note, key, next(self.ids),
                (posting.evidence.path, posting.evidence.sha256))
        return self.postings[key][1].entry_id

    def by_head(self) -> dict[int, list[OutsideEntry]]:
        found: dict[int, list[OutsideEntry]] = {}
        for closing, entry in self.postings.values():
            found.setdefault(closing.head_id, []).append(entry)
        return found

    def record(self, db: Database) -> None:
        with db.write() as session:
            for p, entry in self.postings.values():
                problem_points.record_posted(session, p.actor, p.problem_id, p.village_id, p.number,
                                             p.outcome, p.head_id, p.rule_code, entry.entry_id,
                                             entry.score_delta or 0)


def step(db: Database, seed: int) -> None:
    with db.read() as session:
        written = session.scalar(select(Passbook.id).where(Passbook.year == DEMO_YEAR).limit(1))
    if written is not None:  # the year's passbooks stand: problems post as a user's would
        problems_demo.step(db, seed)
        return
    closings = ProblemClosings(db)
    previous_closer = problem_points.connect_deferred_posting(closings)
    try:
        problems_demo.step(db, seed)
    finally:
        problem_points.connect_deferred_posting(previous_closer)
    points = PointsYear(db, seed, closings.by_head())
    previous = connect_points_posting(ListPoster(points))
    try:
        for day, publish in ranking_demo.schedule(db, seed):
            points.write_until(day)
            publish()
    finally:
        connect_points_posting(previous)
    points.finish()
    closings.record(db)
