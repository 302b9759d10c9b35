"""兑换柜台: made for the keyboard. Type a name, pinyin initials or phone digits, Enter picks the
head; F1–F12 (or 1–9) add goods, + and − change the last line, Delete drops it, Enter confirms,
Esc starts over. A refusal says why on the page, without a window to click away."""

from __future__ import annotations

import tempfile
from dataclasses import dataclass
from pathlib import Path

from PySide6.QtCore import QEvent, QObject, QSize, Qt, QTimer
from PySide6.QtGui import QIcon, QKeyEvent, QKeySequence, QPixmap, QShortcut, QShowEvent
from PySide6.QtWidgets import (
    QComboBox,
    QFrame,
    QHBoxLayout,
    QHeaderView,
    QInputDialog,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from models.core import clock
from models.core.access import ROLE_PERMISSIONS, Permission
from models.core.errors import DomainError
from models.printing.service import PrintService
from models.org.work_id_code import parse_work_id_code
from models.store.counter import CounterService, HeadCard, HeadHit, RedemptionRow
from models.store.goods import GoodsRow, GoodsService
from reports.printing import print_document
from ui.context import AppContext
from ui.dialogs.receipt import ReceiptDialog
from ui.flow import FlowLayout
from ui.widgets import Column, RowTableModel, page_title, row_table_view, section_title
from ui.retry import AttemptKeys

TITLE = "兑换柜台"
RIGHT = Qt.AlignmentFlag.AlignRight
F_KEYS = [getattr(Qt.Key, f"Key_F{i}") for i in range(1, 13)]
DIGIT_KEYS = [getattr(Qt.Key, f"Key_{i}") for i in range(1, 10)]
RECEIPT_PAPER = "A5"
COLUMN_SPACING = 10  # between the parts of a column: the goods and the 确认 button fit 768 px


@dataclass
class BasketLine:
    goods: GoodsRow
    quantity: int

    @property
    def points(self) -> int:
        return self.goods.price_points * self.quantity


BASKET_COLUMNS = (
    Column("物品", lambda r: r.goods.name),
    Column("单价", lambda r: f"{r.goods.price_points} 分/{r.goods.unit}", RIGHT),
    Column("数量", lambda r: f"{r.quantity} {r.goods.unit}", RIGHT),
    Column("积分", lambda r: r.points, RIGHT),
)
TODAY_COLUMNS = (
    Column("凭证号", lambda r: r.number),
    Column("兑换人", lambda r: r.head_name),
    Column("物品", lambda r: r.goods),
    Column("积分", lambda r: r.total, RIGHT),
    Column("状态", lambda r: "已撤销" if r.cancelled else "已兑换"),
)


def _figure(caption: str) -> tuple[QFrame, QLabel]:
    card = QFrame()
    card.setObjectName("card")
    layout = QVBoxLayout(card)
    layout.setContentsMargins(10, 6, 10, 6)
    value = QLabel("—")
    value.setObjectName("cardValue")
    value.setAlignment(Qt.AlignmentFlag.AlignCenter)
    label = QLabel(caption)
    label.setObjectName("cardLabel")
    label.setAlignment(Qt.AlignmentFlag.AlignCenter)
    layout.addWidget(value)
    layout.addWidget(label)
    return card, value


class CounterPage(QWidget):
    def __init__(self, context: AppContext):
        super().__init__()
        self.setObjectName("page")
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.context = context
        self.attempts = AttemptKeys("counter")  # a basket retried after a lost reply: once
        self.counter = context.service(CounterService)
        self.goods_service = context.service(GoodsService)
        self.card: HeadCard | None = None
        self.goods: list[GoodsRow] = []
        self.basket: list[BasketLine] = []
        self.receipt: ReceiptDialog | None = None
        self.print_folder = tempfile.TemporaryDirectory(prefix="cunzhi-receipt-")

        layout = QVBoxLayout(self)
        layout.setContentsMargins(24, 20, 24, 16)
        top = QHBoxLayout()
        top.addWidget(page_title("兑换柜台"))
        top.addStretch(1)
        self.village = QComboBox()
        self.village.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        for village_id, name in self.counter.villages():
            self.village.addItem(name, village_id)
        self.village.currentIndexChanged.connect(lambda _i: self.start_over())
        top.addWidget(QLabel("行政村："))
        top.addWidget(self.village)
        layout.addLayout(top)
        keys = QLabel("回车：选人 / 确认兑换　F1–F12 或数字键：选物品　+ −：改数量　"
                      "Delete：删除一行　Esc：重新开始")
        keys.setObjectName("hint")
        keys.setWordWrap(True)
        layout.addWidget(keys)

        body = QHBoxLayout()
        body.setSpacing(16)
        # The goods and the basket get the room: three buttons a row fit a 1024-px screen at 12 pt.
        body.addLayout(self._build_left(), 1)
        body.addLayout(self._build_right(), 2)
        layout.addLayout(body, 1)
        for index, key in enumerate(F_KEYS):
            shortcut = QShortcut(QKeySequence(key), self)
            shortcut.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
            shortcut.activated.connect(lambda i=index: self.add_goods(i))
        context.changed.connect(self._on_changed)
        self.start_over()

    def showEvent(self, event: QShowEvent) -> None:
        """Whenever the counter is shown (from the menu too) the keyboard is the clerk's: the
        cursor waits in the search box, or on the basket being served. Queued, because a click
        on the menu hands the focus to the menu after the page is shown."""
        super().showEvent(event)
        QTimer.singleShot(0, self._take_focus)

    def _take_focus(self) -> None:
        if not self.isVisible():
            return
        if self.basket:
            self.setFocus()
        else:
            self.search.setFocus()

    # ---- building ---------------------------------------------------------------------------
    def _build_left(self) -> QVBoxLayout:
        column = QVBoxLayout()
        column.setSpacing(COLUMN_SPACING)
        self.search = QLineEdit()
        self.search.setPlaceholderText("输入姓名、拼音首字母或电话号码，按回车选择")
        self.search.setClearButtonEnabled(True)
        self.search.setMinimumHeight(34)
        self.search.textChanged.connect(self._find)
        self.search.installEventFilter(self)
        column.addWidget(self.search)
        self.hits = QListWidget()
        self.hits.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.hits.setMaximumHeight(130)
        self.hits.itemClicked.connect(lambda _item: self.pick())
        self.hits.hide()  # shown when a search finds somebody
        column.addWidget(self.hits)

        person = QFrame()
        person.setObjectName("card")
        row = QHBoxLayout(person)
        self.photo = QLabel()
        self.photo.setFixedSize(90, 126)  # 25 : 35, a one-inch photo
        self.photo.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.photo.setObjectName("counterPhoto")
        row.addWidget(self.photo)
        text = QVBoxLayout()
        self.name = QLabel("请先选择兑换人")
        self.name.setObjectName("counterName")
        self.where = QLabel("")
        self.where.setObjectName("hint")
        self.where.setWordWrap(True)
        text.addWidget(self.name)
        text.addWidget(self.where)
        text.addStretch(1)
        row.addLayout(text, 1)
        column.addWidget(person)

        figures = QHBoxLayout()
        score_card, self.score = _figure("本年积分")
        spendable_card, self.spendable = _figure("可兑换积分")
        owed_card, self.owed = _figure("欠分")
        for card in (score_card, spendable_card, owed_card):
            figures.addWidget(card)
        column.addLayout(figures)
        self.message = QLabel("")
        self.message.setWordWrap(True)
        self.message.setObjectName("counterMessage")
        column.addWidget(self.message)

        column.addWidget(section_title("今日兑换"))
        self.today = RowTableModel(TODAY_COLUMNS, self)
        self.today_view = self._table(self.today)
        header = self.today_view.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
        column.addWidget(self.today_view, 1)
        self.cancel_button = QPushButton("撤销所选兑换…")
        self.cancel_button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.cancel_button.clicked.connect(self.cancel_selected)
        self.cancel_button.setVisible(
            Permission.EDIT_POINTS in ROLE_PERMISSIONS[self.context.actor.role])
        column.addWidget(self.cancel_button, 0, Qt.AlignmentFlag.AlignRight)
        return column

    def _build_right(self) -> QVBoxLayout:
        column = QVBoxLayout()
        column.setSpacing(COLUMN_SPACING)
        column.addWidget(section_title("物品"))
        # Three buttons a row where they fit, fewer with 大字 on a small screen.
        self.goods_grid = FlowLayout(spacing=8, columns=3)
        column.addLayout(self.goods_grid)
        column.addWidget(section_title("本次兑换"))
        self.lines = RowTableModel(BASKET_COLUMNS, self)
        self.basket_view = self._table(self.lines)
        self.basket_view.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        column.addWidget(self.basket_view, 1)
        self.total = QLabel("")
        self.total.setObjectName("counterTotal")
        self.total.setAlignment(RIGHT)
        column.addWidget(self.total)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        again = QPushButton("重新开始（Esc）")
        again.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        again.clicked.connect(self.start_over)
        self.confirm_button = QPushButton("确认兑换（回车）")
        self.confirm_button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.confirm_button.setObjectName("counterConfirm")
        self.confirm_button.clicked.connect(self.confirm)
        buttons.addWidget(again)
        buttons.addWidget(self.confirm_button)
        column.addLayout(buttons)
        return column

    @staticmethod
    def _table(model: RowTableModel) -> QTableView:
        view = row_table_view(model)
        view.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # the keyboard stays with the search box
        return view

    # ---- state ------------------------------------------------------------------------------
    @property
    def village_id(self) -> int | None:
        return self.village.currentData()

    def start_over(self) -> None:
        """A fresh counter: nobody chosen, empty basket, the cursor in the search box."""
        self.card = None
        self.basket = []
        self.search.clear()
        self.message.setText("")
        self._load_goods()
        self._show_card()
        self._refresh_basket()
        self._load_today()
        self.search.setFocus()

    def _load_goods(self) -> None:
        self.goods = [] if self.village_id is None else \
            self.goods_service.catalogue(self.village_id)
        while self.goods_grid.count():
            old = self.goods_grid.takeAt(0).widget()
            old.hide()  # gone at once, not when the event loop gets round to deleting it
            old.deleteLater()
        if not self.goods:
            empty = QLabel("还没有可兑换的物品：请先到“物品库存”新增物品并入库。")
            empty.setObjectName("hint")
            empty.setWordWrap(True)
            self.goods_grid.addWidget(empty)
        for index, goods in enumerate(self.goods[:12]):
            button = QPushButton(f"F{index + 1}　{goods.name}\n{goods.price_points} 分/{goods.unit}"
                                 f" · 库存 {goods.stock}")
            button.setObjectName("counterGoods")
            button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
            button.setMinimumHeight(52)
            button.setEnabled(goods.stock > 0)
            if goods.picture_path and Path(goods.picture_path).exists():
                button.setIcon(QIcon(goods.picture_path))
                button.setIconSize(QSize(36, 36))
            button.clicked.connect(lambda _checked=False, i=index: self.add_goods(i))
            self.goods_grid.addWidget(button)

    def _load_today(self) -> None:
        today = clock.today()
        self.today.set_rows([] if self.village_id is None else
                            self.counter.redemptions(self.village_id, today, today))

    def _find(self, text: str) -> None:
        self.hits.clear()
        self.hits.setVisible(False)
        if not text.strip() or self.village_id is None:
            return
        for hit in self.counter.find_heads(self.village_id, text, limit=8):
            item = QListWidgetItem(f"{hit.name}　{hit.role} {hit.unit}　{hit.phone}")
            item.setData(Qt.ItemDataRole.UserRole, hit)
            self.hits.addItem(item)
        if self.hits.count():
            self.hits.setCurrentRow(0)
        self.hits.setVisible(self.hits.count() > 0)

    def pick(self) -> None:
        """Enter in the search box: the highlighted head (or the holder of a scanned work ID)
        becomes the one at the counter. A basket not yet confirmed is never dropped for another
        head: the clerk confirms it or gives it up with Esc first."""
        hit = self._scanned() if parse_work_id_code(self.search.text()) else self._highlighted()
        if hit is None:
            return
        if self.basket and self.card is not None and hit.head_id != self.card.head_id:
            self._back_to_basket(f"本次兑换还没有确认（{self.card.name}，{len(self.basket)} 种物品），"
                                 f"没有换成{hit.name}。按回车确认兑换，或按 Esc 放弃后再选择他人。")
            return
        if self.card is None or hit.head_id != self.card.head_id:
            self.card = self.counter.head_card(hit.head_id)
            self.basket = []
        self._back_to_basket(self.card.refusal)
        self._show_card()
        self._refresh_basket()

    def _highlighted(self) -> HeadHit | None:
        item = self.hits.currentItem()
        if item is None:
            self.message.setText("没有找到这个人：请输入姓名、拼音首字母（如 zsf）或电话号码。")
            return None
        return item.data(Qt.ItemDataRole.UserRole)

    def _scanned(self) -> HeadHit | None:
        """The holder of the work ID whose QR code the scanner typed, in his village."""
        code = parse_work_id_code(self.search.text())
        try:
            hit = self.counter.head_by_code(code)
        except DomainError as error:
            self.search.clear()
            self.message.setText(f"未能识别工作证：{error}")
            return None
        village = self.village.findData(code.village_id)
        if village != self.village.currentIndex():
            if self.basket or village < 0:
                self.search.clear()
                self.message.setText(f"{hit.name}是别的村的{hit.role}，请先确认或放弃本次兑换，"
                                     "再在右上角换村。" if village >= 0 else
                                     f"{hit.name}不是本账号可以兑换的村的负责人。")
                return None
            self.village.setCurrentIndex(village)  # starts the counter over in his village
        return hit

    def _back_to_basket(self, message: str) -> None:
        """The search box shows the head at the counter again; keys go to the basket."""
        self.hits.clear()
        self.hits.hide()
        self.search.blockSignals(True)
        self.search.setText(self.card.name if self.card else "")
        self.search.blockSignals(False)
        self.message.setText(message)
        self.setFocus()

    def _show_card(self) -> None:
        card = self.card
        if card is None:
            self.name.setText("请先选择兑换人")
            self.where.setText("")
            self.photo.setPixmap(QPixmap())
            self.photo.setText("")
            for label in (self.score, self.spendable, self.owed):
                label.setText("—")
            return
        self.name.setText(card.name)
        self.where.setText(f"{card.role}　{card.unit}\n电话 {card.phone or '—'}")
        pixmap = QPixmap()
        if card.photo:
            pixmap.loadFromData(card.photo, "JPEG")
        if pixmap.isNull():
            self.photo.setPixmap(QPixmap())
            self.photo.setText(card.name[:1])
        else:
            self.photo.setPixmap(pixmap.scaled(self.photo.size(),
                                               Qt.AspectRatioMode.KeepAspectRatio,
                                               Qt.TransformationMode.SmoothTransformation))
        standing = card.standing
        self.score.setText(str(standing.score))
        self.spendable.setText(str(standing.spendable))
        self.owed.setText(str(standing.owed))

    # ---- the basket -------------------------------------------------------------------------
    def add_goods(self, index: int) -> None:
        if self.card is None:
            self.message.setText("请先在搜索框中选择兑换人，再选物品。")
            self.search.setFocus()
            return
        if index >= len(self.goods):
            return
        goods = self.goods[index]
        line = next((x for x in self.basket if x.goods.id == goods.id), None)
        if line is None:
            self.basket.append(BasketLine(goods, 1))
        else:
            self.basket.remove(line)
            line.quantity += 1
            self.basket.append(line)
        self._refresh_basket()

    def change_last(self, step: int) -> None:
        if not self.basket:
            return
        line = self.basket[-1]
        line.quantity += step
        if line.quantity <= 0:
            self.basket.pop()
        self._refresh_basket()

    def _refresh_basket(self) -> None:
        self.lines.set_rows(self.basket)
        if self.basket:
            self.basket_view.selectRow(len(self.basket) - 1)
        total = sum(x.points for x in self.basket)
        if self.card is None:
            self.total.setText("")
            self.confirm_button.setEnabled(False)
            return
        left = self.card.standing.spendable - total
        self.total.setText(f"合计 {total} 分　　兑换后剩余 {left} 分" if left >= 0 else
                           f"合计 {total} 分　　积分不足，还差 {-left} 分")
        short = [x.goods.name for x in self.basket if x.quantity > x.goods.stock]
        if left < 0:
            self.message.setText(f"{self.card.name}可兑换积分只有 {self.card.standing.spendable} 分，"
                                 f"不够兑换 {total} 分。")
        elif short:
            self.message.setText(f"“{'、'.join(short)}”库存不足。")
        else:
            self.message.setText(self.card.refusal if not self.basket else "")
        self.confirm_button.setEnabled(bool(self.basket))

    def confirm(self) -> None:
        if self.card is None or not self.basket:
            return
        items = {x.goods.id: x.quantity for x in self.basket}
        key = self.attempts.key(self.card.head_id, sorted(items.items()))
        try:
            done = self.counter.redeem(self.card.head_id, items, idempotency_key=key)
        except DomainError as error:
            self.message.setText(f"未能兑换：{error}")
            return
        self.attempts.done()
        self.basket = []
        self.context.changed.emit("goods")
        self.context.changed.emit("points")
        data = self.counter.receipt_data(done.redemption_id)
        self.receipt = ReceiptDialog(data, self, lambda: self._receipt_pdf(data.number))
        self.receipt.finished.connect(self._receipt_closed)
        self.receipt.open()

    def _receipt_pdf(self, number: str) -> Path:
        """The receipt as the print centre makes it (A5: no receipt-paper setting exists)."""
        target = Path(self.print_folder.name) / f"{number}.pdf"
        service = PrintService(self.context.db, self.context.actor)
        return print_document(service, "receipt", None, target, paper=RECEIPT_PAPER,
                              number=number).path

    def _receipt_closed(self) -> None:
        self.window().activateWindow()  # back to the counter, the cursor in the search box
        self.start_over()

    def cancel_selected(self) -> None:
        index = self.today_view.currentIndex()
        if not index.isValid():
            self.message.setText("请先在“今日兑换”中选中要撤销的一笔。")
            return
        row: RedemptionRow = self.today.row(index)
        reason, ok = QInputDialog.getText(self, "撤销兑换", f"撤销 {row.number}（{row.head_name}，"
                                          f"{row.total} 分）的原因：")
        if not ok:
            return
        try:
            self.counter.cancel(row.id, reason)
        except DomainError as error:
            self.message.setText(f"未能撤销：{error}")
            return
        self.context.changed.emit("goods")
        self.context.changed.emit("points")
        self.message.setText(f"已撤销 {row.number}，积分和库存已退回。")

    # ---- keys -------------------------------------------------------------------------------
    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self.search and event.type() == QEvent.Type.KeyPress:
            key = event.key()
            if key in (Qt.Key.Key_Down, Qt.Key.Key_Up) and self.hits.count():
                step = 1 if key == Qt.Key.Key_Down else -1
                self.hits.setCurrentRow(max(0, min(self.hits.count() - 1,
                                                   self.hits.currentRow() + step)))
                return True
            if key in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
                # Handled here: the line edit would pass Enter on to the page, which confirms.
                self.pick()
                return True
            if key == Qt.Key.Key_Escape:
                if self.basket:  # back to the basket being served, not a fresh counter
                    self._back_to_basket("")
                else:
                    self.start_over()
                return True
        return super().eventFilter(watched, event)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        key = event.key()
        if key in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            self.confirm()
        elif key == Qt.Key.Key_Escape:
            self.start_over()
        elif key in DIGIT_KEYS:
            self.add_goods(DIGIT_KEYS.index(key))
        elif key in (Qt.Key.Key_Plus, Qt.Key.Key_Equal):
            self.change_last(1)
        elif key in (Qt.Key.Key_Minus, Qt.Key.Key_Underscore):
            self.change_last(-1)
        elif key in (Qt.Key.Key_Delete, Qt.Key.Key_Backspace):
            self.change_last(-self.basket[-1].quantity if self.basket else 0)
        elif event.text() and event.text().isprintable():
            # Typing a letter starts a new search straight away (a scanner's code too); a basket
            # being served stays until it is confirmed or given up.
            self.search.setFocus()
            self.search.setText(event.text())
            if self.basket:
                self.message.setText("本次兑换还没有确认，物品仍保留。按 Esc 回到本次兑换。")
        else:
            super().keyPressEvent(event)

    def _on_changed(self, topic: str) -> None:
        if topic in ("goods", "points", "org"):
            self._load_goods()
            self._load_today()
            if self.card is not None:
                self.card = self.counter.head_card(self.card.head_id)
                self._show_card()
                self._refresh_basket()
