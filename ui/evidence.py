"""Evidence in the UI: thumbnails beside each indicator, a viewer, and images brought from outside.

The findings file keeps the bytes and their SHA-256; this module only shows them. Images arrive
from outside as dropped files, pasted clipboard images or files picked in a dialog (phone
screenshots for new-media accounts, mostly); :func:`read_image_file` and :func:`image_from_mime`
turn each into bytes plus a MIME type, refusing anything that is not a PNG, JPEG or WebP image.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

from PySide6.QtCore import (
    QCoreApplication,
    QEvent,
    QMimeData,
    QObject,
    QPoint,
    QSize,
    Qt,
    QThreadPool,
    Signal,
    Slot,
)
from PySide6.QtGui import QColor, QFont, QImage, QPainter, QPixmap
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QInputDialog,
    QLabel,
    QLineEdit,
    QMenu,
    QPushButton,
    QScrollArea,
    QSizePolicy,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from inspector.store import EvidenceInfo
from ui.capture import png_bytes

# Image files taken from outside: magic bytes, MIME type and extension.
IMAGE_SIGNATURES = (
    (b"\x89PNG\r\n\x1a\n", "image/png", ".png"),
    (b"\xff\xd8\xff", "image/jpeg", ".jpg"),
)
# An image larger than this is refused (a phone screenshot is a few MB).
MAX_IMAGE_BYTES = 50 * 1024 * 1024
THUMB_SIZE = QSize(64, 48)
# Images above this size get their thumbnail made on a worker thread.
SYNC_THUMBNAIL_BYTES = 256 * 1024
_IMAGE_MIMES = ("image/png", "image/jpeg", "image/webp")


def kind_label(kind: str) -> str:
    """The evidence kind in the UI's language."""
    labels = {
        "screenshot": QCoreApplication.translate("Evidence", "可见区域截图"),
        "fullpage": QCoreApplication.translate("Evidence", "整页截图"),
        "mhtml": QCoreApplication.translate("Evidence", "网页快照（MHTML）"),
        "phone": QCoreApplication.translate("Evidence", "图片（手机截图等）"),
        "file": QCoreApplication.translate("Evidence", "文件"),
    }
    return labels.get(kind, kind)


def size_text(size: int) -> str:
    """Bytes as people read them: 812 B, 34 KB, 2.1 MB."""
    if size < 1024:
        return f"{size} B"
    if size < 1024 * 1024:
        return f"{size / 1024:.0f} KB"
    return f"{size / 1024 / 1024:.1f} MB"


class ImageError(ValueError):
    """An outside file that is not an image we keep as evidence."""


@dataclass(frozen=True)
class ImageFile:
    """An image brought in from outside, ready for ``FindingsFile.add_evidence``."""

    data: bytes
    mime: str
    filename: str


def sniff_image(data: bytes) -> tuple[str, str] | None:
    """MIME type and extension of PNG, JPEG or WebP bytes; None for anything else."""
    for magic, mime, extension in IMAGE_SIGNATURES:
        if data.startswith(magic):
            return mime, extension
    if data[:4] == b"RIFF" and data[8:12] == b"WEBP":
        return "image/webp", ".webp"
    return None


def read_image_file(path: Path) -> ImageFile:
    """Read a dropped or chosen file; ImageError unless it is a PNG, JPEG or WebP image.

    The content decides, not the name: a phone may save a JPEG as ``.png``, and a renamed
    document must not slip in as a screenshot.
    """
    try:
        size = path.stat().st_size
        if size > MAX_IMAGE_BYTES:
            raise ImageError(
                QCoreApplication.translate("Evidence", "图片过大（{size}）：{name}").format(
                    size=size_text(size), name=path.name
                )
            )
        data = path.read_bytes()
    except OSError as exc:
        raise ImageError(
            QCoreApplication.translate("Evidence", "无法读取文件：{name}（{error}）").format(
                name=path.name, error=exc.strerror or exc
            )
        ) from exc
    sniffed = sniff_image(data)
    if sniffed is None or QImage.fromData(data).isNull():
        raise ImageError(
            QCoreApplication.translate("Evidence", "不是 PNG、JPEG 或 WebP 图片：{name}").format(
                name=path.name
            )
        )
    return ImageFile(data, sniffed[0], path.name)


def images_from_mime(mime: QMimeData) -> tuple[list[ImageFile], list[str]]:
    """Images carried by a drop or the clipboard (files or raw image data), and refusals."""
    images: list[ImageFile] = []
    problems: list[str] = []
    if mime.hasUrls():
        for url in mime.urls():
            if not url.isLocalFile():
                problems.append(
                    QCoreApplication.translate("Evidence", "只能添加本机文件：{url}").format(
                        url=url.toString()
                    )
                )
                continue
            try:
                images.append(read_image_file(Path(url.toLocalFile())))
            except ImageError as exc:
                problems.append(str(exc))
        return images, problems
    for mime_type in _IMAGE_MIMES:
        if mime.hasFormat(mime_type):
            data = bytes(mime.data(mime_type).data())
            if sniff_image(data):
                extension = sniff_image(data)[1]  # type: ignore[index]
                return [ImageFile(data, mime_type, f"pasted{extension}")], problems
    if mime.hasImage():
        image = mime.imageData()
        if isinstance(image, QImage | QPixmap):
            qimage = image.toImage() if isinstance(image, QPixmap) else image
            if not qimage.isNull():
                return [ImageFile(png_bytes(qimage), "image/png", "pasted.png")], problems
    return images, problems


def can_accept(mime: QMimeData) -> bool:
    """Whether a drag might carry images (checked for real on drop)."""
    return mime.hasUrls() or mime.hasImage() or any(mime.hasFormat(m) for m in _IMAGE_MIMES)


def make_thumbnail(
    info: EvidenceInfo, data: bytes | None, size: QSize = THUMB_SIZE, *, label: str = ""
) -> QImage:
    """A small picture of one piece of evidence: the top of an image, or a labelled tile.

    Paints on a QImage, so it may run on a worker thread (large images decode slowly).
    """
    tile = QImage(size, QImage.Format.Format_RGB32)
    tile.fill(QColor("#eef1f5"))
    painter = QPainter(tile)
    painter.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform)
    image = QImage.fromData(data) if data is not None and info.mime in _IMAGE_MIMES else QImage()
    if not image.isNull():
        scaled = image.scaledToWidth(size.width(), Qt.TransformationMode.SmoothTransformation)
        if scaled.height() < size.height():
            scaled = image.scaled(
                size,
                Qt.AspectRatioMode.KeepAspectRatioByExpanding,
                Qt.TransformationMode.SmoothTransformation,
            )
        # A tall full page shows its top, where the site's name and navigation are.
        painter.drawImage(QPoint(0, 0), scaled, scaled.rect().intersected(tile.rect()))
    else:
        painter.setPen(QColor("#4b5563"))
        font = QFont()
        font.setPixelSize(12)
        font.setBold(True)
        painter.setFont(font)
        text = label or (
            "MHTML" if info.kind == "mhtml" else Path(info.filename).suffix.upper()[1:5]
        )
        painter.drawText(tile.rect(), Qt.AlignmentFlag.AlignCenter, text or "?")
    painter.setPen(QColor("#c3c9d2"))
    painter.drawRect(tile.rect().adjusted(0, 0, -1, -1))
    painter.end()
    return tile


class ThumbnailCache(QObject):
    """Thumbnails by evidence id, made once from the stored bytes (evidence never changes).

    A large image (a full page may be 20,000 pixels tall) takes a noticeable moment to decode,
    so it is decoded on a worker thread: :meth:`get` returns a placeholder at once and ``ready``
    brings the real thumbnail.

    Signals:
        ready(int, QPixmap): the thumbnail of this evidence id, made in the background.
    """

    ready = Signal(int, QPixmap)
    _made = Signal(int, str, QImage)

    def __init__(self, load: Callable[[int], bytes], parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._load = load
        self._cache: dict[tuple[int, str], QPixmap] = {}
        self._pending: set[tuple[int, str]] = set()
        self._generation = 0
        self._made.connect(self.on_self_made)

    def get(self, info: EvidenceInfo) -> QPixmap:
        """The thumbnail of one piece of evidence (a placeholder while a large one is made)."""
        key = (info.id, info.sha256)
        pixmap = self._cache.get(key)
        if pixmap is not None:
            return pixmap
        if info.mime not in _IMAGE_MIMES:
            pixmap = QPixmap.fromImage(make_thumbnail(info, None))
        elif info.size <= SYNC_THUMBNAIL_BYTES:
            pixmap = QPixmap.fromImage(make_thumbnail(info, self._load(info.id)))
        else:
            if key not in self._pending:
                self._pending.add(key)
                data, generation = self._load(info.id), self._generation

                def work() -> None:
                    image = make_thumbnail(info, data)
                    if generation == self._generation:
                        self._made.emit(info.id, info.sha256, image)

                QThreadPool.globalInstance().start(work)
            return QPixmap.fromImage(make_thumbnail(info, None, label="…"))
        self._cache[key] = pixmap
        return pixmap

    def clear(self) -> None:
        """Forget everything (another findings file was opened)."""
        self._generation += 1
        self._cache.clear()
        self._pending.clear()

    @Slot(int, str, QImage)
    def on_self_made(self, evidence_id: int, sha256: str, image: QImage) -> None:
        key = (evidence_id, sha256)
        if key not in self._pending:
            return  # made for a file that is no longer open
        self._pending.discard(key)
        pixmap = QPixmap.fromImage(image)
        self._cache[key] = pixmap
        self.ready.emit(evidence_id, pixmap)


def describe(info: EvidenceInfo) -> str:
    """A tooltip: kind, time, address, inspector, size and hash of one piece of evidence."""
    lines = [
        f"<b>#{info.id} {kind_label(info.kind)}</b>",
        info.captured_at.replace("T", " "),
        info.url or "",
        f"{info.inspector} · {size_text(info.size)}",
        f"SHA-256 {info.sha256[:16]}…",
    ]
    if info.note:
        lines.append(info.note)
    return "<br>".join(line for line in lines if line)


class EvidenceStrip(QWidget):
    """A row of evidence thumbnails; click to view, right-click to view or remove.

    Signals:
        evidence_activated(int): the inspector wants to see this evidence.
        remove_requested(int): the inspector wants to remove this evidence (reason asked later).
    """

    evidence_activated = Signal(int)
    remove_requested = Signal(int)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("evidenceStrip")
        self._layout = QHBoxLayout(self)
        self._layout.setContentsMargins(0, 0, 0, 0)
        self._layout.setSpacing(4)
        self._layout.addStretch(1)
        self._buttons: dict[int, QToolButton] = {}
        self.hide()

    def evidence_ids(self) -> list[int]:
        """The evidence shown, in order."""
        return list(self._buttons)

    def button(self, evidence_id: int) -> QToolButton:
        """The thumbnail button of one piece of evidence (tests click it)."""
        return self._buttons[evidence_id]

    def set_evidence(
        self, items: Sequence[EvidenceInfo], thumbnail: Callable[[EvidenceInfo], QPixmap]
    ) -> None:
        """Show these items (the strip hides itself when there are none)."""
        wanted = [i.id for i in items]
        if wanted == list(self._buttons):
            self.setVisible(bool(items))
            for info in items:
                self._buttons[info.id].setToolTip(describe(info))
            return
        for button in self._buttons.values():
            button.deleteLater()
        self._buttons.clear()
        for position, info in enumerate(items):
            button = QToolButton(self)
            button.setObjectName("evidenceThumb")
            button.setIcon(thumbnail(info))
            button.setIconSize(THUMB_SIZE)
            button.setAutoRaise(True)
            button.setToolTip(describe(info))
            button.setProperty("evidence_id", info.id)
            button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
            button.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
            button.clicked.connect(self.on_button_clicked)
            button.customContextMenuRequested.connect(self.on_button_context_menu_requested)
            self._layout.insertWidget(position, button)
            self._buttons[info.id] = button
        self.setVisible(bool(items))

    def update_thumbnail(self, evidence_id: int, pixmap: QPixmap) -> None:
        """Replace a placeholder with the thumbnail made in the background."""
        button = self._buttons.get(evidence_id)
        if button is not None:
            button.setIcon(pixmap)

    @Slot()
    def on_button_clicked(self) -> None:
        self.evidence_activated.emit(int(self.sender().property("evidence_id")))

    @Slot(QPoint)
    def on_button_context_menu_requested(self, position: QPoint) -> None:
        button = self.sender()
        ident = int(button.property("evidence_id"))
        menu = QMenu(self)
        menu.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        menu.addAction(self.tr("查看…"), lambda: self.evidence_activated.emit(ident))
        menu.addAction(self.tr("删除…"), lambda: self.remove_requested.emit(ident))
        menu.popup(button.mapToGlobal(position))


class EvidenceViewerDialog(QDialog):
    """One piece of evidence: the image (or what the snapshot is), its facts, export and removal.

    Opened with ``open()``; it never blocks. Removal asks for a reason, which goes into the
    audit log with the removed item's hash.

    Signals:
        remove_requested(int, str): remove this evidence, for this reason.
    """

    remove_requested = Signal(int, str)

    def __init__(
        self,
        info: EvidenceInfo,
        data: bytes,
        *,
        target_name: str,
        indicator: str,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("evidenceViewer")
        self.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.info = info
        self._data = data
        self._image = QImage.fromData(data) if info.mime in _IMAGE_MIMES else QImage()
        self._fit = True
        self._shown_width = -1
        self.setWindowTitle(
            self.tr("证据 #{id} · {kind}").format(id=info.id, kind=kind_label(info.kind))
        )

        self.picture = QLabel(self)
        self.picture.setObjectName("evidencePicture")
        self.picture.setAlignment(Qt.AlignmentFlag.AlignHCenter | Qt.AlignmentFlag.AlignTop)
        self._scroll = QScrollArea(self)
        self._scroll.setObjectName("evidenceScroll")
        self._scroll.setWidget(self.picture)
        self._scroll.setWidgetResizable(True)
        self._scroll.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        if self._image.isNull():
            self.picture.setWordWrap(True)
            self.picture.setText(
                self.tr(
                    "网页快照（MHTML）保存了网页的 HTML、样式和图片，可导出后用浏览器打开查看。"
                )
                if info.kind == "mhtml"
                else self.tr("该证据不是图片，可导出后查看。")
            )
            self.picture.setAlignment(Qt.AlignmentFlag.AlignCenter)

        facts = QFormLayout()
        facts.setLabelAlignment(Qt.AlignmentFlag.AlignRight)
        facts.setContentsMargins(4, 4, 4, 4)
        rows = (
            (self.tr("检查对象"), target_name),
            (self.tr("指标"), indicator or self.tr("（整个对象）")),
            (self.tr("类型"), f"{kind_label(info.kind)} · {info.mime} · {size_text(info.size)}"),
            (self.tr("网址"), info.url or "—"),
            (self.tr("截取时间"), info.captured_at.replace("T", " ")),
            (self.tr("检查员"), info.inspector),
            ("SHA-256", info.sha256),
        )
        for label, value in rows:
            field = QLineEdit(value, self)
            field.setReadOnly(True)
            field.setCursorPosition(0)
            facts.addRow(label, field)
        if info.note:
            facts.addRow(self.tr("备注"), QLabel(info.note, self))

        self.fit_button = QPushButton(self.tr("原始大小"), self)
        self.fit_button.setCheckable(True)
        self.fit_button.setEnabled(not self._image.isNull())
        self.fit_button.toggled.connect(self.on_fit_button_toggled)
        self.export_button = QPushButton(self.tr("导出…"), self)
        self.export_button.clicked.connect(self.on_export_button_clicked)
        self.remove_button = QPushButton(self.tr("删除…"), self)
        self.remove_button.setObjectName("dangerButton")
        self.remove_button.clicked.connect(self.on_remove_button_clicked)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        buttons.rejected.connect(self.reject)
        bottom = QHBoxLayout()
        bottom.addWidget(self.fit_button)
        bottom.addWidget(self.export_button)
        bottom.addWidget(self.remove_button)
        bottom.addStretch(1)
        bottom.addWidget(buttons)
        layout = QVBoxLayout(self)
        layout.addWidget(self._scroll, 1)
        layout.addLayout(facts)
        layout.addLayout(bottom)
        self.resize(900, 760)
        self._dialog: QWidget | None = None

    def showEvent(self, event: QEvent) -> None:
        super().showEvent(event)
        self._render()

    def resizeEvent(self, event: QEvent) -> None:
        super().resizeEvent(event)
        self._render()

    def _render(self) -> None:
        if self._image.isNull():
            return
        width = self._scroll.viewport().width() - 4
        if not (self._fit and self._image.width() > width > 0):
            width = 0  # actual size
        if width == self._shown_width:
            return  # a tall page scales slowly: only when the width really changed
        self._shown_width = width
        image = self._image
        if width:
            image = image.scaledToWidth(width, Qt.TransformationMode.SmoothTransformation)
        self.picture.setPixmap(QPixmap.fromImage(image))

    @Slot(bool)
    def on_fit_button_toggled(self, original: bool) -> None:
        self._fit = not original
        self._shown_width = -1
        self._render()

    @Slot()
    def on_export_button_clicked(self) -> None:
        dialog = QFileDialog(self, self.tr("导出证据"), str(Path.home() / self.info.filename))
        dialog.setAcceptMode(QFileDialog.AcceptMode.AcceptSave)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.fileSelected.connect(self.on_export_dialog_file_selected)
        dialog.open()
        self._dialog = dialog

    @Slot(str)
    def on_export_dialog_file_selected(self, path: str) -> None:
        try:
            Path(path).write_bytes(self._data)
        except OSError as exc:
            self.export_button.setToolTip(str(exc))

    @Slot()
    def on_remove_button_clicked(self) -> None:
        dialog = ask_removal_reason(self, self.info.id)
        dialog.textValueSelected.connect(self.on_reason_dialog_text_value_selected)
        self._dialog = dialog

    @Slot(str)
    def on_reason_dialog_text_value_selected(self, reason: str) -> None:
        if reason.strip():
            self.remove_requested.emit(self.info.id, reason.strip())
            self.accept()


def ask_removal_reason(parent: QWidget, evidence_id: int) -> QInputDialog:
    """Open (never exec) the question "why remove this evidence?"; connect ``textValueSelected``."""
    dialog = ask_reason(
        parent,
        QCoreApplication.translate("Evidence", "删除证据"),
        QCoreApplication.translate("Evidence", "删除证据 #{id} 的理由（记入审计日志）：").format(
            id=evidence_id
        ),
    )
    dialog.setObjectName("removalReasonDialog")
    dialog.setProperty("evidence_id", evidence_id)
    return dialog


def ask_reason(parent: QWidget, title: str, label: str) -> QInputDialog:
    """Open (never exec) a question asking why; connect ``textValueSelected``.

    The OK button stays disabled until a reason is typed: the audit log needs one.
    """
    dialog = QInputDialog(parent)
    dialog.setWindowTitle(title)
    dialog.setLabelText(label)
    dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    dialog.open()
    buttons = dialog.findChild(QDialogButtonBox)
    if buttons is not None:
        ok = buttons.button(QDialogButtonBox.StandardButton.Ok)
        ok.setEnabled(False)
        dialog.textValueChanged.connect(lambda text: ok.setEnabled(bool(text.strip())))
    return dialog
