"""统计: per village and month, how many problems were found and closed, the share closed on
time and the average days from finding to 销号 — as a table and as a chart (QPainter; QtCharts
is not installed)."""

from __future__ import annotations

from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QColor, QPainter, QPainterPath, QPen
from PySide6.QtWidgets import QComboBox, QHBoxLayout, QLabel, QSpinBox, QVBoxLayout, QWidget

from models.core import clock
from models.problems.service import ProblemsService, StatRow
from models.problems.views import totals
from ui.context import AppContext
from ui.widgets import Column, RowTableModel, row_table_view

RIGHT = Qt.AlignmentFlag.AlignRight
FOUND, CLOSED, RATE = QColor("#7f9cb8"), QColor("#3c8d5a"), QColor("#b3261e")


def _rate(row: StatRow) -> str:
    return f"{row.on_time_rate:.0%}" if row.on_time_rate is not None else "—"


def _days(row: StatRow) -> str:
    return f"{row.average_days:.1f}" if row.average_days is not None else "—"


FIGURES = (
    Column("发现", lambda r: r.found, RIGHT), Column("销号", lambda r: r.closed, RIGHT),
    Column("按期销号率", _rate, RIGHT), Column("平均销号天数", _days, RIGHT),
)
MONTH_COLUMNS = (Column("月份", lambda r: f"{r.month}月" if r.month else "全年"), *FIGURES)
VILLAGE_COLUMNS = (Column("村", lambda r: r.village), *FIGURES)


class MonthChart(QWidget):
    """Bars of problems found and closed each month, the on-time share as a red line."""

    def __init__(self) -> None:
        super().__init__()
        self.setMinimumHeight(240)
        self.months: list[StatRow] = []

    def show_months(self, months: list[StatRow]) -> None:
        self.months = months
        self.update()

    def paintEvent(self, _event) -> None:  # type: ignore[no-untyped-def]
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.fillRect(self.rect(), QColor("#ffffff"))
        area = QRectF(44, 30, self.width() - 96, self.height() - 62)
        top = max([r.found for r in self.months] + [r.closed for r in self.months] + [1])
        top = ((top + 4) // 5) * 5
        for step in range(6):
            y = area.bottom() - area.height() * step / 5
            painter.setPen(QPen(QColor("#d0d5dc"), 1))
            painter.drawLine(QPointF(area.left(), y), QPointF(area.right(), y))
            painter.setPen(QPen(QColor("#52606d"), 1))
            painter.drawText(QRectF(0, y - 9, 38, 18), RIGHT, str(top * step // 5))
            painter.drawText(QRectF(area.right() + 6, y - 9, 44, 18), Qt.AlignmentFlag.AlignLeft,
                             f"{step * 20}%")
        slot = area.width() / 12
        rate = QPainterPath()
        for index, row in enumerate(self.months):
            left = area.left() + slot * index
            for offset, value, colour in ((0.15, row.found, FOUND), (0.5, row.closed, CLOSED)):
                height = area.height() * value / top
                painter.fillRect(QRectF(left + slot * offset, area.bottom() - height, slot * 0.33,
                                        height), colour)
            painter.setPen(QPen(QColor("#52606d"), 1))
            painter.drawText(QRectF(left, area.bottom() + 4, slot, 18), Qt.AlignmentFlag.AlignCenter,
                             f"{row.month}月")
            if row.on_time_rate is not None:
                point = QPointF(left + slot / 2, area.bottom() - area.height() * row.on_time_rate)
                if rate.elementCount() == 0:
                    rate.moveTo(point)
                else:
                    rate.lineTo(point)
                painter.setBrush(RATE)
                painter.setPen(Qt.PenStyle.NoPen)
                painter.drawEllipse(point, 3, 3)
        painter.setBrush(Qt.BrushStyle.NoBrush)
        painter.setPen(QPen(RATE, 2))
        painter.drawPath(rate)
        self._legend(painter)

    def _legend(self, painter: QPainter) -> None:
        x = 50.0
        for colour, text in ((FOUND, "发现"), (CLOSED, "销号"), (RATE, "按期销号率（右侧刻度）")):
            painter.fillRect(QRectF(x, 8, 14, 12), colour)
            painter.setPen(QPen(QColor("#1f2933"), 1))
            painter.drawText(QRectF(x + 18, 5, 200, 18), Qt.AlignmentFlag.AlignLeft, text)
            x += 18 + painter.fontMetrics().horizontalAdvance(text) + 24


class StatisticsTab(QWidget):
    def __init__(self, context: AppContext, villages: list[tuple[int, str]]):
        super().__init__()
        self.service = context.service(ProblemsService)
        layout = QVBoxLayout(self)
        bar = QHBoxLayout()
        self.village = QComboBox()
        self.village.addItem("全部村" if len(villages) > 1 else villages[0][1] if villages else "—",
                             None)
        for village_id, name in villages if len(villages) > 1 else []:
            self.village.addItem(name, village_id)
        self.year = QSpinBox()
        self.year.setRange(2000, 2100)
        self.year.setValue(clock.today().year)
        self.year.setSuffix(" 年")
        for label, widget in (("村：", self.village), ("年度：", self.year)):
            bar.addWidget(QLabel(label))
            bar.addWidget(widget)
        bar.addStretch(1)
        layout.addLayout(bar)
        self.chart = MonthChart()
        layout.addWidget(self.chart)
        tables = QHBoxLayout()
        self.by_month = RowTableModel(MONTH_COLUMNS, self)
        self.by_village = RowTableModel(VILLAGE_COLUMNS, self)
        for model in (self.by_month, self.by_village):
            view = row_table_view(model)
            view.horizontalHeader().setStretchLastSection(True)
            tables.addWidget(view)
        layout.addLayout(tables, 1)
        self.village.currentIndexChanged.connect(self.reload)
        self.year.valueChanged.connect(self.reload)
        self.reload()

    def reload(self) -> None:
        rows = self.service.statistics(self.year.value(), self.village.currentData())
        months = [totals([r for r in rows if r.month == m], month=m) for m in range(1, 13)]
        villages: dict[int, list[StatRow]] = {}
        for row in rows:
            villages.setdefault(row.village_id, []).append(row)
        self.chart.show_months(months)
        self.by_month.set_rows([*months, totals(months)])
        self.by_village.set_rows([*(totals(v, v[0].village) for v in villages.values()),
                                  totals(rows)])
