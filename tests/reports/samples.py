"""Sample documents and PDF inspection shared by the print-centre tests."""

import io
from datetime import date, datetime

from pypdf import PdfReader

from models.printing.documents import (
    AWARD,
    DEDUCTION,
    REDEMPTION,
    DutyCard,
    Notice,
    NoticeTable,
    PassbookEntry,
    PassbookPrint,
    PledgeForm,
    Receipt,
    ReceiptLine,
    Roster,
    RosterRow,
    WorkIdCard,
)

RARE_NAME = "王䶮"  # U+4DAE, CJK Ext A: absent from GB2312 fonts
ID_NUMBER = "110101199003071234"
LONG_NAME = "欧阳慕容雪梅欧阳慕容雪梅"
LONG_ADDRESS = "韩家村南街幸福大道西侧第二排东数第十八号院内后排房屋" * 3


class PdfFacts:
    def __init__(self, data: bytes):
        self.data = data
        self.reader = PdfReader(io.BytesIO(data))
        self.pages = len(self.reader.pages)
        self.text = "".join(page.extract_text() for page in self.reader.pages)

    def page_size(self, index: int = 0) -> tuple[float, float]:
        box = self.reader.pages[index].mediabox
        return float(box.width), float(box.height)

    def fonts(self) -> dict[str, bool]:
        """Base font name -> has an embedded TrueType program (FontFile2)."""
        found = {}
        for page in self.reader.pages:
            for ref in page["/Resources"].get("/Font", {}).values():
                font = ref.get_object()
                descriptor = font.get("/FontDescriptor")
                embedded = descriptor is not None and "/FontFile2" in descriptor.get_object()
                found[str(font["/BaseFont"])] = embedded
        return found


def same_size(size, expected) -> bool:
    """Page sizes as written to the PDF (4 decimals) against reportlab's exact points."""
    return all(abs(a - b) < 0.01 for a, b in zip(size, expected, strict=True))


def render(renderer, *args, **kwargs) -> PdfFacts:
    buffer = io.BytesIO()
    renderer(*args, buffer, **kwargs)
    return PdfFacts(buffer.getvalue())


def assert_fonts_embedded_and_rare_char_drawn(facts: PdfFacts) -> None:
    used = facts.fonts()
    assert used and all(used.values()), used  # every font embedded, no base-14 Helvetica
    assert any("WenQuanYi" in name or "NotoSerif" in name for name in used)
    assert "䶮" in facts.text  # drawn by a face that has it (test_fonts checks which)
    assert ID_NUMBER not in facts.text


def id_card(name=RARE_NAME, number="HJ-2026-0001") -> WorkIdCard:
    return WorkIdCard(
        name, "胡同长", "南片区第三胡同", "韩家村", number, "中共韩家村支部委员会", 2026
    )


def duty_card(role="胡同长") -> DutyCard:
    return DutyCard(
        RARE_NAME, role, "13812345678", "南片区第三胡同", "韩家村", "0531-88886666", "韩家村党支部"
    )


def pledge(householder=RARE_NAME, address="韩家村南街18号") -> PledgeForm:
    return PledgeForm(
        householder,
        address,
        "第三胡同",
        "南片区",
        "韩家村",
        "韩书记",
        "韩建国",
        "李喆",
        2026,
        "HJ-1",
    )


def roster(rows: int = 60) -> Roster:
    people = tuple(
        RosterRow(
            "韩家庄",
            "南片区",
            f"第{i}胡同",
            "胡同长",
            RARE_NAME if i == 1 else f"韩{i}号",
            f"1381234{i:04d}",
            9,
        )
        for i in range(1, rows + 1)
    )
    return Roster("韩家村", "中共韩家村支部委员会", date(2026, 11, 5), people, "0531-88886666")


def passbook(entries: int = 50) -> PassbookPrint:
    rows, score, spendable = [], 30, 0
    for i in range(entries):
        kind, points = (REDEMPTION, -3) if i % 5 == 4 else (AWARD, 2)
        if i % 7 == 6:
            kind, points = DEDUCTION, -2
        score += 0 if kind == REDEMPTION else points
        spendable += points
        rows.append(
            PassbookEntry(
                date(2026, 1 + i // 5, 1 + i % 28),
                "巡查记录完整",
                kind,
                points,
                score,
                max(spendable, 0),
            )
        )
    return PassbookPrint(RARE_NAME, "胡同长", "南片区第三胡同", "韩家村", 2026, tuple(rows))


def receipt() -> Receipt:
    lines = (ReceiptLine("大米（10公斤装）", 1, "袋", 40), ReceiptLine("洗衣粉", 2, "袋", 6))
    return Receipt(
        "DH-2026-000123",
        RARE_NAME,
        "韩家村",
        lines,
        46,
        12,
        "张会计",
        datetime(2026, 11, 5, 10, 32),
    )


def notice(rows: int = 5) -> Notice:
    table = NoticeTable(
        ("名次", "片区", "片区长", "联系电话"),
        tuple((str(i), f"第{i}片区", RARE_NAME, "13912345678") for i in range(1, rows + 1)),
        "附表：各片区得分排名",
    )
    return Notice(
        "韩家村党支部文件",
        "韩支发〔2026〕3号",
        "关于2026年10月人居环境整治红黑榜的通报",
        "各片区长、胡同长：",
        (
            "南片区环境卫生整洁，列入红榜。",
            (
                f"北片区第十二胡同垃圾清理不及时，列入黑榜，胡同长{RARE_NAME}，"
                f"电话13812345678，身份证{ID_NUMBER}。"
            ),
        ),
        "中共韩家村支部委员会",
        date(2026, 11, 5),
        table,
    )
