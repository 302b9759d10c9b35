"""Photos on the problem page: a strip that takes files and folders dropped onto it (or chosen),
prepares them with the core importer in the background and shows thumbnails; and the before /
after photos of a problem side by side."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

from PySide6.QtCore import QSize, Qt, Signal
from PySide6.QtGui import QDragEnterEvent, QDropEvent, QIcon, QPixmap
from PySide6.QtWidgets import (
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QMessageBox,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from models.core.files import FileContent
from models.core.images import IMAGE_SUFFIXES, image_files
from models.problems.service import prepare_photos
from ui.tasks import run_task

THUMB = QSize(120, 90)
FILTER = "照片 (" + " ".join(f"*{suffix}" for suffix in sorted(IMAGE_SUFFIXES)) + ")"


def pixmap(content: bytes, size: QSize) -> QPixmap:
    image = QPixmap()
    image.loadFromData(content)
    return image.scaled(size, Qt.AspectRatioMode.KeepAspectRatio,
                        Qt.TransformationMode.SmoothTransformation)


class PhotoStrip(QWidget):
    """Drop photos or a folder here. Every file goes through the core importer (refused ones are
    named and none of the batch is taken); `taken` reports the earliest time a photo was taken."""

    taken = Signal(object)  # datetime of the earliest photo, when one says

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setAcceptDrops(True)
        self.photos: list[FileContent] = []
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        self.list = QListWidget()
        self.list.setViewMode(QListWidget.ViewMode.IconMode)
        self.list.setIconSize(THUMB)
        self.list.setFixedHeight(THUMB.height() + 34)
        self.list.setFlow(QListWidget.Flow.LeftToRight)
        self.list.setWrapping(False)
        self.hint = QLabel("把照片或照片文件夹拖到这里（可一次多张，如从微信保存的照片）")
        self.hint.setObjectName("hint")
        buttons = QHBoxLayout()
        for text, slot in (("选择照片…", self.choose_files), ("从文件夹导入…", self.choose_folder),
                           ("清除", self.clear)):
            button = QPushButton(text)
            button.clicked.connect(slot)
            buttons.addWidget(button)
        buttons.addStretch(1)
        layout.addWidget(self.list)
        layout.addWidget(self.hint)
        layout.addLayout(buttons)

    # ---- adding --------------------------------------------------------------------------
    def dragEnterEvent(self, event: QDragEnterEvent) -> None:
        if event.mimeData().hasUrls():
            event.acceptProposedAction()

    def dropEvent(self, event: QDropEvent) -> None:
        self.add([Path(url.toLocalFile()) for url in event.mimeData().urls() if url.isLocalFile()])
        event.acceptProposedAction()

    def choose_files(self) -> None:
        names, _ = QFileDialog.getOpenFileNames(self, "选择照片", "", FILTER)
        self.add([Path(name) for name in names])

    def choose_folder(self) -> None:
        folder = QFileDialog.getExistingDirectory(self, "选择照片所在的文件夹")
        if folder:
            self.add([Path(folder)])

    def add(self, paths: list[Path]) -> None:
        """Files as they are, folders by their image files; prepared off the UI thread."""
        files: list[Path] = []
        for path in paths:
            files += image_files(path) if path.is_dir() else [path]
        if not files:
            return
        self.hint.setText(f"正在处理 {len(files)} 张照片……")

        def work(progress):  # type: ignore[no-untyped-def]
            progress.report(0, len(files), f"正在处理 {len(files)} 张照片……")
            return prepare_photos(files)

        run_task(work, self._added, self._refused, parent=self,
                 title="正在处理照片……" if len(files) > 5 else "")

    def add_prepared(self, photos: list[FileContent]) -> None:
        """Photos already prepared (tests, a second look at the same files)."""
        self._added(photos)

    def _added(self, photos: list[FileContent]) -> None:
        for photo in photos:
            if any(p.sha256 == photo.sha256 for p in self.photos):
                continue
            self.photos.append(photo)
            item = QListWidgetItem(QIcon(pixmap(photo.content, THUMB)), photo.name[:14])
            item.setToolTip(photo.name)
            self.list.addItem(item)
        self.hint.setText(f"已选 {len(self.photos)} 张照片（导入时缩小到 1600 像素，去掉位置信息）")
        times = [p.taken_at for p in self.photos if p.taken_at is not None]
        if times:
            self.taken.emit(min(times))

    def _refused(self, error: BaseException) -> None:
        self.hint.setText(f"已选 {len(self.photos)} 张照片")
        QMessageBox.warning(self, "照片不能导入", str(error))

    def clear(self) -> None:
        self.photos.clear()
        self.list.clear()
        self.hint.setText("把照片或照片文件夹拖到这里（可一次多张，如从微信保存的照片）")

    def earliest(self) -> datetime | None:
        times = [p.taken_at for p in self.photos if p.taken_at is not None]
        return min(times) if times else None


class BeforeAfter(QWidget):
    """整改前 | 整改后: the problem's photos side by side."""

    SIZE = QSize(232, 174)

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        self.columns = []
        for caption in ("整改前", "整改后"):
            column = QVBoxLayout()
            title = QLabel(caption)
            title.setObjectName("sectionTitle")
            shelf = QListWidget()
            shelf.setViewMode(QListWidget.ViewMode.IconMode)
            shelf.setIconSize(self.SIZE)
            shelf.setFixedHeight(self.SIZE.height() + 30)
            shelf.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
            shelf.setFlow(QListWidget.Flow.LeftToRight)
            shelf.setWrapping(False)
            column.addWidget(title)
            column.addWidget(shelf)
            layout.addLayout(column)
            self.columns.append(shelf)

    def show_photos(self, before: list[bytes], after: list[bytes]) -> None:
        for shelf, photos in zip(self.columns, (before, after), strict=True):
            shelf.clear()
            for content in photos:
                shelf.addItem(QListWidgetItem(QIcon(pixmap(content, self.SIZE)), ""))
            if not photos:
                empty = QListWidgetItem("（没有照片）")
                empty.setFlags(Qt.ItemFlag.NoItemFlags)
                shelf.addItem(empty)
