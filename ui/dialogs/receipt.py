"""兑换凭证 summary after a redemption (the printed receipt builds on CounterService.receipt_data)."""

from __future__ import annotations

from html import escape

from PySide6.QtWidgets import QDialog, QDialogButtonBox, QLabel, QVBoxLayout, QWidget

from models.services.counter import ReceiptData


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


class ReceiptDialog(QDialog):
    def __init__(self, data: ReceiptData, parent: QWidget | None = None):
        super().__init__(parent)
        self.data = data
        self.setWindowTitle(f"兑换凭证 {data.number}")
        self.setMinimumWidth(460)
        layout = QVBoxLayout(self)
        body = QLabel(receipt_html(data))
        body.setWordWrap(True)
        layout.addWidget(body)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        close = buttons.button(QDialogButtonBox.StandardButton.Close)
        close.setText("完成（回车）")
        close.setDefault(True)
        buttons.rejected.connect(self.accept)
        layout.addWidget(buttons)
