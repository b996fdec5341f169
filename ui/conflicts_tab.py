"""The coordinator's 冲突 (conflicts) tab: the quarter file's conflicts, settled with a reason.

The quarter file is opened only for the moment of a read or a resolution, never held open,
because a merge replaces it and refuses while another connection has it.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

from PySide6.QtCore import QEvent, Signal, Slot
from PySide6.QtGui import QColor
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from inspector.profiles import Profile, ProfileError, load_profile
from inspector.store import Conflict, FindingsError, FindingsFile
from inspector.targets import State
from ui import i18n

__all__ = ["ConflictsTab"]


class ConflictsTab(QWidget):
    """Each conflict with what every inspector said; the selected one is settled here.

    ``quarter`` gives the quarter file as chosen now and ``who`` the coordinator's name, both
    read at the moment they are needed.

    Signals:
        conflict_resolved(str, str): target key and indicator of a conflict just settled.
    """

    conflict_resolved = Signal(str, str)

    def __init__(
        self,
        parent: QWidget | None,
        *,
        quarter: Callable[[], Path | None],
        who: Callable[[], str],
    ) -> None:
        super().__init__(parent)
        self._quarter = quarter
        self._who = who
        self._locked = False
        self._conflicts: list[Conflict] = []
        self._names: dict[str, str] = {}
        self._profile: Profile | None = None

        self.conflicts_label = QLabel(self)
        self.conflict_table = QTableWidget(0, 4, self)
        self.conflict_table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.conflict_table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.conflict_table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.conflict_table.setWordWrap(True)
        self.conflict_table.verticalHeader().hide()
        header = self.conflict_table.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Interactive)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Interactive)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(3, QHeaderView.ResizeMode.Interactive)
        self.conflict_table.setColumnWidth(0, 200)
        self.conflict_table.setColumnWidth(1, 200)
        self.conflict_table.setColumnWidth(3, 220)
        self.conflict_table.itemSelectionChanged.connect(self.on_conflict_table_selection_changed)

        self.state_combo = QComboBox(self)
        self.reason_edit = QLineEdit(self)
        self.reason_edit.textChanged.connect(self._update_buttons)
        self.resolve_button = QPushButton(self)
        self.resolve_button.clicked.connect(self.on_resolve_button_clicked)
        self.resolve_form = QFormLayout()
        self.resolve_labels = [QLabel(self), QLabel(self)]
        self.resolve_form.addRow(self.resolve_labels[0], self.state_combo)
        self.resolve_form.addRow(self.resolve_labels[1], self.reason_edit)
        self.resolve_message = QLabel(self)
        self.resolve_message.setObjectName("formMessage")
        self.resolve_message.setWordWrap(True)
        row = QHBoxLayout()
        row.addWidget(self.resolve_message, 1)
        row.addWidget(self.resolve_button)

        layout = QVBoxLayout(self)
        layout.addWidget(self.conflicts_label)
        layout.addWidget(self.conflict_table, 1)
        layout.addLayout(self.resolve_form)
        layout.addLayout(row)
        self._retranslate()

    def _retranslate(self) -> None:
        self.resolve_labels[0].setText(self.tr("保留的结论："))
        self.resolve_labels[1].setText(self.tr("理由（必填）："))
        self.conflict_table.setHorizontalHeaderLabels(
            [self.tr("检查对象"), self.tr("指标"), self.tr("各检查员的结论"), self.tr("状态")]
        )
        self.reason_edit.setPlaceholderText(self.tr("为什么保留这一结论（记入审计日志）"))
        self.resolve_button.setText(self.tr("裁定"))
        self._show_conflicts()

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self._retranslate()
        super().changeEvent(event)

    # --- public -----------------------------------------------------------------------------

    @property
    def conflicts(self) -> list[Conflict]:
        """The quarter file's conflicts as shown (open and resolved)."""
        return list(self._conflicts)

    def set_locked(self, locked: bool) -> None:
        """Refuse resolutions while ``locked`` (a merge is replacing the quarter file)."""
        self._locked = locked
        self._update_buttons()

    def load(self, select: tuple[str, str] | None = None) -> None:
        """Read the quarter file's conflicts again; select ``(target key, indicator)``."""
        path = self._quarter()
        self._conflicts, self._names, self._profile = [], {}, None
        if path is not None and path.is_file():
            try:
                with FindingsFile.open(path) as findings:
                    self._conflicts = findings.conflicts()
                    keys = {c.target_key for c in self._conflicts}
                    self._names = {t.key: t.name for t in findings.targets() if t.key in keys}
                    profile_id = findings.profile_id
                self._profile = load_profile(profile_id)
            except (FindingsError, ProfileError) as exc:
                self.conflicts_label.setText(self.tr("无法读取季度文件：{error}").format(error=exc))
        self._show_conflicts()
        if select is not None:
            self.select_conflict(*select)

    def resolve(self, reason: str | None = None) -> bool:
        """Settle the selected conflict with the chosen state; False (and why) if not."""
        conflict = self._selected_conflict()
        path = self._quarter()
        reason = (reason if reason is not None else self.reason_edit.text()).strip()
        state = self.state_combo.currentData()
        if conflict is None or path is None or state is None:
            return False
        if not reason:
            self.resolve_message.setText(self.tr("请填写理由：它会记入审计日志。"))
            return False
        who = self._who() or self.tr("协调员")
        try:
            with FindingsFile.open(path) as findings:
                findings.resolve_conflict(
                    conflict.target_key, conflict.indicator_id, State(state), who=who, reason=reason
                )
        except FindingsError as exc:
            self.resolve_message.setText(str(exc))
            return False
        self.resolve_message.clear()
        self.reason_edit.clear()
        self.load(select=(conflict.target_key, conflict.indicator_id))
        self.conflict_resolved.emit(conflict.target_key, conflict.indicator_id)
        return True

    def select_conflict(self, target_key: str, indicator_id: str) -> bool:
        for row, c in enumerate(self._conflicts):
            if (c.target_key, c.indicator_id) == (target_key, indicator_id):
                self.conflict_table.selectRow(row)
                return True
        return False

    # --- showing ----------------------------------------------------------------------------

    def _state_label(self, state: object) -> str:
        labels = {
            State.PROBLEM.value: self.tr("问题"),
            State.OK.value: self.tr("正常"),
            State.NA.value: self.tr("不适用"),
        }
        return labels.get(str(state), str(state))

    def _indicator_text(self, indicator_id: str) -> str:
        if self._profile is not None:
            try:
                found = self._profile.indicator(indicator_id)
            except KeyError:
                return indicator_id
            return f"{indicator_id} {i18n.pick(found.name_zh, found.name_en)}"
        return indicator_id

    def _candidate_text(self, candidate: Mapping[str, Any]) -> str:
        when = str(candidate.get("updated_at", ""))[:16].replace("T", " ")
        note = str(candidate.get("note") or "")
        text = self.tr("{who}：{state}").format(
            who=candidate.get("inspector", ""), state=self._state_label(candidate.get("state"))
        )
        if note:
            text += self.tr("（{note}）").format(note=note)
        return f"{text}  {when}"

    def _show_conflicts(self) -> None:
        table = self.conflict_table
        table.setRowCount(len(self._conflicts))
        open_count = 0
        for row, c in enumerate(self._conflicts):
            name = self._names.get(c.target_key, c.target_key)
            said = "\n".join(self._candidate_text(cand) for cand in c.candidates)
            if c.status == "open":
                open_count += 1
                status = self.tr("待裁定")
                colour = QColor("#a86b00")
            else:
                chosen = self._state_label((c.resolution or {}).get("state"))
                status = self.tr("已裁定：{state}（{who}）\n理由：{reason}").format(
                    state=chosen, who=c.resolved_by or "", reason=c.reason
                )
                colour = QColor("#2e7d4f")
            cells = (name, self._indicator_text(c.indicator_id), said, status)
            for column, text in enumerate(cells):
                item = QTableWidgetItem(text)
                item.setToolTip(c.target_key if column == 0 else text)
                if column == 3:
                    item.setForeground(colour)
                table.setItem(row, column, item)
        table.resizeRowsToContents()
        path = self._quarter()
        if path is None or not path.is_file():
            self.conflicts_label.setText(self.tr("尚未选择季度文件，或季度文件尚未生成。"))
        else:
            self.conflicts_label.setText(
                self.tr("{name}：共 {n} 项冲突，{open} 项待裁定。").format(
                    name=path.name, n=len(self._conflicts), open=open_count
                )
            )
        self.on_conflict_table_selection_changed()

    def _selected_conflict(self) -> Conflict | None:
        rows = {i.row() for i in self.conflict_table.selectedIndexes()}
        if len(rows) != 1:
            return None
        row = rows.pop()
        return self._conflicts[row] if 0 <= row < len(self._conflicts) else None

    def _update_buttons(self) -> None:
        self.resolve_button.setEnabled(
            not self._locked
            and self._selected_conflict() is not None
            and bool(self.reason_edit.text().strip())
        )

    # --- slots ------------------------------------------------------------------------------

    @Slot()
    def on_conflict_table_selection_changed(self) -> None:
        conflict = self._selected_conflict()
        self.state_combo.clear()
        if conflict is not None:
            by_state: dict[str, list[str]] = {}
            for cand in conflict.candidates:
                by_state.setdefault(str(cand.get("state")), []).append(
                    str(cand.get("inspector", ""))
                )
            for state in (State.PROBLEM.value, State.OK.value, State.NA.value):
                who = by_state.get(state)
                label = self._state_label(state)
                if who:
                    label += self.tr("（{who}）").format(who="、".join(who))
                self.state_combo.addItem(label, state)
            current = (conflict.resolution or {}).get("state") or conflict.candidates[-1].get(
                "state"
            )
            index = self.state_combo.findData(current)
            self.state_combo.setCurrentIndex(max(0, index))
        self._update_buttons()

    @Slot()
    def on_resolve_button_clicked(self) -> None:
        self.resolve()
