"""兑换凭证 after a redemption: the summary on screen, the printed PDF (PrintService) on request."""

from __future__ import annotations

from collections.abc import Callable
from html import escape
from pathlib import Path

from PySide6.QtPdf import QPdfDocument
from PySide6.QtPdfWidgets import QPdfView
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QLabel, QVBoxLayout, QWidget

from models.core.errors import DomainError
from models.store.counter import ReceiptData
from ui.pdf_output import ask_and_print


def receipt_html(data: ReceiptData) -> str:
    lines = "".join(
        f"<tr><td>{escape(x.name)}</td><td align='right'>{x.quantity}{escape(x.unit)}</td>"
        f"<td align='right'>{x.price_points}</td><td align='right'>{x.points}</td></tr>"
        for x in data.lines)
    cancelled = (f"<p style='color:#b3261e'><b>已撤销</b>：{escape(data.cancel_reason)}</p>"
                 if data.cancelled else "")
    return (
        f"<h2 align='center'>兑换凭证</h2>"
        f"<p>凭证号：<b>{data.number}</b>&nbsp;&nbsp;&nbsp;&nbsp;日期：{data.occurred_on:%Y年%m月%d日}</p>"
        f"<p>{escape(data.township)} {escape(data.village)}&nbsp;&nbsp;&nbsp;&nbsp;兑换人："
        f"<b>{escape(data.head_name)}</b>（{escape(data.head_unit)} {escape(data.head_role)}）</p>"
        f"<table width='100%' cellspacing='0' cellpadding='4' border='1'>"
        f"<tr><th>物品</th><th>数量</th><th>单价（积分）</th><th>积分</th></tr>{lines}"
        f"<tr><td colspan='3' align='right'><b>合计</b></td><td align='right'><b>{data.total}</b>"
        f"</td></tr></table>"
        f"<p>兑换前可兑换积分 {data.spendable_before} 分，兑换后剩余 <b>{data.spendable_after}</b> 分。"
        f"</p><p>经办人：{escape(data.operator)}</p>{cancelled}")


PREVIEW_HEIGHT = 860  # the dialog with the preview, where the screen has room
PREVIEW_LEAST = 240  # the page's preview at the least: the receipt's own lines are above it


class ReceiptDialog(QDialog):
    """The summary, with 预览 (the real PDF from the print service) and 打印. Enter still closes:
    only 完成 is a default button, so the counter's keyboard flow is unchanged."""

    def __init__(self, data: ReceiptData, parent: QWidget | None = None,
                 make_pdf: Callable[[], Path] | None = None):
        super().__init__(parent)
        self.data = data
        self.make_pdf = make_pdf
        self.pdf_path: Path | None = None
        self.setWindowTitle(f"兑换凭证 {data.number}")
        self.setMinimumWidth(460)
        layout = QVBoxLayout(self)
        body = QLabel(receipt_html(data))
        body.setWordWrap(True)
        layout.addWidget(body)
        self.document = QPdfDocument(self)
        self.view = QPdfView()
        self.view.setDocument(self.document)
        self.view.setPageMode(QPdfView.PageMode.SinglePage)
        self.view.setZoomMode(QPdfView.ZoomMode.FitInView)
        self.view.setMinimumHeight(PREVIEW_LEAST)
        self.view.hide()
        layout.addWidget(self.view, 1)
        self.status = QLabel("")
        self.status.setObjectName("hint")
        layout.addWidget(self.status)
        buttons = QDialogButtonBox()
        self.print_button = buttons.addButton("打印", QDialogButtonBox.ButtonRole.ActionRole)
        self.preview_button = buttons.addButton("预览", QDialogButtonBox.ButtonRole.ActionRole)
        for button in (self.print_button, self.preview_button):
            button.setAutoDefault(False)
            button.setEnabled(make_pdf is not None)
        self.print_button.clicked.connect(self.print_receipt)
        self.preview_button.clicked.connect(self.preview)
        self.close_button = buttons.addButton(QDialogButtonBox.StandardButton.Close)
        self.close_button.setText("完成（回车）")
        buttons.rejected.connect(self.accept)
        layout.addWidget(buttons)
        # Made the default only once the box is in the dialog: set before, it is the button's own
        # flag, which the first focus change clears (the real style puts the focus on 完成, a
        # click on 预览 takes it away), and Enter then pressed nothing.
        self.close_button.setDefault(True)
        self.close_button.setFocus()

    def _load(self) -> bool:
        """Make the PDF once (the print service audits it) and load it for preview and printing."""
        if self.pdf_path is not None:
            return True
        try:
            self.pdf_path = self.make_pdf()
        except DomainError as error:
            self.status.setText(f"无法生成凭证：{error}")
            return False
        self.document.load(str(self.pdf_path))
        return True

    def preview(self) -> None:
        if self._load():
            self.view.show()
            self._fit_on_screen()

    def _fit_on_screen(self) -> None:
        """Tall enough to read the A5 page, and never taller than the screen (1024 × 768 with
        大字): the buttons stay in reach."""
        area = self.screen().availableGeometry()
        frame = self.frameGeometry().height() - self.height()
        self.resize(max(self.width(), 560), min(PREVIEW_HEIGHT, area.height() - frame))
        self.move(self.x(), max(area.top(), min(self.y(), area.bottom() - self.frameGeometry().height())))

    def print_receipt(self) -> None:
        if self._load():
            printer = ask_and_print(self.document, self)
            if printer is not None:
                self.status.setText(f"已发送到打印机：{printer}")
