"""The menu items of a new-media account: typed, pasted or imported, each with its status.

Issue 6 item 4. Menus and mini programs fail on the phone ("该功能正在开发中", "小程序已过期",
"系统升级维护中"), so the inspector lists the account's menu items, opens each in the embedded
browser, and marks it works / under development / expired / maintenance / dead link, with the
marker text the page showed and screenshots per item as proof.

The panel only presents and forwards: the window stores every change in the findings file, adds
or dismisses the M-D2 / M-D3 hints that follow from a status, and hands back what is stored
through :meth:`MenuListPanel.show_items`. Dialogs are opened, never exec'd; the last one is
:attr:`MenuListPanel.dialog` (tests answer it).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path

from PySide6.QtCore import QEvent, QObject, QSettings, Qt, Signal, Slot
from PySide6.QtGui import QGuiApplication, QKeyEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QFrame,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPlainTextEdit,
    QSizePolicy,
    QTableWidget,
    QTableWidgetItem,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from inspector.menus import (
    MENU_STATUSES,
    PROBLEM_STATUSES,
    STATUS_LABELS,
    MenuListError,
    parse_menu_text,
    read_menu_file,
)
from inspector.store import MenuItem
from ui import i18n
from ui.evidence import ask_reason

# Whether the section is open, remembered across targets and sessions.
EXPANDED_SETTING = "account/menus_expanded"
# Rows shown before the table scrolls: enough for a typical account, few enough that the
# checklist below keeps most of a 768-pixel-high screen.
VISIBLE_ROWS = 4
ROW_HEIGHT = 24
NAME, STATUS, MARKER, EVIDENCE = range(4)


def status_text(status: str) -> str:
    """A menu status in the UI's language."""
    zh, en = STATUS_LABELS.get(status, (status, status))
    return i18n.pick(zh, en)


def status_kind(status: str) -> str:
    """How a status is coloured: ``problem``, ``ok`` or ``""`` (not checked yet)."""
    if status in PROBLEM_STATUSES:
        return "problem"
    return "ok" if status == "works" else ""


class MenuEntryDialog(QDialog):
    """One menu item typed by hand: its name (or path such as "办事服务 > 社保查询") and URL."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("menuEntryDialog")
        self.setWindowTitle(self.tr("添加菜单项"))
        self.name_edit = QLineEdit(self)
        self.name_edit.setPlaceholderText(self.tr("如：办事服务 > 社保查询"))
        self.url_edit = QLineEdit(self)
        self.url_edit.setPlaceholderText(self.tr("可选：菜单打开的网址"))
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self
        )
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        form = QFormLayout(self)
        form.addRow(self.tr("名称"), self.name_edit)
        form.addRow(self.tr("网址"), self.url_edit)
        form.addRow(self.buttons)
        self.resize(420, self.sizeHint().height())
        self.name_edit.textChanged.connect(self.on_edit_text_changed)
        self.url_edit.textChanged.connect(self.on_edit_text_changed)
        self.on_edit_text_changed()

    def entry(self) -> tuple[str, str]:
        """(name, url); a missing name is the URL, as in a pasted list."""
        name, url = self.name_edit.text().strip(), self.url_edit.text().strip()
        return name or url, url

    @Slot()
    def on_edit_text_changed(self) -> None:
        ok = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        ok.setEnabled(bool(self.entry()[0]))


class MenuPasteDialog(QDialog):
    """A menu list pasted as text (one item a line, name and URL), counted as it is read."""

    def __init__(self, text: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("menuPasteDialog")
        self.setWindowTitle(self.tr("粘贴菜单清单"))
        self._entries: list[tuple[str, str]] = []
        intro = QLabel(
            self.tr(
                "每行一项：菜单名称，后跟网址（可用制表符、空格或逗号分隔）；"
                "“办事服务 > 社保查询”这样的层级名称保留。"
            ),
            self,
        )
        intro.setWordWrap(True)
        self.text_edit = QPlainTextEdit(self)
        self.text_edit.setPlainText(text)
        self.count_label = QLabel(self)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self
        )
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addWidget(self.text_edit, 1)
        layout.addWidget(self.count_label)
        layout.addWidget(self.buttons)
        self.resize(520, 360)
        self.text_edit.textChanged.connect(self.on_text_edit_text_changed)
        self.on_text_edit_text_changed()

    def entries(self) -> list[tuple[str, str]]:
        """The (name, url) pairs read from the text."""
        return list(self._entries)

    @Slot()
    def on_text_edit_text_changed(self) -> None:
        found = parse_menu_text(self.text_edit.toPlainText())
        self._entries = found.items
        text = self.tr("识别到 {n} 项").format(n=len(found.items))
        if found.skipped:
            text += self.tr("，跳过 {n} 行（表头、分隔线或重复项）").format(n=found.skipped)
        self.count_label.setText(text)
        ok = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        ok.setEnabled(bool(self._entries))


class MenuListPanel(QFrame):
    """A compact table of an account's menu items with what the inspector does to them.

    Signals:
        entries_added(object): (name, url) pairs typed, pasted or imported, in order.
        status_chosen(str, str): a menu item's id and the status the inspector chose.
        remove_requested(str, str): a menu item's id and the reason to remove it.
        open_requested(str): open this menu item's URL in the browser.
        detect_requested(str): look for markers on the browser's page, for this menu item.
        capture_requested(str): screenshot the browser's page as this menu item's evidence.
    """

    entries_added = Signal(object)
    status_chosen = Signal(str, str)
    remove_requested = Signal(str, str)
    open_requested = Signal(str)
    detect_requested = Signal(str)
    capture_requested = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("menuList")
        self._items: list[MenuItem] = []
        self._counts: dict[str, int] = {}
        self._offer: tuple[str, str] | None = None  # (item id, status) the offer proposes
        self._dialog: QWidget | None = None

        self.toggle = QToolButton(self)
        self.toggle.setObjectName("menuToggle")
        self.toggle.setCheckable(True)
        self.toggle.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
        self.toggle.setAutoRaise(True)
        self.toggle.toggled.connect(self.on_toggle_toggled)
        self.add_button = self._button("menuAdd", self.on_add_button_clicked)
        self.paste_button = self._button("menuPaste", self.on_paste_button_clicked)
        self.import_button = self._button("menuImport", self.on_import_button_clicked)

        self.table = QTableWidget(0, 4, self)
        self.table.setObjectName("menuTable")
        self.table.verticalHeader().hide()
        self.table.verticalHeader().setDefaultSectionSize(ROW_HEIGHT)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.table.setWordWrap(False)
        self.table.setShowGrid(False)
        header = self.table.horizontalHeader()
        header.setHighlightSections(False)
        header.setSectionResizeMode(NAME, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(STATUS, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(MARKER, QHeaderView.ResizeMode.Interactive)
        header.setSectionResizeMode(EVIDENCE, QHeaderView.ResizeMode.ResizeToContents)
        header.resizeSection(MARKER, 110)
        self.table.cellDoubleClicked.connect(self.on_table_cell_double_clicked)
        self.table.itemSelectionChanged.connect(self.on_table_item_selection_changed)
        self.table.installEventFilter(self)
        self.empty_label = QLabel(self)
        self.empty_label.setObjectName("menuEmpty")
        self.empty_label.setWordWrap(True)

        self.open_button = self._button("menuOpen", self.on_open_button_clicked)
        self.detect_button = self._button("menuDetect", self.on_detect_button_clicked)
        self.capture_button = self._button("menuCapture", self.on_capture_button_clicked)
        self.remove_button = self._button("menuRemove", self.on_remove_button_clicked)

        self.offer_card = QFrame(self)
        self.offer_card.setObjectName("menuOffer")
        self.offer_label = QLabel(self.offer_card)
        self.offer_label.setObjectName("menuOfferText")
        self.offer_label.setWordWrap(True)
        self.offer_label.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        self.offer_button = QToolButton(self.offer_card)
        self.offer_button.setObjectName("hintButton")
        self.offer_button.clicked.connect(self.on_offer_button_clicked)
        offer = QHBoxLayout(self.offer_card)
        offer.setContentsMargins(6, 2, 4, 2)
        offer.addWidget(self.offer_label, 1)
        offer.addWidget(self.offer_button, 0, Qt.AlignmentFlag.AlignVCenter)
        self.offer_card.hide()

        head = QHBoxLayout()
        head.setSpacing(2)
        head.addWidget(self.toggle)
        head.addStretch(1)
        for button in (self.add_button, self.paste_button, self.import_button):
            head.addWidget(button)
        self._actions = QWidget(self)
        actions = QHBoxLayout(self._actions)
        actions.setContentsMargins(0, 0, 0, 0)
        actions.setSpacing(2)
        for button in (self.open_button, self.detect_button, self.capture_button):
            actions.addWidget(button)
        actions.addStretch(1)
        actions.addWidget(self.remove_button)
        self._body = QWidget(self)
        body = QVBoxLayout(self._body)
        body.setContentsMargins(0, 0, 0, 0)
        body.setSpacing(3)
        body.addWidget(self.table)
        body.addWidget(self.empty_label)
        body.addWidget(self._actions)
        body.addWidget(self.offer_card)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 2, 0, 0)
        layout.setSpacing(2)
        layout.addLayout(head)
        layout.addWidget(self._body)

        self.retranslate()
        self.toggle.setChecked(QSettings().value(EXPANDED_SETTING, True, type=bool))
        self.on_toggle_toggled(self.toggle.isChecked())
        self.show_items([], {})

    def _button(self, name: str, slot: object) -> QToolButton:
        button = QToolButton(self)
        button.setObjectName(name)
        button.setProperty("role", "menuAction")
        button.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
        button.clicked.connect(slot)
        return button

    # --- content ---------------------------------------------------------------------------------

    @property
    def items(self) -> list[MenuItem]:
        """The menu items shown, in order."""
        return list(self._items)

    @property
    def dialog(self) -> QWidget | None:
        """The last dialog or message box the panel opened (tests answer it)."""
        return self._dialog

    @property
    def expanded(self) -> bool:
        """Whether the table and its buttons are shown (else only the summary line)."""
        return self.toggle.isChecked()

    @property
    def offer(self) -> tuple[str, str] | None:
        """The (item id, status) the offer card proposes, if shown."""
        return self._offer

    def set_expanded(self, expanded: bool) -> None:
        """Open or fold the section."""
        self.toggle.setChecked(expanded)

    def current_item(self) -> MenuItem | None:
        """The highlighted menu item, if any."""
        row = self.table.currentRow()
        return self._items[row] if 0 <= row < len(self._items) else None

    def select_item(self, item_id: str) -> bool:
        """Highlight a menu item; False when it is not shown."""
        for row, item in enumerate(self._items):
            if item.id == item_id:
                self.table.setCurrentCell(row, NAME)
                return True
        return False

    def status_box(self, item_id: str) -> QComboBox:
        """The status choice of a menu item (KeyError when it is not shown)."""
        for row, item in enumerate(self._items):
            if item.id == item_id:
                box = self.table.cellWidget(row, STATUS)
                assert isinstance(box, QComboBox)
                return box
        raise KeyError(item_id)

    def evidence_count(self, item_id: str) -> int:
        """How many pieces of evidence are tied to a menu item."""
        return self._counts.get(item_id, 0)

    def show_items(self, items: Sequence[MenuItem], evidence_counts: Mapping[str, int]) -> None:
        """Show what is stored; the highlighted item stays highlighted when still there."""
        current = self.current_item()
        same_rows = [i.id for i in items] == [i.id for i in self._items]
        self._items = list(items)
        self._counts = dict(evidence_counts)
        if not same_rows:
            self.table.setRowCount(0)
            self.table.setRowCount(len(items))
        for row, item in enumerate(items):
            self._show_row(row, item, fresh=not same_rows)
        self.table.setVisible(bool(items))
        self._actions.setVisible(bool(items))
        self.empty_label.setVisible(not items)
        visible = min(max(len(items), 1), VISIBLE_ROWS)
        frame = 2 * self.table.frameWidth()
        self.table.setFixedHeight(
            self.table.horizontalHeader().sizeHint().height() + frame + visible * ROW_HEIGHT
        )
        if current is not None and not self.select_item(current.id):
            self.table.clearSelection()
        if self._offer is not None and self._offer[0] not in {i.id for i in items}:
            self.clear_offer()
        self._retranslate_summary()
        self.on_table_item_selection_changed()

    def _show_row(self, row: int, item: MenuItem, *, fresh: bool) -> None:
        name = self.table.item(row, NAME) if not fresh else None
        if name is None:
            name = QTableWidgetItem()
            self.table.setItem(row, NAME, name)
            marker = QTableWidgetItem()
            self.table.setItem(row, MARKER, marker)
            count = QTableWidgetItem()
            count.setTextAlignment(Qt.AlignmentFlag.AlignCenter)
            self.table.setItem(row, EVIDENCE, count)
            box = QComboBox(self.table)
            box.setObjectName("menuStatus")
            box.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
            for status in MENU_STATUSES:
                box.addItem(status_text(status), status)
            box.setProperty("item_id", item.id)
            box.activated.connect(self.on_status_box_activated)
            self.table.setCellWidget(row, STATUS, box)
        name.setText(item.name)
        name.setToolTip(item.url or self.tr("（没有网址）"))
        marker_cell = self.table.item(row, MARKER)
        marker_cell.setText(item.marker)
        marker_cell.setToolTip(
            self.tr("页面显示：{marker}").format(marker=item.marker) if item.marker else ""
        )
        count_cell = self.table.item(row, EVIDENCE)
        count = self._counts.get(item.id, 0)
        count_cell.setText(str(count) if count else "")
        count_cell.setToolTip(self.tr("{n} 份证据").format(n=count))
        box = self.table.cellWidget(row, STATUS)
        assert isinstance(box, QComboBox)
        box.setProperty("item_id", item.id)
        box.blockSignals(True)
        box.setCurrentIndex(max(box.findData(item.status), 0))
        box.blockSignals(False)
        box.setProperty("kind", status_kind(item.status))
        box.style().unpolish(box)
        box.style().polish(box)

    def offer_status(self, item_id: str, status: str) -> None:
        """Propose a status for a menu item: "works" when its page loaded and showed no
        marker, "dead_link" when it did not load. The inspector confirms with one click."""
        self._offer = (item_id, status)
        self.offer_card.setProperty("kind", status_kind(status))
        self.offer_card.style().unpolish(self.offer_card)
        self.offer_card.style().polish(self.offer_card)
        self._retranslate_offer()
        self.offer_card.show()

    def clear_offer(self) -> None:
        """Withdraw the proposal."""
        self._offer = None
        self.offer_card.hide()

    # --- slots -----------------------------------------------------------------------------------

    @Slot(bool)
    def on_toggle_toggled(self, expanded: bool) -> None:
        self._body.setVisible(expanded)
        for button in (self.add_button, self.paste_button, self.import_button):
            button.setVisible(expanded)
        self.toggle.setArrowType(Qt.ArrowType.DownArrow if expanded else Qt.ArrowType.RightArrow)
        QSettings().setValue(EXPANDED_SETTING, expanded)

    @Slot()
    def on_table_item_selection_changed(self) -> None:
        item = self.current_item()
        self.open_button.setEnabled(item is not None and bool(item.url))
        for button in (self.detect_button, self.capture_button, self.remove_button):
            button.setEnabled(item is not None)

    @Slot(int, int)
    def on_table_cell_double_clicked(self, row: int, _column: int) -> None:
        if 0 <= row < len(self._items):
            self.open_requested.emit(self._items[row].id)

    @Slot(int)
    def on_status_box_activated(self, index: int) -> None:
        box = self.sender()
        assert isinstance(box, QComboBox)
        item_id = str(box.property("item_id"))
        status = str(box.itemData(index))
        self.select_item(item_id)
        if self._offer is not None and self._offer[0] == item_id:
            self.clear_offer()
        self.status_chosen.emit(item_id, status)

    @Slot()
    def on_offer_button_clicked(self) -> None:
        if self._offer is None:
            return
        item_id, status = self._offer
        self.clear_offer()
        self.status_chosen.emit(item_id, status)

    @Slot()
    def on_add_button_clicked(self) -> None:
        dialog = MenuEntryDialog(self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.accepted.connect(lambda: self.entries_added.emit([dialog.entry()]))
        dialog.open()
        self._dialog = dialog

    @Slot()
    def on_paste_button_clicked(self) -> None:
        dialog = MenuPasteDialog(QGuiApplication.clipboard().text(), self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.accepted.connect(lambda: self.entries_added.emit(dialog.entries()))
        dialog.open()
        self._dialog = dialog

    @Slot()
    def on_import_button_clicked(self) -> None:
        dialog = QFileDialog(self, self.tr("导入菜单清单"), str(Path.home()))
        dialog.setNameFilters([self.tr("菜单清单 (*.txt *.csv *.xlsx)"), self.tr("所有文件 (*)")])
        dialog.setFileMode(QFileDialog.FileMode.ExistingFile)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.fileSelected.connect(self.import_file)
        dialog.open()
        self._dialog = dialog

    @Slot(str)
    def import_file(self, path: str) -> bool:
        """Read a menu list file and add its items; False (and a message) when it has none."""
        try:
            entries = read_menu_file(Path(path))
        except MenuListError as exc:
            self._warn(self.tr("无法导入菜单清单"), str(exc))
            return False
        if not entries:
            self._warn(
                self.tr("无法导入菜单清单"),
                self.tr("{name} 中没有可识别的菜单项（每行：名称，网址）").format(
                    name=Path(path).name
                ),
            )
            return False
        self.entries_added.emit(entries)
        return True

    def _warn(self, title: str, text: str) -> None:
        box = QMessageBox(QMessageBox.Icon.Warning, title, text, parent=self)
        box.setObjectName("menuImportError")
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        box.open()
        self._dialog = box

    @Slot()
    def on_open_button_clicked(self) -> None:
        item = self.current_item()
        if item is not None:
            self.open_requested.emit(item.id)

    @Slot()
    def on_detect_button_clicked(self) -> None:
        item = self.current_item()
        if item is not None:
            self.detect_requested.emit(item.id)

    @Slot()
    def on_capture_button_clicked(self) -> None:
        item = self.current_item()
        if item is not None:
            self.capture_requested.emit(item.id)

    @Slot()
    def on_remove_button_clicked(self) -> None:
        item = self.current_item()
        if item is None:
            return
        dialog = ask_reason(
            self,
            self.tr("删除菜单项"),
            self.tr("删除菜单项“{name}”的理由（记入审计日志；其证据保留）：").format(
                name=item.name
            ),
        )
        dialog.setObjectName("menuRemoveDialog")
        dialog.textValueSelected.connect(
            lambda reason: reason.strip() and self.remove_requested.emit(item.id, reason.strip())
        )
        self._dialog = dialog

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        """Enter opens the highlighted item, Delete asks to remove it (keyboard first)."""
        if watched is self.table and event.type() == QEvent.Type.KeyPress:
            assert isinstance(event, QKeyEvent)
            if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
                self.on_open_button_clicked()
                return True
            if event.key() == Qt.Key.Key_Delete:
                self.on_remove_button_clicked()
                return True
        return super().eventFilter(watched, event)

    # --- language --------------------------------------------------------------------------------

    def retranslate(self) -> None:
        """Every text in the UI's language."""
        self.table.setHorizontalHeaderLabels(
            [self.tr("菜单项"), self.tr("状态"), self.tr("页面标记"), self.tr("证据")]
        )
        self.empty_label.setText(
            self.tr("还没有菜单项：逐项添加，粘贴一份清单，或从 TXT / CSV / XLSX 导入。")
        )
        texts = (
            (self.add_button, self.tr("添加"), self.tr("添加一个菜单项（名称和网址）")),
            (
                self.paste_button,
                self.tr("粘贴列表"),
                self.tr("粘贴菜单清单：每行一项，名称后跟网址"),
            ),
            (self.import_button, self.tr("导入…"), self.tr("从 TXT、CSV 或 XLSX 文件导入菜单清单")),
            (self.open_button, self.tr("打开"), self.tr("在浏览器中打开选中的菜单项（或双击）")),
            (
                self.detect_button,
                self.tr("检测页面"),
                self.tr("在浏览器当前页面中查找“正在开发中”“已过期”“维护中”等标记"),
            ),
            (
                self.capture_button,
                self.tr("截图"),
                self.tr("截取浏览器可见区域，作为选中菜单项的证据"),
            ),
            (self.remove_button, self.tr("删除"), self.tr("删除选中的菜单项（需填写理由）")),
        )
        for button, text, tip in texts:
            button.setText(text)
            button.setToolTip(tip)
        for row, item in enumerate(self._items):
            box = self.table.cellWidget(row, STATUS)
            if isinstance(box, QComboBox):
                for index in range(box.count()):
                    box.setItemText(index, status_text(str(box.itemData(index))))
            self._show_row(row, item, fresh=False)
        self._retranslate_summary()
        self._retranslate_offer()

    def _retranslate_summary(self) -> None:
        problems = sum(i.status in PROBLEM_STATUSES for i in self._items)
        todo = sum(i.status == "unchecked" for i in self._items)
        parts = [
            self.tr("菜单 {n} 项").format(n=len(self._items)) if self._items else self.tr("菜单")
        ]
        if problems:
            parts.append(self.tr("异常 {n}").format(n=problems))
        if todo:
            parts.append(self.tr("未检查 {n}").format(n=todo))
        self.toggle.setText(" · ".join(parts))
        self.toggle.setProperty("problems", problems > 0)
        self.toggle.style().unpolish(self.toggle)
        self.toggle.style().polish(self.toggle)
        self.toggle.setToolTip(self.tr("展开或收起菜单清单（M-D2 功能不可用、M-D3 菜单链接失效）"))

    def _retranslate_offer(self) -> None:
        if self._offer is None:
            return
        item_id, status = self._offer
        name = next((i.name for i in self._items if i.id == item_id), "")
        if status == "dead_link":
            self.offer_label.setText(self.tr("“{name}”的页面无法打开").format(name=name))
            self.offer_label.setToolTip("")
        else:
            self.offer_label.setText(self.tr("“{name}”的页面未发现问题标记").format(name=name))
            self.offer_label.setToolTip(
                self.tr("页面已打开，没有“正在开发中”“已过期”“维护中”等标记；请看一眼页面再确认")
            )
        self.offer_button.setText(
            self.tr("记为“{status}”").format(status=status_text(self._offer[1]))
        )

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)
