"""The dialog that imports a folder of phone screenshots (issue 6 item 5).

Files whose names name an account (see :func:`inspector.phone.match_files`) come pre-assigned;
the rest start as "not imported" and the inspector picks their account in the same list.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt, Slot
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QHeaderView,
    QLabel,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from inspector.phone import PhoneMatch
from inspector.targets import Target


class PhoneImportDialog(QDialog):
    """Every image of the folder with the account it goes to; accepting imports them.

    The window reads :meth:`assignments` when the dialog is accepted.
    """

    def __init__(
        self,
        folder: Path,
        plan: PhoneMatch,
        accounts: list[Target],
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("phoneImportDialog")
        self.setWindowTitle(self.tr("导入手机截图"))
        self.resize(620, 420)
        self._accounts = accounts
        rows = [(p, key) for key, paths in plan.matched.items() for p in paths]
        rows += [(p, None) for p in plan.unmatched]
        rows.sort(key=lambda row: row[0].name)
        self._paths = [p for p, _ in rows]

        matched = sum(len(v) for v in plan.matched.values())
        self.summary = QLabel(
            self.tr(
                "{folder}：{n} 张图片，{matched} 张已按文件名对应到账号，其余请在下表中选择账号。"
            ).format(folder=folder.name, n=len(rows), matched=matched),
            self,
        )
        self.summary.setWordWrap(True)
        self.table = QTableWidget(len(rows), 2, self)
        self.table.setHorizontalHeaderLabels([self.tr("文件"), self.tr("账号")])
        self.table.verticalHeader().hide()
        self.table.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        self.table.horizontalHeader().setSectionResizeMode(
            1, QHeaderView.ResizeMode.ResizeToContents
        )
        self._boxes: list[QComboBox] = []
        for row, (path, key) in enumerate(rows):
            item = QTableWidgetItem(path.name)
            item.setFlags(item.flags() & ~Qt.ItemFlag.ItemIsEditable)
            item.setToolTip(str(path))
            self.table.setItem(row, 0, item)
            box = QComboBox(self.table)
            box.addItem(self.tr("（不导入）"), None)
            for account in accounts:
                box.addItem(
                    f"{account.name} · {account.account_id or ''}".rstrip(" ·"), account.key
                )
            box.setCurrentIndex(max(box.findData(key), 0) if key else 0)
            box.currentIndexChanged.connect(self.on_box_current_index_changed)
            self.table.setCellWidget(row, 1, box)
            self._boxes.append(box)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self
        )
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.summary)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.buttons)
        self.on_box_current_index_changed()

    def paths(self) -> list[Path]:
        """The images listed, in the table's order."""
        return list(self._paths)

    def choice(self, row: int) -> str | None:
        """The account key a row goes to (None: not imported)."""
        data = self._boxes[row].currentData()
        return str(data) if data else None

    def set_choice(self, row: int, key: str | None) -> None:
        """Choose a row's account by key (None: not imported)."""
        box = self._boxes[row]
        box.setCurrentIndex(max(box.findData(key), 0) if key else 0)

    def assignments(self) -> list[tuple[Path, str]]:
        """The files to import and their account keys."""
        return [
            (path, key)
            for row, path in enumerate(self._paths)
            if (key := self.choice(row)) is not None
        ]

    @Slot()
    def on_box_current_index_changed(self) -> None:
        count = len(self.assignments())
        ok = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        ok.setText(self.tr("导入 {n} 张").format(n=count))
        ok.setEnabled(count > 0)
