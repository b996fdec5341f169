"""The workspace around a findings file: new from a sample list, recent files, crash recovery.

There is nothing to save (every edit is committed as it happens), so recovery after a crash is
about telling: when a file was not closed cleanly last time, the window says so and lists the
last changes the file holds, which are all still there. A marker in QSettings, set while a window
has the file open and removed when it closes, tells a clean exit from a crash.
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from PySide6.QtCore import (
    QT_TRANSLATE_NOOP,
    QCoreApplication,
    QRegularExpression,
    QSettings,
    Qt,
    Slot,
)
from PySide6.QtGui import QRegularExpressionValidator
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from inspector.demo import quarter_of
from inspector.menus import STATUS_LABELS
from inspector.profiles import DEFAULT_PROFILE, Profile, available_profiles
from inspector.store import AuditEntry
from ui.i18n import pick

RECENT_SETTING = "workspace/recent"
MAX_RECENT = 8
_SESSION_GROUP = "sessions"


def _tr(text: str) -> str:
    return QCoreApplication.translate("Workspace", text)


# --- recent files --------------------------------------------------------------------------------


def recent_files() -> list[Path]:
    """Findings files opened lately, newest first, those that still exist."""
    value = QSettings().value(RECENT_SETTING, [])
    paths = [value] if isinstance(value, str) else list(value or [])
    return [Path(p) for p in paths if isinstance(p, str) and Path(p).is_file()]


def remember_recent(path: Path) -> None:
    """Put a file at the top of the recent files."""
    text = str(Path(path).resolve())
    kept = [str(p) for p in recent_files() if str(p) != text]
    QSettings().setValue(RECENT_SETTING, [text, *kept][:MAX_RECENT])


def clear_recent() -> None:
    """Forget the recent files."""
    QSettings().remove(RECENT_SETTING)


# --- crash recovery ------------------------------------------------------------------------------


def _process_alive(pid: int) -> bool:
    if pid <= 0:
        return False
    if pid == os.getpid():
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except (PermissionError, OSError):
        return True  # it exists, but is someone else's
    return True


@dataclass(frozen=True)
class UncleanSession:
    """What the marker of a session that did not end cleanly says."""

    pid: int
    started: str
    still_running: bool


class SessionMarker:
    """ "This file is open in a window" in QSettings; left behind only by a crash or a kill."""

    def __init__(self, path: Path) -> None:
        digest = hashlib.sha1(str(Path(path).resolve()).encode("utf-8")).hexdigest()[:16]
        self._key = f"{_SESSION_GROUP}/{digest}"
        self.path = Path(path)

    def previous(self) -> UncleanSession | None:
        """The marker left by an earlier session of this file, if any (another process's)."""
        settings = QSettings()
        pid = settings.value(f"{self._key}/pid")
        if pid is None:
            return None
        try:
            number = int(pid)
        except (TypeError, ValueError):
            number = 0
        if number == os.getpid():
            return None
        started = str(settings.value(f"{self._key}/started", ""))
        return UncleanSession(number, started, _process_alive(number))

    def begin(self, started: str) -> None:
        """Mark the file as open in this process."""
        settings = QSettings()
        settings.setValue(f"{self._key}/pid", os.getpid())
        settings.setValue(f"{self._key}/started", started)
        settings.setValue(f"{self._key}/path", str(self.path))
        settings.sync()

    def end(self) -> None:
        """The file was closed cleanly."""
        settings = QSettings()
        settings.remove(self._key)
        settings.sync()


_ACTIONS = {
    "set_result": QT_TRANSLATE_NOOP("Workspace", "勾选结论"),
    "undo": QT_TRANSLATE_NOOP("Workspace", "撤销"),
    "add_evidence": QT_TRANSLATE_NOOP("Workspace", "添加证据"),
    "remove_evidence": QT_TRANSLATE_NOOP("Workspace", "删除证据"),
    "confirm_hint": QT_TRANSLATE_NOOP("Workspace", "采纳提示"),
    "dismiss_hint": QT_TRANSLATE_NOOP("Workspace", "忽略提示"),
    "reopen_hint": QT_TRANSLATE_NOOP("Workspace", "恢复提示"),
    "add_target": QT_TRANSLATE_NOOP("Workspace", "添加检查对象"),
    "update_target": QT_TRANSLATE_NOOP("Workspace", "更新检查对象"),
    "add_hints": QT_TRANSLATE_NOOP("Workspace", "机器提示"),
    "set_info": QT_TRANSLATE_NOOP("Workspace", "修改文件信息"),
    "create_file": QT_TRANSLATE_NOOP("Workspace", "新建文件"),
    "migrate": QT_TRANSLATE_NOOP("Workspace", "升级文件结构"),
    "set_account_facts": QT_TRANSLATE_NOOP("Workspace", "填写账号情况"),
    "add_menu_items": QT_TRANSLATE_NOOP("Workspace", "添加菜单项"),
    "set_menu_item": QT_TRANSLATE_NOOP("Workspace", "修改菜单项"),
    "remove_menu_item": QT_TRANSLATE_NOOP("Workspace", "删除菜单项"),
}
_STATES = {
    "problem": QT_TRANSLATE_NOOP("Workspace", "问题"),
    "ok": QT_TRANSLATE_NOOP("Workspace", "正常"),
    "na": QT_TRANSLATE_NOOP("Workspace", "不适用"),
}


def _state_word(value: object) -> str:
    """A result's state, a menu item's status or an account's latest post date, in words."""
    if not isinstance(value, dict):
        return ""
    if value.get("state") in _STATES:
        return _tr(_STATES[value["state"]])
    if value.get("status") in STATUS_LABELS:
        return pick(*STATUS_LABELS[value["status"]])
    return str(value.get("latest_post") or "")


def describe_entry(entry: AuditEntry) -> str:
    """One audit row in words: when, who, what, on which target and indicator."""
    action = _tr(_ACTIONS[entry.action]) if entry.action in _ACTIONS else entry.action
    subject = " ".join(p for p in (entry.target_key or "", entry.indicator_id or "") if p)
    change = ""
    old, new = _state_word(entry.old_value), _state_word(entry.new_value)
    if entry.action in ("set_result", "undo", "set_account_facts", "set_menu_item") and (
        old or new
    ):
        change = f"{old or '—'} → {new or '—'}"
    elif entry.action in ("add_evidence", "remove_evidence"):
        value = entry.new_value if entry.action == "add_evidence" else entry.old_value
        if isinstance(value, dict):
            change = f"#{value.get('id', '?')} {value.get('kind', '')}".strip()
    at = entry.at.replace("T", " ")[:19]
    parts = [at, entry.who, action, subject, change, entry.reason]
    return "  ".join(p for p in parts if p)


def recovery_text(session: UncleanSession, entries: Sequence[AuditEntry]) -> tuple[str, str]:
    """What the window says after a crash: a headline (nothing committed is lost) and the
    last changes, newest first."""
    headline = QCoreApplication.translate(
        "Workspace",
        "上次打开此文件的会话（{started} 开始）没有正常结束，可能是程序崩溃、被强制关闭或断电。"
        "每一次修改都在发生时已写入文件，已提交的修改没有丢失。",
    ).format(started=session.started.replace("T", " ")[:19] or "?")
    lines = [QCoreApplication.translate("Workspace", "最近的修改（最新的在前）：")]
    lines += [describe_entry(e) for e in entries] or [
        QCoreApplication.translate("Workspace", "（没有修改记录）")
    ]
    return headline, "\n".join(lines)


# --- new findings file ---------------------------------------------------------------------------


class NewWorkspaceDialog(QDialog):
    """Asks for what a new findings file needs: the sample list, the inspector, the quarter,
    the indicator profile and where to save it. Opened with ``open()``; read the fields on
    ``accepted``. OK stays disabled until the fields make sense."""

    def __init__(
        self,
        parent: QWidget | None = None,
        *,
        inspector: str = "",
        folder: Path | None = None,
        profiles: Sequence[Profile] | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("newWorkspaceDialog")
        self.setWindowTitle(self.tr("新建检查结果文件"))
        self._folder = folder or Path.home()
        self._output_edited = False
        self._dialog: QWidget | None = None

        self.sample_edit = QLineEdit(self)
        self.sample_edit.setPlaceholderText(self.tr("CSV 或 XLSX 抽查名单"))
        browse_sample = QPushButton(self.tr("选择…"), self)
        browse_sample.clicked.connect(self.on_browse_sample_clicked)
        self.inspector_edit = QLineEdit(inspector, self)
        self.quarter_edit = QLineEdit(quarter_of(date.today()), self)
        self.quarter_edit.setValidator(
            QRegularExpressionValidator(QRegularExpression(r"\d{4}Q[1-4]"), self)
        )
        self.profile_box = QComboBox(self)
        for profile in profiles if profiles is not None else available_profiles():
            self.profile_box.addItem(pick(profile.name_zh, profile.name_en), profile.id)
        default = self.profile_box.findData(DEFAULT_PROFILE)
        self.profile_box.setCurrentIndex(max(default, 0))
        self.output_edit = QLineEdit(self)
        browse_output = QPushButton(self.tr("另存为…"), self)
        browse_output.clicked.connect(self.on_browse_output_clicked)
        self.message = QLabel(self)
        self.message.setObjectName("formMessage")
        self.message.setWordWrap(True)

        sample_row = QHBoxLayout()
        sample_row.addWidget(self.sample_edit, 1)
        sample_row.addWidget(browse_sample)
        output_row = QHBoxLayout()
        output_row.addWidget(self.output_edit, 1)
        output_row.addWidget(browse_output)
        form = QFormLayout()
        form.addRow(self.tr("抽查名单"), sample_row)
        form.addRow(self.tr("检查员"), self.inspector_edit)
        form.addRow(self.tr("季度"), self.quarter_edit)
        form.addRow(self.tr("指标体系"), self.profile_box)
        form.addRow(self.tr("保存为"), output_row)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self
        )
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.message)
        layout.addWidget(self.buttons)
        self.resize(620, 0)

        for edit in (self.sample_edit, self.inspector_edit, self.quarter_edit):
            edit.textChanged.connect(self.on_field_changed)
        self.output_edit.textEdited.connect(self.on_output_edit_text_edited)
        self.output_edit.textChanged.connect(self.on_field_changed)
        self.on_field_changed()

    # --- values ----------------------------------------------------------------------------------

    @property
    def sample_path(self) -> Path:
        return Path(self.sample_edit.text().strip())

    @property
    def inspector(self) -> str:
        return self.inspector_edit.text().strip()

    @property
    def quarter(self) -> str:
        return self.quarter_edit.text().strip()

    @property
    def profile_id(self) -> str:
        return str(self.profile_box.currentData())

    @property
    def output_path(self) -> Path:
        return Path(self.output_edit.text().strip())

    def problem(self) -> str:
        """What is still wrong with the fields ("" when OK may be pressed)."""
        if not self.sample_edit.text().strip() or not self.sample_path.is_file():
            return self.tr("请选择抽查名单文件。")
        if not self.inspector:
            return self.tr("请填写检查员姓名。")
        if not self.quarter_edit.hasAcceptableInput():
            return self.tr("季度格式如 2025Q2。")
        if not self.output_edit.text().strip():
            return self.tr("请选择保存位置。")
        if self.output_path.exists():
            return self.tr("该文件已存在，不会覆盖；请换一个文件名。")
        return ""

    # --- slots -----------------------------------------------------------------------------------

    @Slot()
    def on_field_changed(self) -> None:
        if not self._output_edited and self.sample_edit.text().strip() and self.inspector:
            folder = self.sample_path.parent if self.sample_path.is_file() else self._folder
            name = f"{self.inspector}-{self.quarter}.sqlite"
            self.output_edit.blockSignals(True)
            self.output_edit.setText(str(folder / name))
            self.output_edit.blockSignals(False)
        problem = self.problem()
        self.message.setText(problem)
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setEnabled(not problem)

    @Slot(str)
    def on_output_edit_text_edited(self, _text: str) -> None:
        self._output_edited = True

    @Slot()
    def on_browse_sample_clicked(self) -> None:
        dialog = QFileDialog(self, self.tr("选择抽查名单"), str(self._folder))
        dialog.setNameFilters([self.tr("抽查名单 (*.csv *.xlsx)"), self.tr("所有文件 (*)")])
        dialog.setFileMode(QFileDialog.FileMode.ExistingFile)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.fileSelected.connect(self.sample_edit.setText)
        dialog.open()
        self._dialog = dialog

    @Slot()
    def on_browse_output_clicked(self) -> None:
        start = self.output_edit.text().strip() or str(self._folder)
        dialog = QFileDialog(self, self.tr("保存检查结果文件"), start)
        dialog.setNameFilters([self.tr("检查结果文件 (*.sqlite)")])
        dialog.setDefaultSuffix("sqlite")
        dialog.setAcceptMode(QFileDialog.AcceptMode.AcceptSave)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.fileSelected.connect(self.on_output_dialog_file_selected)
        dialog.open()
        self._dialog = dialog

    @Slot(str)
    def on_output_dialog_file_selected(self, path: str) -> None:
        self._output_edited = True
        self.output_edit.setText(path)
