"""负责人照片: choose a photo file, place the one-inch frame (25 × 35) on it with a preview of
the result, save it into the database; or import a whole folder of photos named by name or
work ID number. A refused file is said in red, and nothing is saved."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QPointF, QRectF, Qt, Signal
from PySide6.QtGui import (
    QColor,
    QImage,
    QMouseEvent,
    QPainter,
    QPainterPath,
    QPaintEvent,
    QPen,
    QPixmap,
)
from PySide6.QtWidgets import (
    QApplication,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QSlider,
    QVBoxLayout,
    QWidget,
)

from models.core.errors import DomainError
from models.core.files import FileContent
from models.core.images import ONE_INCH, aspect_box
from models.org.photos import Box, HeadPhotoService, prepare_photo
from ui.context import AppContext
from ui.widgets import refusal_text

IMAGE_FILTER = "照片 (*.jpg *.jpeg *.png *.bmp *.webp *.gif *.tif *.tiff);;所有文件 (*)"
RESULT_SIZE = (125, 175)  # the preview of the cropped photo, 25 : 35


class CropView(QWidget):
    """The photo scaled into the widget, the frame drawn over it; a click or a drag moves the
    frame's centre. `box` is the frame in the photo's own pixels."""

    moved = Signal()

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setMinimumSize(360, 300)
        self.image = QImage()
        self.centre: tuple[float, float] | None = None
        self.scale = 1.0  # the frame's width as a share of the largest frame

    def set_image(self, image: QImage) -> None:
        self.image = image
        self.centre = None
        self.update()

    @property
    def box(self) -> Box | None:
        if self.image.isNull():
            return None
        size = (self.image.width(), self.image.height())
        largest = aspect_box(size, ONE_INCH)
        width = (largest[2] - largest[0]) * self.scale
        height = width * ONE_INCH[1] / ONE_INCH[0]
        cx, cy = self.centre or (size[0] / 2, size[1] / 2)
        wanted = (round(cx - width / 2), round(cy - height / 2),
                  round(cx + width / 2), round(cy + height / 2))
        return aspect_box(size, ONE_INCH, box=wanted)

    def _placement(self) -> tuple[float, QPointF]:
        factor = min(self.width() / self.image.width(), self.height() / self.image.height())
        offset = QPointF((self.width() - self.image.width() * factor) / 2,
                         (self.height() - self.image.height() * factor) / 2)
        return factor, offset

    def paintEvent(self, _event: QPaintEvent) -> None:
        painter = QPainter(self)
        painter.fillRect(self.rect(), QColor("#e4e7eb"))
        if self.image.isNull():
            painter.drawText(self.rect(), Qt.AlignmentFlag.AlignCenter, "还没有选择照片")
            return
        factor, offset = self._placement()
        target = QRectF(offset, offset + QPointF(self.image.width() * factor,
                                                 self.image.height() * factor))
        painter.drawImage(target, self.image)
        left, top, right, bottom = self.box
        frame = QRectF(offset + QPointF(left * factor, top * factor),
                       offset + QPointF(right * factor, bottom * factor))
        outside = QPainterPath()
        outside.addRect(target)
        inside = QPainterPath()
        inside.addRect(frame)
        painter.fillPath(outside.subtracted(inside), QColor(0, 0, 0, 120))  # what is cut away
        painter.setPen(QPen(QColor("white"), 2))
        painter.drawRect(frame)

    def mousePressEvent(self, event: QMouseEvent) -> None:
        self._move_to(event.position())

    def mouseMoveEvent(self, event: QMouseEvent) -> None:
        self._move_to(event.position())

    def _move_to(self, point: QPointF) -> None:
        if self.image.isNull():
            return
        factor, offset = self._placement()
        self.centre = ((point.x() - offset.x()) / factor, (point.y() - offset.y()) / factor)
        self.update()
        self.moved.emit()


class HeadPhotoDialog(QDialog):
    def __init__(self, context: AppContext, head_id: int, name: str, village_id: int | None,
                 parent: QWidget | None = None):
        super().__init__(parent)
        self.context, self.head_id, self.village_id = context, head_id, village_id
        self.service = context.service(HeadPhotoService)
        self.photo: FileContent | None = None
        self.imported = 0  # photos saved from a folder
        self.setWindowTitle(f"{name}的照片")
        layout = QVBoxLayout(self)
        hint = QLabel("选择照片后，在照片上点一下或拖动，把白框放在头像上；用滑块调整白框大小。"
                      "保存后，柜台、工作证、职责牌和积分存折上都用这张照片。")
        hint.setWordWrap(True)
        hint.setObjectName("hint")
        layout.addWidget(hint)
        row = QHBoxLayout()
        self.view = CropView()
        self.view.moved.connect(self._preview)
        row.addWidget(self.view, 1)
        side = QVBoxLayout()
        side.addWidget(QLabel("一寸照片（25 × 35 毫米）："))
        self.cropped = QLabel()
        self.cropped.setFixedSize(*RESULT_SIZE)
        self.cropped.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.cropped.setStyleSheet("background:#e4e7eb;")
        side.addWidget(self.cropped)
        side.addWidget(QLabel("白框大小："))
        self.zoom = QSlider(Qt.Orientation.Horizontal)
        self.zoom.setRange(20, 100)
        self.zoom.setValue(100)
        self.zoom.valueChanged.connect(self._zoomed)
        side.addWidget(self.zoom)
        side.addStretch(1)
        row.addLayout(side)
        layout.addLayout(row, 1)
        self.message = QLabel()
        self.message.setObjectName("error")
        self.message.setWordWrap(True)
        layout.addWidget(self.message)
        buttons = QDialogButtonBox()
        self.file_button = buttons.addButton("选择照片文件…", QDialogButtonBox.ButtonRole.ActionRole)
        self.file_button.clicked.connect(self.choose_file)
        self.folder_button = buttons.addButton("从文件夹批量导入本村照片…",
                                               QDialogButtonBox.ButtonRole.ActionRole)
        self.folder_button.clicked.connect(self.choose_folder)
        self.folder_button.setEnabled(village_id is not None)
        self.save_button = buttons.addButton("保存", QDialogButtonBox.ButtonRole.AcceptRole)
        self.save_button.setEnabled(False)
        buttons.addButton("取消", QDialogButtonBox.ButtonRole.RejectRole)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        current = self.service.photo(head_id)
        if current:
            self._show_result(QImage.fromData(current))
        self.resize(720, 480)

    # ---- choosing ---------------------------------------------------------------------------
    def choose_file(self) -> None:
        name, _filter = QFileDialog.getOpenFileName(self, "选择照片", str(Path.home()), IMAGE_FILTER)
        if name:
            self.load(Path(name))

    def load(self, path: Path) -> bool:
        """Read and check the file (a hostile or huge one is refused and said)."""
        QApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)
        try:
            self.photo = prepare_photo(path)
        except DomainError as error:
            self.photo = None
            self.message.setText(refusal_text(error))
            self.view.set_image(QImage())
            self.save_button.setEnabled(False)
            return False
        finally:
            QApplication.restoreOverrideCursor()
        self.message.setText("")
        self.view.set_image(QImage.fromData(self.photo.content))
        self.zoom.setValue(100)
        self.save_button.setEnabled(True)
        self._preview()
        return True

    def choose_folder(self) -> None:
        folder = QFileDialog.getExistingDirectory(self, "选择放照片的文件夹", str(Path.home()))
        if folder:
            self.import_folder(Path(folder))

    def import_folder(self, folder: Path) -> bool:
        QApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)
        try:
            count = self.service.attach_folder(self.village_id, folder)
        except DomainError as error:
            self.message.setText(refusal_text(error))
            return False
        finally:
            QApplication.restoreOverrideCursor()
        self.imported = count
        self.context.changed.emit("org")
        QDialog.accept(self)  # the folder's photos are saved; nothing of this head's to save
        return True

    # ---- the frame --------------------------------------------------------------------------
    def _zoomed(self, value: int) -> None:
        self.view.scale = value / 100
        self.view.update()
        self._preview()

    def _preview(self) -> None:
        box = self.view.box
        if box is None:
            return
        left, top, right, bottom = box
        self._show_result(self.view.image.copy(left, top, right - left, bottom - top))

    def _show_result(self, image: QImage) -> None:
        self.cropped.setPixmap(QPixmap.fromImage(image).scaled(
            *RESULT_SIZE, Qt.AspectRatioMode.KeepAspectRatio,
            Qt.TransformationMode.SmoothTransformation))

    def accept(self) -> None:
        if self.photo is None:
            return
        try:
            self.service.attach(self.head_id, self.photo, self.view.box)
        except DomainError as error:
            self.message.setText(refusal_text(error))
            return
        self.context.changed.emit("org")
        super().accept()
