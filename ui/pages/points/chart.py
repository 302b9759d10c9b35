"""The score through the year as a step line, drawn with QPainter (QtCharts is not installed)."""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import QPointF, QRectF, QSize, Qt
from PySide6.QtGui import QColor, QPainter, QPainterPath, QPen
from PySide6.QtWidgets import QWidget

from models.core import clock


class ScoreChart(QWidget):
    def __init__(self) -> None:
        super().__init__()
        # 170 px where there is room; down to 110 (still readable) where the passbook's rows
        # need it, with 大字 on a small screen.
        self.setMinimumHeight(110)
        self.points: list[tuple[date, int]] = []
        self.year, self.opening, self.cap = clock.today().year, 30, 100

    def sizeHint(self) -> QSize:
        return QSize(400, 170)

    def show_scores(self, year: int, points: list[tuple[date, int]], opening: int, cap: int) -> None:
        self.year, self.points, self.opening, self.cap = year, points, opening, cap
        self.update()

    def paintEvent(self, _event) -> None:  # type: ignore[no-untyped-def]
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        area = QRectF(44, 12, self.width() - 60, self.height() - 40)
        painter.fillRect(self.rect(), QColor("#ffffff"))
        painter.setPen(QPen(QColor("#d0d5dc"), 1))
        top = max(self.cap, 1)

        def y(score: int) -> float:
            return area.bottom() - area.height() * score / top

        def x(day: date) -> float:
            return area.left() + area.width() * (day.timetuple().tm_yday - 1) / 365

        for score in (0, self.opening, top):
            painter.drawLine(QPointF(area.left(), y(score)), QPointF(area.right(), y(score)))
            painter.drawText(QRectF(0, y(score) - 9, 38, 18), Qt.AlignmentFlag.AlignRight, str(score))
        for month in range(1, 13):
            left = x(date(self.year, month, 1))
            painter.drawText(QRectF(left, area.bottom() + 6, 40, 18), Qt.AlignmentFlag.AlignLeft,
                             f"{month}月")
        painter.setPen(QPen(QColor("#c0392b"), 1, Qt.PenStyle.DashLine))
        painter.drawLine(QPointF(area.left(), y(self.opening)), QPointF(area.right(), y(self.opening)))
        if not self.points:
            return
        path = QPainterPath(QPointF(x(self.points[0][0]), y(self.points[0][1])))
        for day, score in self.points[1:]:
            path.lineTo(QPointF(x(day), path.currentPosition().y()))
            path.lineTo(QPointF(x(day), y(score)))
        painter.setPen(QPen(QColor("#1f5fa8"), 2))
        painter.drawPath(path)
