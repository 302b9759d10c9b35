from dataclasses import fields, replace

from models.printing import documents
from reports.org.duty_card import render_duty_cards
from reports.org.roster import render_roster
from reports.org.work_id import render_work_ids
from reports.passbook import render_passbook
from reports.store.receipt import render_receipt
from tests.reports.samples import ID_NUMBER, duty_card, id_card, passbook, receipt, render, roster


def test_no_document_can_carry_an_id_number():
    for document in (
        documents.WorkIdCard,
        documents.DutyCard,
        documents.RosterRow,
        documents.PledgeForm,
        documents.PassbookPrint,
        documents.Receipt,
        documents.Notice,
    ):
        assert not [f.name for f in fields(document) if "id_number" in f.name or "身份证" in f.name]


def test_an_id_number_slipped_into_any_text_never_prints():
    book = passbook(3)
    entry = replace(book.entries[0], text=f"核对身份证{ID_NUMBER}")
    facts = [
        render(render_work_ids, [replace(id_card(), area=ID_NUMBER)]),
        render(render_duty_cards, [replace(duty_card(), area=f"住址{ID_NUMBER}")]),
        render(render_receipt, replace(receipt(), head=ID_NUMBER), paper="roll80"),
        render(render_passbook, replace(book, entries=(entry, *book.entries[1:]))),
        render(render_roster, replace(roster(2), issuer=ID_NUMBER)),
    ]
    for document in facts:
        assert ID_NUMBER not in document.text.replace("\n", "")
        assert "*" * 18 in document.text.replace("\n", "")
