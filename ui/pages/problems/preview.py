"""A generated document shown before it goes out: the pages (QtPdf), 打印… and 另存为 PDF…, as in
the print centre."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtPdf import QPdfDocument
from PySide6.QtPdfWidgets import QPdfView
from PySide6.QtWidgets import QDialog, QFileDialog, QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from ui.pdf_output import ask_and_print, save_copy


class PreviewDialog(QDialog):
    def __init__(self, path: Path, title: str, pages: int, parent: QWidget | None = None):
        super().__init__(parent)
        self.setWindowTitle(title)
        self.resize(760, 900)
        self.path = path
        layout = QVBoxLayout(self)
        self.document = QPdfDocument(self)
        self.document.load(str(path))
        view = QPdfView()
        view.setDocument(self.document)
        view.setPageMode(QPdfView.PageMode.MultiPage)
        view.setZoomMode(QPdfView.ZoomMode.FitToWidth)
        layout.addWidget(view, 1)
        self.status = QLabel(f"{title}，共 {pages} 页。")
        self.status.setObjectName("hint")
        buttons = QHBoxLayout()
        buttons.addWidget(self.status, 1)
        for text, slot in (("打印…", self.print_it), ("另存为 PDF…", self.save), ("关闭", self.accept)):
            button = QPushButton(text)
            button.clicked.connect(slot)
            buttons.addWidget(button)
        layout.addLayout(buttons)

    def print_it(self) -> None:
        printer = ask_and_print(self.document, self)
        if printer is not None:
            self.status.setText(f"已发送到打印机：{printer}")

    def save(self) -> None:
        name, _ = QFileDialog.getSaveFileName(self, "另存为 PDF", f"{self.windowTitle()}.pdf",
                                              "PDF 文件 (*.pdf)")
        if name:
            save_copy(self.path, Path(name))
            self.status.setText(f"已保存：{name}")
